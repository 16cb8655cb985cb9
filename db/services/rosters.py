"""Rosters and assignments: the checks every write runs, and the writes themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import (
    Assignment,
    Checkpoint,
    HeadcountLine,
    Organisation,
    ProtectiveStock,
    Roster,
    RosterRun,
    Shift,
    Volunteer,
)
from db.models.enums import AssignmentStatus, RosterStatus
from db.models.roster import NO_OVERLAP
from db.services import crud
from db.services.errors import ErrorCode, FieldError, ValidationFailed

UTC_ZONE = ZoneInfo("UTC")
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
    """Change a roster's scope, period or status; publishing it checks for double bookings."""
    roster = await crud.get(session, Roster, ident=roster_id)
    was_published = roster.status == RosterStatus.PUBLISHED
    publishing = changes.get("status") == RosterStatus.PUBLISHED and not was_published
    if publishing and (errors := await roster_overlap_errors(session, roster_id=roster_id)):
        raise ValidationFailed(errors)
    row = await crud.update(session, Roster, ident=roster_id, changes=changes, check=check_roster)
    if (row.status == RosterStatus.PUBLISHED) != was_published:
        # The flush hook has (de)activated its assignments.
        await enforce_no_overlap(session, volunteers=volunteers_in(row.id))
    return row


async def delete_roster(session: AsyncSession, *, roster_id: int) -> Roster:
    """Delete a roster that is not published, with its assignments."""
    roster = await crud.get(session, Roster, ident=roster_id)
    if roster.status == RosterStatus.PUBLISHED:
        raise ValidationFailed(
            [FieldError("id", ErrorCode.CONFLICT, "a published roster cannot be deleted")]
        )
    return await crud.delete(session, Roster, ident=roster_id)


async def check_assignment(
    session: AsyncSession,
    values: Mapping[str, Any],
    current: Assignment | None,
    *,
    zone: ZoneInfo = UTC_ZONE,
) -> list[FieldError]:
    """An assignment's line belongs to its shift, the shift falls in the roster's period (local
    days in ``zone``), and an active assignment does not overlap another active one of the same
    volunteer."""
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
    day = shift.starts_at.astimezone(zone).date() if shift else None
    if roster and day and not roster.period_start <= day <= roster.period_end:
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
    if not errors and roster and shift and _counts(roster, values.get("status")):
        errors += await _overlap_errors(
            session,
            volunteer_id=values["volunteer_id"],
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            other=None if current is None else Assignment.id != current.id,
        )
    return errors


def _counts(roster: Roster, status: Any) -> bool:
    """Whether an assignment of this status in this roster is active (may not overlap)."""
    return roster.status == RosterStatus.PUBLISHED and status != AssignmentStatus.CANCELLED


async def create_assignment(
    session: AsyncSession, *, values: Mapping[str, Any], zone: ZoneInfo = UTC_ZONE
) -> Assignment:
    """Put a volunteer on a shift's headcount line in a roster (its days local to ``zone``)."""
    row = await crud.create(
        session, Assignment, values=values, check=partial(check_assignment, zone=zone)
    )
    if row.active:
        await enforce_no_overlap(session, volunteers=[row.volunteer_id])
    return row


async def update_assignment(
    session: AsyncSession,
    *,
    assignment_id: int,
    changes: Mapping[str, Any],
    zone: ZoneInfo = UTC_ZONE,
) -> Assignment:
    """Change an assignment's status, pin, line or kit stock."""
    row = await crud.update(
        session,
        Assignment,
        ident=assignment_id,
        changes=changes,
        check=partial(check_assignment, zone=zone),
    )
    if row.active:
        await enforce_no_overlap(session, volunteers=[row.volunteer_id])
    return row


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


# --- no volunteer on two overlapping active assignments ------------------------------------
#
# An assignment is active when its roster is published and it is not cancelled. Each one
# carries a copy of its shift's window and its ``active`` flag (kept by the flush hook in
# ``db.models.roster``). PostgreSQL refuses overlaps itself (exclusion constraint
# ``ex_assignments_no_overlap``, deferred to commit); on both databases the checks below find
# them first, so that callers get a typed CONFLICT naming the other shift instead of an error.


async def set_roster_active(session: AsyncSession, *, roster_id: int, active: bool) -> None:
    """Make a roster's non-cancelled assignments count (``active``) or stop counting.

    Publishing code calls this in the transaction that changes the roster's status. To replace
    a published roster with another, deactivate the old one first, then activate the new one:
    activating refuses (CONFLICT, naming the shifts) any assignment that would overlap another
    active assignment of the same volunteer, including one in the same roster, and writes
    nothing. On PostgreSQL the exclusion constraint is checked here too, so a concurrent
    publication that got there first is reported the same way rather than at commit.
    """
    await crud.get(session, Roster, ident=roster_id, field="roster_id")
    if active and (errors := await roster_overlap_errors(session, roster_id=roster_id)):
        raise ValidationFailed(errors)
    flag = (Assignment.status != AssignmentStatus.CANCELLED) if active else False
    await session.execute(
        Assignment.__table__.update().where(Assignment.roster_id == roster_id).values(active=flag)
    )
    # Loaded assignments of this roster would otherwise show the old flag.
    for row in list(session.identity_map.values()):
        if isinstance(row, Assignment) and row.roster_id == roster_id:
            session.expire(row, ["active"])
    if active:
        await enforce_no_overlap(session, volunteers=volunteers_in(roster_id))


def volunteers_in(roster_id: int) -> Select[tuple[int]]:
    """The volunteers a roster assigns."""
    return select(Assignment.volunteer_id).where(Assignment.roster_id == roster_id)


def volunteers_on(shift_id: int) -> Select[tuple[int]]:
    """The volunteers assigned to a shift, in any roster."""
    return select(Assignment.volunteer_id).where(Assignment.shift_id == shift_id)


async def roster_overlap_errors(session: AsyncSession, *, roster_id: int) -> list[FieldError]:
    """CONFLICTs the roster's assignments would cause if it were published now."""
    mine, other = aliased(Assignment), aliased(Assignment)
    clash = and_(
        other.volunteer_id == mine.volunteer_id,
        other.starts_at < mine.ends_at,
        other.ends_at > mine.starts_at,
        or_(
            and_(other.active, other.roster_id != roster_id),
            # two overlapping shifts of one volunteer inside this roster
            and_(
                other.roster_id == roster_id,
                other.id < mine.id,
                other.status != AssignmentStatus.CANCELLED,
            ),
        ),
    )
    query = (
        select(mine.volunteer_id, mine.shift_id, other.id)
        .join(other, clash)
        .where(mine.roster_id == roster_id, mine.status != AssignmentStatus.CANCELLED)
        .order_by(mine.id, other.id)
        .limit(MAX_REPORTED)
    )
    errors = []
    for volunteer_id, shift_id, other_id in (await session.execute(query)).all():
        errors += await _describe(session, [other_id], volunteer_id, shift_id, field="roster_id")
    return errors


async def shift_window_errors(
    session: AsyncSession, *, shift_id: int, starts_at: datetime, ends_at: datetime
) -> list[FieldError]:
    """CONFLICTs moving a shift to this window would cause for its active assignments."""
    mine, other = aliased(Assignment), aliased(Assignment)
    query = (
        select(mine.volunteer_id, other.id)
        .join(
            other,
            and_(
                other.volunteer_id == mine.volunteer_id,
                other.active,
                other.shift_id != shift_id,
                other.starts_at < ends_at,
                other.ends_at > starts_at,
            ),
        )
        .where(mine.shift_id == shift_id, mine.active)
        .order_by(mine.id, other.id)
        .limit(MAX_REPORTED)
    )
    errors = []
    for volunteer_id, other_id in (await session.execute(query)).all():
        errors += await _describe(session, [other_id], volunteer_id, None, field="starts_at")
    return errors


MAX_REPORTED = 20  # overlaps named in one refusal; the rest follow once these are fixed


async def _overlap_errors(
    session: AsyncSession,
    *,
    volunteer_id: int,
    starts_at: datetime,
    ends_at: datetime,
    other: ColumnElement[bool] | None,
) -> list[FieldError]:
    query = select(Assignment.id).where(
        Assignment.volunteer_id == volunteer_id,
        Assignment.active,
        Assignment.starts_at < ends_at,
        Assignment.ends_at > starts_at,
    )
    if other is not None:
        query = query.where(other)
    ids = list(await session.scalars(query.order_by(Assignment.starts_at).limit(MAX_REPORTED)))
    return await _describe(session, ids, volunteer_id, None)


async def _describe(
    session: AsyncSession,
    assignment_ids: list[int],
    volunteer_id: int,
    shift_id: int | None,
    *,
    field: str = "volunteer_id",
) -> list[FieldError]:
    """One CONFLICT per clashing assignment, naming the volunteer and the other shift."""
    if not assignment_ids:
        return []
    volunteer = await session.get(Volunteer, volunteer_id)
    who = volunteer.name if volunteer else f"Volunteer {volunteer_id}"
    on = "" if shift_id is None else f"'s shift {shift_id}"
    query = (
        select(Assignment.roster_id, Shift.id, Shift.starts_at, Shift.ends_at, Checkpoint.name)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Checkpoint, Checkpoint.id == Shift.checkpoint_id)
        .where(Assignment.id.in_(assignment_ids))
        .order_by(Shift.starts_at)
    )
    return [
        FieldError(
            field,
            ErrorCode.CONFLICT,
            f"{who}{on} overlaps shift {other_shift} at {post}, "
            f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M} UTC, in roster {roster_id}: "
            "nobody can be on two overlapping shifts",
        )
        for roster_id, other_shift, starts, ends, post in (await session.execute(query)).all()
    ]


async def enforce_no_overlap(
    session: AsyncSession, *, volunteers: Iterable[int] | Select[tuple[int]] | None = None
) -> None:
    """Check the rule again now that the writes are flushed, against concurrent writers.

    The checks above read before writing, so a concurrent transaction may have made an
    overlapping assignment active meanwhile. On PostgreSQL the exclusion constraint is checked
    now instead of at commit (and stays deferred for the rest of the transaction). On SQLite
    the flushed write holds the database's only write lock, so reading again now sees every
    committed write and none can slip in before commit. ``volunteers`` (ids, or a select of
    them) narrows the SQLite check; by default every active assignment is checked.
    """
    await session.flush()
    try:
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text(f"SET CONSTRAINTS {NO_OVERLAP} IMMEDIATE"))
            await session.execute(text(f"SET CONSTRAINTS {NO_OVERLAP} DEFERRED"))
            return
        clash = await _active_clash(session, volunteers)
    except IntegrityError as exc:
        await session.rollback()
        raise ValidationFailed([_raced()]) from exc
    if clash is not None:
        await session.rollback()
        raise ValidationFailed([_raced()])


async def _active_clash(
    session: AsyncSession, volunteers: Iterable[int] | Select[tuple[int]] | None
) -> tuple[int, int] | None:
    """Two overlapping active assignments of one volunteer, if any."""
    first, second = aliased(Assignment), aliased(Assignment)
    query = (
        select(first.id, second.id)
        .join(
            second,
            and_(
                second.volunteer_id == first.volunteer_id,
                second.id > first.id,
                second.active,
                second.starts_at < first.ends_at,
                second.ends_at > first.starts_at,
            ),
        )
        .where(first.active)
        .limit(1)
    )
    if volunteers is not None:
        ids = volunteers if isinstance(volunteers, Select) else list(volunteers)
        query = query.where(first.volunteer_id.in_(ids))
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


def _raced() -> FieldError:
    message = (
        "a volunteer would be on two overlapping shifts of published rosters "
        "(changed by someone else meanwhile); reload and try again"
    )
    return FieldError("volunteer_id", ErrorCode.CONFLICT, message)
