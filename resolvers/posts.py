"""Which checkpoints and shifts a list returns, in what order, and how well shifts are staffed.

Coverage counts the non-cancelled assignments of published rosters against each headcount
line. The list filter and ``Shift.coverage`` use the same rule, once in SQL and once over the
rows of a single batched statement:

- UNDERSTAFFED: some line has fewer people than its headcount;
- OVERSTAFFED: no line is short and some line is beyond its headcount plus allowed over-cover;
- STAFFED: every line is within headcount .. headcount + allowed over-cover.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from db import models as m
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from resolvers.filters import in_subtree, within_km
from resolvers.loaders import BaseLoader
from resolvers.pagination import SortKey
from resolvers.volunteers import Near

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True, kw_only=True)
class Days:
    """An inclusive range of days; either end may be open."""

    first: date | None = None
    last: date | None = None

    def instants(self, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """The range as [start, end) instants, days counted in ``zone``."""
        start = None if self.first is None else datetime.combine(self.first, time(), zone)
        end = None if self.last is None else datetime.combine(self.last, time(), zone)
        return start, None if end is None else end + timedelta(days=1)


def day_between(column: Any, days: Days) -> list[ColumnElement[bool]]:
    """Conditions keeping a date column within ``days``."""
    conditions = []
    if days.first is not None:
        conditions.append(column >= days.first)
    if days.last is not None:
        conditions.append(column <= days.last)
    return conditions


# --- checkpoints --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CheckpointCriteria:
    """Every criterion is optional; given ones all apply."""

    organisation_id: int | None = None  # the organisation or anywhere below it
    kinds: list[CheckpointKind] | None = None
    risk_levels: list[RiskLevel] | None = None
    using_unit_id: int | None = None
    max_priority: int | None = None  # 1 = most important, so "at least this important"
    requires_training_id: int | None = None
    near: Near | None = None
    name_contains: str | None = None


def checkpoints_query(criteria: CheckpointCriteria) -> Select[Any]:
    """Checkpoints matching ``criteria``."""
    cp = m.Checkpoint
    c = criteria
    query = select(cp)
    if c.organisation_id is not None:
        query = query.where(in_subtree(cp.organisation_id, c.organisation_id))
    if c.kinds:
        query = query.where(cp.kind.in_(c.kinds))
    if c.risk_levels:
        query = query.where(cp.risk_level.in_(c.risk_levels))
    if c.using_unit_id is not None:
        query = query.where(cp.using_unit_id == c.using_unit_id)
    if c.max_priority is not None:
        query = query.where(cp.priority <= c.max_priority)
    if c.requires_training_id is not None:
        required = m.checkpoint_required_trainings.c
        query = query.where(
            exists().where(
                required.checkpoint_id == cp.id, required.training_id == c.requires_training_id
            )
        )
    if c.near is not None:
        query = query.where(
            within_km(
                cp.latitude,
                cp.longitude,
                latitude=c.near.latitude,
                longitude=c.near.longitude,
                km=c.near.km,
            )
        )
    if c.name_contains:
        query = query.where(cp.name.contains(c.name_contains, autoescape=True))
    return query


CHECKPOINT_ORDER: dict[str, SortKey] = {
    "NAME": SortKey(m.Checkpoint.name),
    "CODE": SortKey(m.Checkpoint.code),
    "PRIORITY": SortKey(m.Checkpoint.priority, kind="int"),
    "CREATED_AT": SortKey(m.Checkpoint.created_at, kind="datetime"),
    "ID": SortKey(m.Checkpoint.id, kind="int"),
}


# --- coverage -----------------------------------------------------------------------------


class CoverageStatus(enum.StrEnum):
    UNDERSTAFFED = "UNDERSTAFFED"
    STAFFED = "STAFFED"
    OVERSTAFFED = "OVERSTAFFED"


def filled_count(line: Any) -> Any:
    """People on ``line``: non-cancelled assignments of published rosters (a scalar subquery)."""
    a, r = m.Assignment, m.Roster
    return (
        select(func.count(a.id))
        .join(r, r.id == a.roster_id)
        .where(
            a.headcount_line_id == line.id,
            r.status == RosterStatus.PUBLISHED,
            a.status != AssignmentStatus.CANCELLED,
        )
        .scalar_subquery()
    )


def coverage_is(status: CoverageStatus) -> ColumnElement[bool]:
    """Shifts whose coverage has ``status``, as correlated subqueries on the shift."""
    short_line, over_line = aliased(m.HeadcountLine), aliased(m.HeadcountLine)
    short = exists().where(
        short_line.shift_id == m.Shift.id, filled_count(short_line) < short_line.headcount
    )
    over = exists().where(
        over_line.shift_id == m.Shift.id,
        filled_count(over_line) > over_line.headcount + over_line.max_over_cover,
    )
    if status == CoverageStatus.UNDERSTAFFED:
        return short
    if status == CoverageStatus.OVERSTAFFED:
        return and_(not_(short), over)
    return and_(not_(short), not_(over))


@dataclass(frozen=True, slots=True)
class ShiftCoverage:
    required: int
    filled: int
    short: bool  # some line below its headcount
    over: bool  # some line beyond its headcount plus allowed over-cover

    @property
    def status(self) -> CoverageStatus:
        if self.short:
            return CoverageStatus.UNDERSTAFFED
        return CoverageStatus.OVERSTAFFED if self.over else CoverageStatus.STAFFED


class CoverageByShiftIdLoader(BaseLoader):
    """Coverage of many shifts from one statement over their headcount lines."""

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        line = m.HeadcountLine
        query = select(line.shift_id, line.headcount, line.max_over_cover, filled_count(line))
        rows = (await session.execute(query.where(line.shift_id.in_(keys)))).all()
        by_shift: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for shift_id, headcount, over_cover, filled in rows:
            by_shift[shift_id].append((headcount, over_cover, filled))
        return [_coverage(by_shift.get(k, [])) for k in keys]


def _coverage(lines: list[tuple[int, int, int]]) -> ShiftCoverage:
    return ShiftCoverage(
        required=sum(h for h, _, _ in lines),
        filled=sum(f for _, _, f in lines),
        short=any(f < h for h, _, f in lines),
        over=any(f > h + o for h, o, f in lines),
    )


# --- shifts -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ShiftCriteria:
    """Every criterion is optional; given ones all apply."""

    starts_from: datetime | None = None
    starts_before: datetime | None = None
    days: Days | None = None  # shifts starting on these days
    zone: ZoneInfo = UTC_ZONE  # where ``days`` are counted
    checkpoint_id: int | None = None
    organisation_id: int | None = None  # the checkpoint's organisation or below it
    shift_types: list[str] | None = None
    coverage: CoverageStatus | None = None
    needs_skill_id: int | None = None


def shifts_query(criteria: ShiftCriteria) -> Select[Any]:
    """Shifts matching ``criteria``, joined to their checkpoint (for ordering by priority)."""
    s, cp = m.Shift, m.Checkpoint
    c = criteria
    query = select(s).join(cp, cp.id == s.checkpoint_id)
    if c.starts_from is not None:
        query = query.where(s.starts_at >= c.starts_from)
    if c.starts_before is not None:
        query = query.where(s.starts_at < c.starts_before)
    if c.days is not None:
        start, end = c.days.instants(c.zone)
        if start is not None:
            query = query.where(s.starts_at >= start)
        if end is not None:
            query = query.where(s.starts_at < end)
    if c.checkpoint_id is not None:
        query = query.where(s.checkpoint_id == c.checkpoint_id)
    if c.organisation_id is not None:
        query = query.where(in_subtree(cp.organisation_id, c.organisation_id))
    if c.shift_types:
        query = query.where(s.shift_type.in_([t.strip().upper() for t in c.shift_types]))
    if c.coverage is not None:
        query = query.where(coverage_is(c.coverage))
    if c.needs_skill_id is not None:
        line = m.HeadcountLine
        query = query.where(
            exists().where(line.shift_id == s.id, line.skill_id == c.needs_skill_id)
        )
    return query


SHIFT_ORDER: dict[str, SortKey] = {
    "STARTS_AT": SortKey(m.Shift.starts_at, kind="datetime"),
    "PRIORITY": SortKey(m.Checkpoint.priority, kind="int"),
    "ID": SortKey(m.Shift.id, kind="int"),
}
