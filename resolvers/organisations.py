"""Which organisations, units and grids a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from db import models as m
from db.models.enums import OrganisationLevel, UnitKind
from resolvers.filters import in_subtree
from resolvers.pagination import SortKey


@dataclass(frozen=True, kw_only=True)
class OrganisationCriteria:
    """Every criterion is optional; given ones all apply."""

    parent_id: int | None = None  # direct children only
    subtree_of: int | None = None  # the organisation and everything below it
    levels: list[OrganisationLevel] | None = None
    name_contains: str | None = None  # any case


def organisations_query(criteria: OrganisationCriteria) -> Select[Any]:
    """Organisations matching ``criteria``."""
    o = m.Organisation
    query = select(o)
    c = criteria
    if c.parent_id is not None:
        query = query.where(o.parent_id == c.parent_id)
    if c.subtree_of is not None:
        query = query.where(in_subtree(o.id, c.subtree_of))
    if c.levels:
        query = query.where(o.level.in_(c.levels))
    if c.name_contains:
        query = query.where(o.name.icontains(c.name_contains, autoescape=True))
    return query


ORGANISATION_ORDER: dict[str, SortKey] = {
    "NAME": SortKey(m.Organisation.name),
    "CODE": SortKey(m.Organisation.code),
    "CREATED_AT": SortKey(m.Organisation.created_at, kind="datetime"),
}


@dataclass(frozen=True, kw_only=True)
class UnitCriteria:
    """Every criterion is optional; given ones all apply."""

    kinds: list[UnitKind] | None = None
    organisation_id: int | None = None  # the organisation or anywhere below it
    name_contains: str | None = None  # any case


def units_query(criteria: UnitCriteria) -> Select[Any]:
    """Units matching ``criteria``."""
    u = m.Unit
    query = select(u)
    c = criteria
    if c.kinds:
        query = query.where(u.kind.in_(c.kinds))
    if c.organisation_id is not None:
        query = query.where(in_subtree(u.organisation_id, c.organisation_id))
    if c.name_contains:
        query = query.where(u.name.icontains(c.name_contains, autoescape=True))
    return query


UNIT_ORDER: dict[str, SortKey] = {
    "NAME": SortKey(m.Unit.name),
    "CREATED_AT": SortKey(m.Unit.created_at, kind="datetime"),
}


@dataclass(frozen=True, kw_only=True)
class GridCriteria:
    """Every criterion is optional; given ones all apply."""

    organisation_id: int | None = None  # the organisation or anywhere below it
    claimed_by_unit_id: int | None = None
    claimed: bool | None = None  # True: claimed by some unit; False: by none
    name_contains: str | None = None  # any case


def grids_query(criteria: GridCriteria) -> Select[Any]:
    """Grids matching ``criteria``."""
    g = m.Grid
    query = select(g)
    c = criteria
    if c.organisation_id is not None:
        query = query.where(in_subtree(g.organisation_id, c.organisation_id))
    if c.claimed_by_unit_id is not None:
        query = query.where(g.claimed_by_unit_id == c.claimed_by_unit_id)
    if c.claimed is not None:
        claimed_by = g.claimed_by_unit_id
        query = query.where(claimed_by.is_not(None) if c.claimed else claimed_by.is_(None))
    if c.name_contains:
        query = query.where(g.name.icontains(c.name_contains, autoescape=True))
    return query


GRID_ORDER: dict[str, SortKey] = {
    "NAME": SortKey(m.Grid.name),
    "CODE": SortKey(m.Grid.code),
    "CREATED_AT": SortKey(m.Grid.created_at, kind="datetime"),
}
