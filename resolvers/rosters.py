"""Which rosters, assignments and runs a list returns, and in what order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db import models as m
from db.models.enums import AssignmentStatus, RosterStatus, RunStatus
from resolvers.filters import in_subtree
from resolvers.loaders import BaseLoader, ManyByKeyLoader
from resolvers.pagination import SortKey
from resolvers.scope import ScopeRule, register_scope, subtree_ids, visible


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


# --- gaps, dispatch lists, schedules and a checkpoint's day ---------------------------------


def _gaps_for_coordinator(root: int) -> Any:
    roster = aliased(m.Roster)
    rosters = select(roster.id).where(roster.organisation_id.in_(subtree_ids(root)))
    return m.RosterGap.roster_id.in_(rosters)


# Gaps are for schedulers and coordinators (of the roster's scope), not for volunteers.
register_scope(m.RosterGap, ScopeRule(coordinator=_gaps_for_coordinator))


def gaps_query(roster_id: int) -> Select[Any]:
    """A roster's gaps, joined to their shifts (ordered by start)."""
    gap, line, shift = m.RosterGap, m.HeadcountLine, m.Shift
    return (
        select(gap)
        .join(line, line.id == gap.headcount_line_id)
        .join(shift, shift.id == line.shift_id)
        .where(gap.roster_id == roster_id)
    )


GAP_ORDER = SortKey(m.Shift.starts_at, kind="datetime")


class ShiftIdByLineIdLoader(BaseLoader):
    """The shift of each headcount line (gaps name lines; their shifts cost one statement)."""

    scoped = True  # ids only; the shift itself is loaded, and screened, by its own loader

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        line = m.HeadcountLine
        rows = await session.execute(select(line.id, line.shift_id).where(line.id.in_(keys)))
        found = {line_id: shift_id for line_id, shift_id in rows.all()}
        return [found.get(k) for k in keys]


@dataclass(frozen=True, slots=True)
class DispatchRow:
    """Kits one stock sends to one checkpoint (on the stock's day)."""

    stock_id: int
    day: date
    owner_unit_id: int | None
    item_id: int
    checkpoint_id: int
    kits: int


class DispatchByRosterIdLoader(BaseLoader):
    """Each roster's dispatch list, counted in SQL over its non-cancelled assignments."""

    scoped = True  # only assignments the viewer may see are counted

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        a, s, k = m.Assignment, m.Shift, m.ProtectiveStock
        kits = func.count(a.id)
        query = (
            select(a.roster_id, k.id, k.day, k.owner_unit_id, k.item_id, s.checkpoint_id, kits)
            .join(s, s.id == a.shift_id)
            .join(k, k.id == a.stock_id)
            .where(a.roster_id.in_(keys), a.status != AssignmentStatus.CANCELLED)
            .group_by(a.roster_id, k.id, k.day, k.owner_unit_id, k.item_id, s.checkpoint_id)
            # Day, then the owners' stocks before the city reserve, as the kits leave.
            .order_by(k.day, k.owner_unit_id.is_(None), k.owner_unit_id, k.id, s.checkpoint_id)
        )
        if (allowed := visible(m.Assignment, self.viewer)) is not None:
            query = query.where(allowed)
        grouped: dict[int, list[DispatchRow]] = defaultdict(list)
        for roster_id, *rest in (await session.execute(query)).all():
            grouped[roster_id].append(DispatchRow(*rest))
        return [grouped.get(key, []) for key in keys]


def local_days(first: date | None, last: date | None, zone: ZoneInfo) -> tuple[Any, Any]:
    """Local days ``first``..``last`` (inclusive, either open) as [start, end) instants."""
    start = None if first is None else datetime.combine(first, time(), zone)
    end = None if last is None else datetime.combine(last + timedelta(days=1), time(), zone)
    return start, end


def published_assignments() -> Select[Any]:
    """Non-cancelled assignments of published rosters, joined to their shifts."""
    a, r, s = m.Assignment, m.Roster, m.Shift
    return (
        select(a)
        .join(r, r.id == a.roster_id)
        .join(s, s.id == a.shift_id)
        .where(r.status == RosterStatus.PUBLISHED, a.status != AssignmentStatus.CANCELLED)
    )


class ScheduleLoader(BaseLoader):
    """Published assignments per (volunteer id, start instant, end instant), by shift start.

    A list of volunteers asks with the same window, so it costs one statement.
    """

    async def fetch(self, session: AsyncSession, keys: list[Any]) -> list[Any]:
        windows: dict[tuple[Any, Any], list[int]] = defaultdict(list)
        for volunteer_id, start, end in keys:
            windows[(start, end)].append(volunteer_id)
        found: dict[Any, list[Any]] = defaultdict(list)
        for (start, end), volunteers in windows.items():
            query = published_assignments().where(m.Assignment.volunteer_id.in_(volunteers))
            if start is not None:
                query = query.where(m.Shift.starts_at >= start)
            if end is not None:
                query = query.where(m.Shift.starts_at < end)
            query = query.order_by(m.Shift.starts_at, m.Assignment.id)
            for row in (await session.scalars(query)).all():
                found[(row.volunteer_id, start, end)].append(row)
        return [found.get(key, []) for key in keys]


class ShiftsOfDayLoader(BaseLoader):
    """Shifts per (checkpoint id, start instant, end instant) of a local day, by start."""

    async def fetch(self, session: AsyncSession, keys: list[Any]) -> list[Any]:
        windows: dict[tuple[Any, Any], list[int]] = defaultdict(list)
        for checkpoint_id, start, end in keys:
            windows[(start, end)].append(checkpoint_id)
        found: dict[Any, list[Any]] = defaultdict(list)
        for (start, end), checkpoints in windows.items():
            s = m.Shift
            query = (
                select(s)
                .where(s.checkpoint_id.in_(checkpoints), s.starts_at >= start, s.starts_at < end)
                .order_by(s.starts_at, s.id)
            )
            for row in (await session.scalars(query)).all():
                found[(row.checkpoint_id, start, end)].append(row)
        return [found.get(key, []) for key in keys]


class PublishedAssignmentsByShiftIdLoader(BaseLoader):
    """Who is on each shift in published rosters (non-cancelled), by line then id."""

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        a = m.Assignment
        query = (
            published_assignments().where(a.shift_id.in_(keys)).order_by(a.headcount_line_id, a.id)
        )
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in (await session.scalars(query)).all():
            grouped[row.shift_id].append(row)
        return [grouped.get(k, []) for k in keys]


@dataclass(frozen=True, slots=True)
class LineCoverageRow:
    """One headcount line of a shift: needed, filled and the gap a roster records."""

    line_id: int
    headcount: int
    max_over_cover: int
    filled: int
    missing: int | None
    reason: str | None


class LineCoverageLoader(BaseLoader):
    """Per (shift id, roster id or None for the published rosters): each line's coverage.

    Two statements whatever the number of shifts: the lines with their filled counts, and the
    gaps recorded for them.
    """

    scoped = True  # counts and reasons only; lines are the shift's, screened with the shift

    async def fetch(self, session: AsyncSession, keys: list[Any]) -> list[Any]:
        line, a, r, gap = m.HeadcountLine, m.Assignment, m.Roster, m.RosterGap
        shift_ids = sorted({shift_id for shift_id, _ in keys})
        rosters = {roster_id for _, roster_id in keys}
        counts: dict[tuple[int, int | None], int] = defaultdict(int)
        gaps: dict[tuple[int, int | None], tuple[int, str]] = {}
        lines = (
            await session.execute(
                select(line.id, line.shift_id, line.headcount, line.max_over_cover)
                .where(line.shift_id.in_(shift_ids))
                .order_by(line.id)
            )
        ).all()
        line_ids = [row.id for row in lines]
        on_published = r.status == RosterStatus.PUBLISHED
        counted = (
            select(a.headcount_line_id, a.roster_id, on_published, func.count(a.id))
            .join(r, r.id == a.roster_id)
            .where(a.headcount_line_id.in_(line_ids), a.status != AssignmentStatus.CANCELLED)
            .group_by(a.headcount_line_id, a.roster_id, on_published)
        )
        for line_id, roster_id, published, n in (await session.execute(counted)).all():
            if published:
                counts[(line_id, None)] += n
            if roster_id in rosters:
                counts[(line_id, roster_id)] += n
        recorded = (
            select(gap.headcount_line_id, gap.roster_id, on_published, gap.missing, gap.reason)
            .join(r, r.id == gap.roster_id)
            .where(gap.headcount_line_id.in_(line_ids))
            .order_by(gap.roster_id)  # the newest published roster's gap wins
        )
        for line_id, roster_id, published, missing, reason in (
            await session.execute(recorded)
        ).all():
            if published:
                gaps[(line_id, None)] = (missing, reason)
            if roster_id in rosters:
                gaps[(line_id, roster_id)] = (missing, reason)
        by_shift: dict[int, list[Any]] = defaultdict(list)
        for row in lines:
            by_shift[row.shift_id].append(row)
        out = []
        for shift_id, roster_id in keys:
            entries = []
            for row in by_shift.get(shift_id, []):
                missing, reason = gaps.get((row.id, roster_id), (None, None))
                entries.append(
                    LineCoverageRow(
                        line_id=row.id,
                        headcount=row.headcount,
                        max_over_cover=row.max_over_cover,
                        filled=counts[(row.id, roster_id)],
                        missing=missing,
                        reason=reason,
                    )
                )
            out.append(entries)
        return out
