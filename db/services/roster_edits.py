"""Manual roster edits, the write side: put on, take off, pin; and the edited line's gap.

The rules are checked before these run (``resolvers.roster_edits``, with the optimizer's
checker); the writes go through ``db.services.rosters`` so its own checks (duplicates, no
volunteer on two overlapping active assignments) hold for edits too.
"""

from __future__ import annotations

from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Assignment, HeadcountLine, Roster, RosterGap
from db.models.enums import AssignmentStatus, RosterStatus
from db.services import crud, rosters
from db.services.errors import ErrorCode, FieldError, NotFound, ValidationFailed


async def editable_roster(session: AsyncSession, *, roster_id: int, field: str) -> Roster:
    """The roster, locked against concurrent edits; an archived one refuses edits."""
    roster = await session.get(Roster, roster_id, with_for_update=True, populate_existing=True)
    if roster is None:
        raise NotFound(field, "Roster", roster_id)
    if roster.status == RosterStatus.ARCHIVED:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    ErrorCode.CONFLICT,
                    f"roster {roster_id} is archived: edit the roster that replaced it",
                )
            ]
        )
    return roster


async def headcount_line(session: AsyncSession, *, line_id: int, field: str) -> HeadcountLine:
    """The headcount line, or NOT_FOUND."""
    line = await session.get(HeadcountLine, line_id)
    if line is None:
        raise NotFound(field, "HeadcountLine", line_id)
    return line


async def assignment(session: AsyncSession, *, assignment_id: int, field: str) -> Assignment:
    """The assignment, or NOT_FOUND."""
    row = await session.get(Assignment, assignment_id)
    if row is None:
        raise NotFound(field, "Assignment", assignment_id)
    return row


async def add_assignment(
    session: AsyncSession,
    *,
    roster_id: int,
    line: HeadcountLine,
    volunteer_id: int,
    stock_id: int | None,
    pinned: bool,
    zone: ZoneInfo,
) -> Assignment:
    """A proposed assignment of the volunteer to the line, with the kit's stock (the roster's
    period is in local days of ``zone``)."""
    row = await crud.create(
        session,
        Assignment,
        check=partial(rosters.check_assignment, zone=zone),
        values={
            "roster_id": roster_id,
            "shift_id": line.shift_id,
            "headcount_line_id": line.id,
            "volunteer_id": volunteer_id,
            "stock_id": stock_id,
            "pinned": pinned,
            "status": AssignmentStatus.PROPOSED,
        },
    )
    if row.active:
        await rosters.enforce_no_overlap(session, volunteers=[row.volunteer_id])
    return row


async def remove_assignment(session: AsyncSession, *, assignment_id: int) -> Assignment:
    """Take the assignment off its roster (the row goes; the audit log keeps the trace)."""
    return await rosters.delete_assignment(session, assignment_id=assignment_id)


async def set_pinned(
    session: AsyncSession, *, assignment_id: int, pinned: bool, zone: ZoneInfo
) -> Assignment:
    """Pin or unpin; unpinning a confirmed assignment also withdraws the confirmation,
    because confirmed assignments stay through re-planning just as pinned ones do."""
    row = await assignment(session, assignment_id=assignment_id, field="assignment_id")
    changes: dict[str, object] = {"pinned": pinned}
    if not pinned and row.status == AssignmentStatus.CONFIRMED:
        changes["status"] = AssignmentStatus.PROPOSED
    check = partial(rosters.check_assignment, zone=zone)
    row = await crud.update(session, Assignment, ident=assignment_id, changes=changes, check=check)
    if row.active:
        await rosters.enforce_no_overlap(session, volunteers=[row.volunteer_id])
    return row


async def set_gap(
    session: AsyncSession, *, roster_id: int, line_id: int, missing: int, reason: str
) -> RosterGap | None:
    """Record the line's unfilled heads and why; a full line has no gap row."""
    gap = await session.scalar(
        select(RosterGap).where(
            RosterGap.roster_id == roster_id, RosterGap.headcount_line_id == line_id
        )
    )
    if missing <= 0:
        if gap is not None:
            await session.delete(gap)
            await session.flush()
        return None
    if gap is None:
        gap = RosterGap(roster_id=roster_id, headcount_line_id=line_id)
        session.add(gap)
    gap.missing, gap.reason = missing, reason
    await session.flush()
    return gap
