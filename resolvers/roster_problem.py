"""The optimizer's view of a scope and period, read from the register.

Runs build the problem for the days they plan; manual edits build it for an existing roster
and check the edited roster with the optimizer's own checker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Assignment
from db.models import Roster as RosterRow
from db.models.enums import AssignmentStatus
from db.services.problem_rows import Rows, load_rows
from matching import Problem, Weights, unfilled_heads
from matching import Roster as Plan
from resolvers.problem import (
    DEFAULT_RULES,
    placement_from_row,
    problem_from_rows,
    published_placements,
)


@dataclass(frozen=True)
class Planning:
    """A problem with the rows it came from (ids are the register's, as strings)."""

    problem: Problem
    rows: Rows


async def planning_for(
    session: AsyncSession,
    *,
    organisation_id: int,
    start: date,
    days: int,
    zone: ZoneInfo,
    weights: Weights | None = None,
) -> Planning:
    """The problem of a run: the published roster of the scope is the previous one to keep."""
    rows = await load_rows(
        session, organisation_id=organisation_id, start=start, days=days, zone=zone
    )
    previous, pinned = published_placements(rows)
    problem = problem_from_rows(
        rows,
        start=start,
        days=days,
        zone=zone,
        rules=DEFAULT_RULES,
        weights=weights,
        pinned=pinned,
        previous=previous,
    )
    return Planning(problem, rows)


async def planning_for_roster(
    session: AsyncSession, *, roster: RosterRow, zone: ZoneInfo
) -> tuple[Planning, Plan]:
    """The problem a roster answers, and the roster as the optimizer sees it (its pins too)."""
    days = (roster.period_end - roster.period_start).days + 1
    rows = await load_rows(
        session,
        organisation_id=roster.organisation_id,
        start=roster.period_start,
        days=days,
        zone=zone,
    )
    mine = await roster_assignments(session, roster_id=roster.id)
    problem = problem_from_rows(rows, start=roster.period_start, days=days, zone=zone)
    pinned = tuple(
        placement_from_row(a) for a in mine if a["pinned"] or str(a["status"]) == "CONFIRMED"
    )
    problem = replace(problem, pinned=pinned)
    placements = tuple(placement_from_row(a) for a in mine)
    return Planning(problem, rows), Plan(placements, unfilled_heads(problem, placements))


async def roster_assignments(session: AsyncSession, *, roster_id: int) -> list[dict[str, Any]]:
    """A roster's assignments that are not cancelled, as plain rows."""
    result = await session.execute(
        select(Assignment.__table__).where(
            Assignment.roster_id == roster_id,
            Assignment.status != AssignmentStatus.CANCELLED,
        )
    )
    return [dict(r) for r in result.mappings()]
