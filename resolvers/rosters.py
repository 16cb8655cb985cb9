"""Which rosters, assignments and runs a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from db import models as m
from db.models.enums import AssignmentStatus, RosterStatus, RunStatus
from resolvers.filters import in_subtree
from resolvers.loaders import ManyByKeyLoader
from resolvers.pagination import SortKey


@dataclass(frozen=True, kw_only=True)
class RosterCriteria:
    organisation_id: int | None = None  # rosters whose scope lies in this subtree
    statuses: list[RosterStatus] | None = None
    covers_day: date | None = None


def rosters_query(c: RosterCriteria) -> Select[Any]:
    """Rosters matching ``c``."""
    r = m.Roster
    query = select(r)
    if c.organisation_id is not None:
        query = query.where(in_subtree(r.organisation_id, c.organisation_id))
    if c.statuses:
        query = query.where(r.status.in_(c.statuses))
    if c.covers_day is not None:
        query = query.where(r.period_start <= c.covers_day, r.period_end >= c.covers_day)
    return query


@dataclass(frozen=True, kw_only=True)
class AssignmentCriteria:
    roster_id: int | None = None
    volunteer_id: int | None = None
    shift_id: int | None = None
    statuses: list[AssignmentStatus] | None = None
    pinned: bool | None = None


def assignments_query(c: AssignmentCriteria) -> Select[Any]:
    """Assignments matching ``c``."""
    a = m.Assignment
    query = select(a)
    for column, value in (
        (a.roster_id, c.roster_id),
        (a.volunteer_id, c.volunteer_id),
        (a.shift_id, c.shift_id),
        (a.pinned, c.pinned),
    ):
        if value is not None:
            query = query.where(column == value)
    if c.statuses:
        query = query.where(a.status.in_(c.statuses))
    return query


@dataclass(frozen=True, kw_only=True)
class RunCriteria:
    organisation_id: int | None = None
    statuses: list[RunStatus] | None = None


def runs_query(c: RunCriteria) -> Select[Any]:
    """Roster runs matching ``c``."""
    run = m.RosterRun
    query = select(run)
    if c.organisation_id is not None:
        query = query.where(in_subtree(run.organisation_id, c.organisation_id))
    if c.statuses:
        query = query.where(run.status.in_(c.statuses))
    return query


ROSTER_ORDER = {
    "PERIOD_START": SortKey(m.Roster.period_start, kind="date"),
    "CREATED_AT": SortKey(m.Roster.created_at, kind="datetime"),
}
ASSIGNMENT_ORDER = {
    "ID": SortKey(m.Assignment.id, kind="int"),
    "CREATED_AT": SortKey(m.Assignment.created_at, kind="datetime"),
}
RUN_ORDER = {
    "CREATED_AT": SortKey(m.RosterRun.created_at, kind="datetime"),
    "PERIOD_START": SortKey(m.RosterRun.period_start, kind="date"),
}


class RostersByRunIdLoader(ManyByKeyLoader):
    model = m.Roster
    key = "run_id"
