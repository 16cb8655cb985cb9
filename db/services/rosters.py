"""Rosters and assignments: the checks every write runs, and the writes themselves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Assignment,
    HeadcountLine,
    Organisation,
    ProtectiveStock,
    Roster,
    RosterRun,
    Shift,
    Volunteer,
)
from db.models.enums import RosterStatus
from db.services import crud
from db.services.errors import ErrorCode, FieldError, ValidationFailed

ROSTER_REFERENCES = (("organisation_id", Organisation), ("run_id", RosterRun))
ASSIGNMENT_REFERENCES = (
    ("roster_id", Roster),
    ("shift_id", Shift),
    ("headcount_line_id", HeadcountLine),
    ("volunteer_id", Volunteer),
    ("stock_id", ProtectiveStock),
)


async def check_roster(
    session: AsyncSession, values: Mapping[str, Any], current: Roster | None
) -> list[FieldError]:
    """A roster needs a scope and a period whose end is not before its start."""
    errors = [
        FieldError(f, ErrorCode.REQUIRED, f"{f} is required")
        for f in ("organisation_id", "period_start", "period_end")
        if values.get(f) is None
    ]
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and end < start:
        errors.append(
            FieldError("period_end", ErrorCode.OUT_OF_RANGE, "period_end is before period_start")
        )
    if current is not None and current.status == RosterStatus.PUBLISHED:
        changed = [
            k
            for k in ("organisation_id", "period_start", "period_end")
            if values.get(k) != getattr(current, k)
        ]
        if changed:
            errors.append(
                FieldError(
                    changed[0],
                    ErrorCode.CONFLICT,
                    "a published roster's scope and period cannot change",
                )
            )
    return errors + await crud.check_references(session, values, ROSTER_REFERENCES)


async def create_roster(session: AsyncSession, *, values: Mapping[str, Any]) -> Roster:
    """A new draft roster for a scope and period."""
    return await crud.create(
        session, Roster, values={"status": RosterStatus.DRAFT, **values}, check=check_roster
    )


async def update_roster(
    session: AsyncSession, *, roster_id: int, changes: Mapping[str, Any]
) -> Roster:
    """Change a roster's scope, period or status."""
    return await crud.update(session, Roster, ident=roster_id, changes=changes, check=check_roster)


async def delete_roster(session: AsyncSession, *, roster_id: int) -> Roster:
    """Delete a roster that is not published, with its assignments."""
    roster = await crud.get(session, Roster, ident=roster_id)
    if roster.status == RosterStatus.PUBLISHED:
        raise ValidationFailed(
            [FieldError("id", ErrorCode.CONFLICT, "a published roster cannot be deleted")]
        )
    return await crud.delete(session, Roster, ident=roster_id)


async def check_assignment(
    session: AsyncSession, values: Mapping[str, Any], current: Assignment | None
) -> list[FieldError]:
    """An assignment's line belongs to its shift, and the shift falls in the roster's period."""
    errors = [
        FieldError(f, ErrorCode.REQUIRED, f"{f} is required")
        for f in ("roster_id", "shift_id", "headcount_line_id", "volunteer_id")
        if values.get(f) is None
    ]
    errors += await crud.check_references(session, values, ASSIGNMENT_REFERENCES)
    if errors:
        return errors
    line = await session.get(HeadcountLine, values["headcount_line_id"])
    if line is not None and line.shift_id != values["shift_id"]:
        errors.append(
            FieldError(
                "headcount_line_id", ErrorCode.INVALID, "the headcount line is not of this shift"
            )
        )
    roster = await session.get(Roster, values["roster_id"])
    shift = await session.get(Shift, values["shift_id"])
    if roster and shift and not roster.period_start <= shift.starts_at.date() <= roster.period_end:
        errors.append(
            FieldError(
                "shift_id", ErrorCode.OUT_OF_RANGE, "the shift is outside the roster's period"
            )
        )
    duplicate = select(Assignment.id).where(
        Assignment.roster_id == values["roster_id"],
        Assignment.shift_id == values["shift_id"],
        Assignment.volunteer_id == values["volunteer_id"],
    )
    if current is not None:
        duplicate = duplicate.where(Assignment.id != current.id)
    if await session.scalar(duplicate.limit(1)) is not None:
        errors.append(
            FieldError(
                "volunteer_id", ErrorCode.DUPLICATE, "the volunteer is already on this shift"
            )
        )
    return errors


async def create_assignment(session: AsyncSession, *, values: Mapping[str, Any]) -> Assignment:
    """Put a volunteer on a shift's headcount line in a roster."""
    return await crud.create(session, Assignment, values=values, check=check_assignment)


async def update_assignment(
    session: AsyncSession, *, assignment_id: int, changes: Mapping[str, Any]
) -> Assignment:
    """Change an assignment's status, pin, line or kit stock."""
    return await crud.update(
        session, Assignment, ident=assignment_id, changes=changes, check=check_assignment
    )


async def delete_assignment(session: AsyncSession, *, assignment_id: int) -> Assignment:
    """Remove an assignment."""
    return await crud.delete(session, Assignment, ident=assignment_id)


async def delete_roster_run(session: AsyncSession, *, run_id: int) -> RosterRun:
    """Delete the record of a finished run; its rosters keep their assignments."""
    run = await crud.get(session, RosterRun, ident=run_id)
    if run.status in ("QUEUED", "RUNNING"):
        raise ValidationFailed(
            [FieldError("id", ErrorCode.CONFLICT, "a run still in progress cannot be deleted")]
        )
    return await crud.delete(session, RosterRun, ident=run_id)
