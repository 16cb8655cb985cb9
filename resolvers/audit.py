"""Which audit entries a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import aliased

from db import models as m
from resolvers.pagination import SortKey


@dataclass(frozen=True, kw_only=True)
class AuditCriteria:
    """Every criterion is optional; given ones all apply."""

    actor: str | None = None
    actions: list[str] | None = None
    kinds: list[str] | None = None
    outcomes: list[str] | None = None
    object_type: str | None = None  # with object_id: entries about this object
    object_id: int | None = None
    since: datetime | None = None  # at or after
    until: datetime | None = None  # before


def audit_entries_query(c: AuditCriteria) -> Select[Any]:
    """Audit entries matching ``c``."""
    e = m.AuditEntry
    query = select(e)
    if c.actor is not None:
        query = query.where(e.actor == c.actor)
    if c.actions:
        query = query.where(e.action.in_(c.actions))
    if c.kinds:
        query = query.where(e.kind.in_(c.kinds))
    if c.outcomes:
        query = query.where(e.outcome.in_(c.outcomes))
    if c.object_type is not None and c.object_id is not None:
        o = aliased(m.AuditObject)
        query = query.where(
            exists().where(
                o.entry_id == e.id, o.type_name == c.object_type, o.object_id == c.object_id
            )
        )
    if c.since is not None:
        query = query.where(e.created_at >= c.since)
    if c.until is not None:
        query = query.where(e.created_at < c.until)
    return query


AUDIT_ORDER: dict[str, SortKey] = {
    "AT": SortKey(m.AuditEntry.created_at, kind="datetime"),
    "ID": SortKey(m.AuditEntry.id, kind="int"),
}
