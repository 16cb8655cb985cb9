"""What a roster run reads from the register: rows for one scope and period, as plain dicts.

The rows have the shape of the scenario generator's (table name → list of column dicts), so
the same bridge turns either into the optimizer's problem. Two extra tables describe what
published rosters already hold (the kits the busy ones draw are taken off the stocks):

- ``busy``: assignments of the scope's volunteers that this run may not move (other scopes'
  rosters, and days just outside the period), as time windows;
- ``published``: the in-period assignments of the roster this run would replace (the
  previous roster it should change little, with the pinned and confirmed ones it must keep).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Assignment,
    Availability,
    Certificate,
    Checkpoint,
    Grid,
    HeadcountLine,
    HealthReport,
    Organisation,
    ProtectiveItem,
    ProtectiveStock,
    Roster,
    Shift,
    Skill,
    Training,
    Unit,
    Volunteer,
    checkpoint_required_trainings,
    volunteer_skills,
)
from db.models.enums import AssignmentStatus, RosterStatus

Rows = dict[str, list[dict[str, Any]]]
# Rest rules reach across the period's edges; shifts this close to it still count.
EDGE = timedelta(days=1)


def local_window(*, start: date, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants at which local day ``start`` begins and ``start + days`` begins."""
    origin = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    return origin, origin + timedelta(days=days)


async def replaced_rosters(
    session: AsyncSession, *, organisation_id: int, start: date, end: date
) -> list[Roster]:
    """Published rosters of this scope whose period overlaps ``start``..``end`` (inclusive)."""
    result = await session.scalars(
        select(Roster)
        .where(
            Roster.organisation_id == organisation_id,
            Roster.status == RosterStatus.PUBLISHED,
            Roster.period_start <= end,
            Roster.period_end >= start,
        )
        .order_by(Roster.id)
    )
    return list(result)


async def load_rows(
    session: AsyncSession,
    *,
    organisation_id: int,
    start: date,
    days: int,
    zone: ZoneInfo,
    replacing: list[int] | None = None,
) -> Rows:
    """Every row the optimizer needs for the scope's subtree and the period's local days.

    ``replacing`` lists the published rosters this run would replace (by default those of the
    scope overlapping the period): their in-period assignments are ``published``, not ``busy``.
    """
    scope = await session.get(Organisation, organisation_id)
    if scope is None:
        raise LookupError(f"organisation {organisation_id} does not exist")
    if replacing is None:
        end_day = start + timedelta(days=days - 1)
        replacing = [
            r.id
            for r in await replaced_rosters(
                session, organisation_id=organisation_id, start=start, end=end_day
            )
        ]
    origin, end = local_window(start=start, days=days, zone=zone)
    in_scope = Organisation.path.startswith(scope.path, autoescape=True)

    checkpoints = await _rows(
        session,
        select(Checkpoint.__table__)
        .join(Organisation, Organisation.id == Checkpoint.organisation_id)
        .where(in_scope),
    )
    checkpoint_ids = [c["id"] for c in checkpoints]
    shifts = await _rows(
        session,
        select(Shift.__table__).where(
            Shift.checkpoint_id.in_(checkpoint_ids),
            Shift.starts_at >= origin,
            Shift.starts_at < end,
        ),
    )
    shift_ids = [s["id"] for s in shifts]
    volunteers = await _rows(
        session,
        select(Volunteer.__table__)
        .join(Organisation, Organisation.id == Volunteer.organisation_id)
        .where(in_scope)
        .order_by(Volunteer.id),
    )
    volunteer_ids = [v["id"] for v in volunteers]
    holding = await _holding(
        session,
        volunteer_ids=volunteer_ids,
        origin=origin,
        end=end,
        replacing=replacing,
    )
    draws = Counter(a["stock_id"] for a in holding["busy"] if a["stock_id"] is not None)
    stocks = await _rows(
        session,
        select(ProtectiveStock.__table__).where(
            ProtectiveStock.day >= start,
            ProtectiveStock.day < start + timedelta(days=days),
        ),
    )
    return {
        # Names, so that the optimizer's reasons read in a scheduler's words.
        "units": await _rows(session, select(Unit.id, Unit.name)),
        "skills": await _rows(session, select(Skill.id, Skill.code, Skill.name)),
        "trainings": await _rows(session, select(Training.id, Training.code, Training.name)),
        "protective_items": await _rows(
            session, select(ProtectiveItem.id, ProtectiveItem.code, ProtectiveItem.name)
        ),
        "checkpoints": checkpoints,
        "checkpoint_required_trainings": await _rows(
            session,
            select(checkpoint_required_trainings).where(
                checkpoint_required_trainings.c.checkpoint_id.in_(checkpoint_ids)
            ),
        ),
        "grids": await _rows(
            session,
            select(Grid.id, Grid.claimed_by_unit_id).where(
                Grid.id.in_({c["grid_id"] for c in checkpoints if c["grid_id"] is not None})
            ),
        ),
        "shifts": shifts,
        "headcount_lines": await _rows(
            session, select(HeadcountLine.__table__).where(HeadcountLine.shift_id.in_(shift_ids))
        ),
        "volunteers": volunteers,
        "volunteer_skills": await _rows(
            session,
            select(volunteer_skills).where(volunteer_skills.c.volunteer_id.in_(volunteer_ids)),
        ),
        "certificates": await _rows(
            session,
            select(Certificate.__table__).where(Certificate.volunteer_id.in_(volunteer_ids)),
        ),
        "availabilities": await _rows(
            session,
            select(Availability.__table__).where(
                Availability.volunteer_id.in_(volunteer_ids),
                Availability.ends_at > origin - EDGE,
                Availability.starts_at < end + EDGE,
            ),
        ),
        "health_reports": await _rows(
            session,
            select(HealthReport.__table__).where(
                HealthReport.volunteer_id.in_(volunteer_ids),
                HealthReport.day >= start,
                HealthReport.day < start + timedelta(days=days),
            ),
        ),
        "protective_stocks": [
            s | {"quantity": max(0, s["quantity"] - draws[s["id"]])} for s in stocks
        ],
        **holding,
    }


async def _holding(
    session: AsyncSession,
    *,
    volunteer_ids: list[int],
    origin: datetime,
    end: datetime,
    replacing: list[int],
) -> Rows:
    """Active assignments of these volunteers near the period: ``published`` or ``busy``."""
    rows = await _rows(
        session,
        select(
            Assignment.id,
            Assignment.roster_id,
            Assignment.volunteer_id,
            Assignment.headcount_line_id,
            Assignment.stock_id,
            Assignment.status,
            Assignment.pinned,
            Shift.starts_at,
            Shift.ends_at,
        )
        .join(Roster, Roster.id == Assignment.roster_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(
            Roster.status == RosterStatus.PUBLISHED,
            Assignment.status != AssignmentStatus.CANCELLED,
            Assignment.volunteer_id.in_(volunteer_ids),
            Shift.ends_at > origin - EDGE,
            Shift.starts_at < end + EDGE,
        )
        .order_by(Assignment.id),
    )
    published, busy = [], []
    for a in rows:
        inside = origin <= a["starts_at"] < end
        (published if inside and a["roster_id"] in replacing else busy).append(a)
    return {"published": published, "busy": busy}


async def _rows(session: AsyncSession, statement: Select[Any]) -> list[dict[str, Any]]:
    result = await session.execute(statement)
    return [dict(row) for row in result.mappings()]
