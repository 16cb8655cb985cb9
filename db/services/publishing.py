"""Publishing a roster: it replaces the published roster of its scope and period, atomically.

Days of the replaced roster outside the new one's period are kept: their assignments move to
the new roster, whose period grows to cover them, so tonight's rebuild of the coming week
never drops today's published shifts.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Assignment, HeadcountLine, Roster, RosterGap, RosterRun, Shift
from db.models.base import utcnow
from db.models.enums import RosterStatus, RunStatus
from db.services.errors import ErrorCode, FieldError, NotFound, ValidationFailed
from db.services.problem_rows import local_window, replaced_rosters
from db.services.rosters import set_roster_active


async def publish_roster(
    session: AsyncSession, *, roster_id: int, zone: ZoneInfo
) -> tuple[Roster, list[int]]:
    """Publish a proposed or draft roster; the ids of the rosters it replaced (now archived)."""
    roster = await session.get(Roster, roster_id, with_for_update=True, populate_existing=True)
    if roster is None:
        raise NotFound("roster_id", "roster", roster_id)
    if roster.status not in (RosterStatus.PROPOSED, RosterStatus.DRAFT):
        raise ValidationFailed(
            [
                FieldError(
                    "roster_id",
                    ErrorCode.CONFLICT,
                    f"roster {roster_id} is {roster.status.value.lower()}; only a proposed or"
                    " draft roster can be published",
                )
            ]
        )
    if roster.run_id is not None:
        run = await session.get(RosterRun, roster.run_id)
        if run is not None and run.status != RunStatus.SUCCEEDED:
            raise ValidationFailed(
                [
                    FieldError(
                        "roster_id",
                        ErrorCode.CONFLICT,
                        f"run {run.id} is {run.status.value.lower()}; its roster is incomplete",
                    )
                ]
            )
    old = await replaced_rosters(
        session,
        organisation_id=roster.organisation_id,
        start=roster.period_start,
        end=roster.period_end,
    )
    for previous in old:
        await _carry_over(session, previous=previous, into=roster, zone=zone)
        await set_roster_active(session, roster_id=previous.id, active=False)
        previous.status = RosterStatus.ARCHIVED
    roster.status = RosterStatus.PUBLISHED
    roster.published_at = utcnow()
    await session.flush()
    await set_roster_active(session, roster_id=roster.id, active=True)
    return roster, [r.id for r in old]


async def _carry_over(
    session: AsyncSession, *, previous: Roster, into: Roster, zone: ZoneInfo
) -> None:
    """Move the previous roster's assignments and gaps outside ``into``'s period into it."""
    origin, end = local_window(
        start=into.period_start, days=(into.period_end - into.period_start).days + 1, zone=zone
    )
    outside = or_(Shift.starts_at < origin, Shift.starts_at >= end)
    moved = list(
        await session.scalars(
            select(Assignment.id)
            .join(Shift, Shift.id == Assignment.shift_id)
            .where(Assignment.roster_id == previous.id, outside)
        )
    )
    if moved:
        await session.execute(
            update(Assignment).where(Assignment.id.in_(moved)).values(roster_id=into.id)
        )
    gaps = list(
        await session.scalars(
            select(RosterGap.id)
            .join(HeadcountLine, HeadcountLine.id == RosterGap.headcount_line_id)
            .join(Shift, Shift.id == HeadcountLine.shift_id)
            .where(RosterGap.roster_id == previous.id, outside)
        )
    )
    if gaps:
        await session.execute(
            update(RosterGap).where(RosterGap.id.in_(gaps)).values(roster_id=into.id)
        )
    if moved or gaps:
        into.period_start = min(into.period_start, previous.period_start)
        into.period_end = max(into.period_end, previous.period_end)
