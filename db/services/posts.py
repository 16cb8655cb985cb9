"""Checkpoints and shifts: the checks every write runs, and the operations that change them.

A shift is written together with its headcount lines, so both are checked before either is
stored, and a refused shift leaves neither behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Assignment,
    Checkpoint,
    Grid,
    HeadcountLine,
    Organisation,
    ProtectiveItem,
    Roster,
    Shift,
    Skill,
    Training,
    Unit,
    checkpoint_required_trainings,
)
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from db.services import crud
from db.services.checks import (
    clean_text,
    coordinate_errors,
    enum_errors,
    missing_ids,
    number_errors,
    text_errors,
    window_errors,
)
from db.services.errors import ErrorCode, FieldError, ValidationFailed
from db.services.rosters import enforce_no_overlap, shift_window_errors, volunteers_on

CHECKPOINT_REFERENCES = (
    ("organisation_id", Organisation),
    ("using_unit_id", Unit),
    ("grid_id", Grid),
)
SHIFT_REFERENCES = (("checkpoint_id", Checkpoint), ("kit_item_id", ProtectiveItem))
PRIORITY_RANGE = (1, 5)
LONGEST_SHIFT = timedelta(hours=24)


def _published_assignments(*conditions: Any) -> Any:
    """Non-cancelled assignments of published rosters matching ``conditions``."""
    return exists().where(
        Assignment.roster_id == Roster.id,
        Roster.status == RosterStatus.PUBLISHED,
        Assignment.status != AssignmentStatus.CANCELLED,
        *conditions,
    )


# --- checkpoints --------------------------------------------------------------------------


def checkpoint_value_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """Problems visible in a checkpoint's values alone."""
    errors = text_errors(Checkpoint, values, "name", "code")
    errors += enum_errors(values, "kind", CheckpointKind)
    errors += enum_errors(values, "risk_level", RiskLevel)
    for field in ("organisation_id", "using_unit_id"):
        if values.get(field) is None:
            errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required"))
    errors += coordinate_errors(values)
    if "priority" in values:  # left out, the column's default applies
        low, high = PRIORITY_RANGE
        errors += number_errors(values, "priority", low, high)
    return errors


async def check_checkpoint(
    session: AsyncSession, values: Mapping[str, Any], current: Checkpoint | None
) -> list[FieldError]:
    """Every problem with a checkpoint's values as they would be stored."""
    errors = checkpoint_value_errors(values)
    errors += await crud.check_references(session, values, CHECKPOINT_REFERENCES)
    if not any(e.field == "code" for e in errors):
        errors += await crud.check_unique(session, Checkpoint, values, current, "code")
    return errors


async def _training_errors(session: AsyncSession, training_ids: Iterable[int]) -> list[FieldError]:
    if missing := await missing_ids(session, Training, training_ids):
        shown = ", ".join(map(str, missing))
        return [
            FieldError(
                "required_training_ids", ErrorCode.NOT_FOUND, f"Training {shown} does not exist"
            )
        ]
    return []


async def _set_required_trainings(
    session: AsyncSession, checkpoint_id: int, training_ids: Iterable[int]
) -> None:
    table = checkpoint_required_trainings
    await session.execute(delete(table).where(table.c.checkpoint_id == checkpoint_id))
    if wanted := sorted(set(training_ids)):
        await session.execute(
            insert(table), [{"checkpoint_id": checkpoint_id, "training_id": t} for t in wanted]
        )


async def create_checkpoint(
    session: AsyncSession, *, values: Mapping[str, Any], required_training_ids: Sequence[int] = ()
) -> Checkpoint:
    """Add a checkpoint and the trainings it requires, if every check passes."""

    async def check(
        session: AsyncSession, values: Mapping[str, Any], current: Checkpoint | None
    ) -> list[FieldError]:
        errors = await check_checkpoint(session, values, current)
        return errors + await _training_errors(session, required_training_ids)

    row = await crud.create(
        session, Checkpoint, values=clean_text(values, "name", "code"), check=check
    )
    await _set_required_trainings(session, row.id, required_training_ids)
    return row


async def update_checkpoint(
    session: AsyncSession,
    *,
    checkpoint_id: int,
    changes: Mapping[str, Any],
    required_training_ids: Sequence[int] | None = None,
) -> Checkpoint:
    """Change a checkpoint; ``required_training_ids``, when given, replaces its trainings."""

    async def check(
        session: AsyncSession, values: Mapping[str, Any], current: Checkpoint | None
    ) -> list[FieldError]:
        errors = await check_checkpoint(session, values, current)
        return errors + await _training_errors(session, required_training_ids or ())

    row = await crud.update(
        session,
        Checkpoint,
        ident=checkpoint_id,
        changes=clean_text(changes, "name", "code"),
        check=check,
    )
    if required_training_ids is not None:
        await _set_required_trainings(session, row.id, required_training_ids)
    return row


async def delete_checkpoint(session: AsyncSession, *, checkpoint_id: int) -> Checkpoint:
    """Remove a checkpoint and its shifts, unless a published roster staffs one of them."""
    await crud.get(session, Checkpoint, ident=checkpoint_id)
    staffed = _published_assignments(
        Assignment.shift_id == Shift.id, Shift.checkpoint_id == checkpoint_id
    )
    if await session.scalar(select(staffed)):
        raise ValidationFailed(
            [
                FieldError(
                    "id",
                    ErrorCode.IN_USE,
                    f"Checkpoint {checkpoint_id} has shifts staffed in a published roster",
                )
            ]
        )
    return await crud.delete(session, Checkpoint, ident=checkpoint_id)


# --- shifts and their headcount lines -----------------------------------------------------


def clean_headcount_lines(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Lines as dicts with ``skill_id``, ``headcount`` and ``max_over_cover`` (default 0)."""
    return [
        {
            "skill_id": line.get("skill_id"),
            "headcount": line.get("headcount"),
            "max_over_cover": 0 if line.get("max_over_cover") is None else line["max_over_cover"],
        }
        for line in lines
    ]


def headcount_line_value_errors(lines: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """Problems visible in the lines alone; messages number the lines from 1."""
    field = "headcount_lines"
    if not lines:
        return [FieldError(field, ErrorCode.REQUIRED, "a shift needs at least one headcount line")]
    errors = []
    seen: set[int | None] = set()
    for number, line in enumerate(lines, start=1):
        headcount, over = line.get("headcount"), line.get("max_over_cover")
        if not isinstance(headcount, int) or isinstance(headcount, bool) or headcount < 1:
            errors.append(
                FieldError(
                    field,
                    ErrorCode.OUT_OF_RANGE,
                    f"headcount line {number}: headcount must be at least 1",
                )
            )
        if not isinstance(over, int) or isinstance(over, bool) or over < 0:
            errors.append(
                FieldError(
                    field,
                    ErrorCode.OUT_OF_RANGE,
                    f"headcount line {number}: maxOverCover must not be negative",
                )
            )
        skill_id = line.get("skill_id")
        if skill_id in seen:
            what = "no skill" if skill_id is None else f"skill {skill_id}"
            errors.append(
                FieldError(
                    field,
                    ErrorCode.DUPLICATE,
                    f"headcount line {number}: another line already asks for {what}",
                )
            )
        seen.add(skill_id)
    return errors


async def check_headcount_lines(
    session: AsyncSession, lines: Sequence[Mapping[str, Any]], *, shift_id: int | None
) -> list[FieldError]:
    """Every problem with lines that would replace those of ``shift_id`` (None = new shift)."""
    errors = headcount_line_value_errors(lines)
    skill_ids = [line["skill_id"] for line in lines if line.get("skill_id") is not None]
    if missing := await missing_ids(session, Skill, skill_ids):
        shown = ", ".join(map(str, missing))
        errors.append(
            FieldError("headcount_lines", ErrorCode.NOT_FOUND, f"Skill {shown} does not exist")
        )
    if shift_id is not None:
        errors += await _dropped_line_errors(session, lines, shift_id=shift_id)
    return errors


async def _dropped_line_errors(
    session: AsyncSession, lines: Sequence[Mapping[str, Any]], *, shift_id: int
) -> list[FieldError]:
    # Dropping a line cascades to its assignments: refuse rather than unstaff people silently.
    kept = {line.get("skill_id") for line in lines}
    query = (
        select(HeadcountLine.skill_id)
        .where(
            HeadcountLine.shift_id == shift_id,
            exists().where(Assignment.headcount_line_id == HeadcountLine.id),
        )
        .distinct()
    )
    dropped = [s for s in await session.scalars(query) if s not in kept]
    return [
        FieldError(
            "headcount_lines",
            ErrorCode.IN_USE,
            f"the line for {'no skill' if s is None else f'skill {s}'} has assignments; "
            "keep it or remove its assignments first",
        )
        for s in dropped
    ]


async def _replace_headcount_lines(
    session: AsyncSession, shift_id: int, lines: Sequence[Mapping[str, Any]]
) -> None:
    # Lines are matched by skill and updated in place, so assignments keep pointing at them.
    existing = {
        line.skill_id: line
        for line in await session.scalars(
            select(HeadcountLine).where(HeadcountLine.shift_id == shift_id)
        )
    }
    wanted = {line["skill_id"]: line for line in lines}
    for skill_id, row in existing.items():
        if skill_id not in wanted:
            await session.delete(row)
    for skill_id, line in wanted.items():
        row = existing.get(skill_id)
        if row is None:
            session.add(HeadcountLine(shift_id=shift_id, **line))
        else:
            row.headcount, row.max_over_cover = line["headcount"], line["max_over_cover"]
    await crud.flush(session, HeadcountLine)


def shift_value_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """Problems visible in a shift's values alone."""
    errors = window_errors(values, longest=LONGEST_SHIFT)
    if values.get("checkpoint_id") is None:
        errors.append(FieldError("checkpoint_id", ErrorCode.REQUIRED, "checkpoint_id is required"))
    if "shift_type" in values:  # left out, the column's default applies
        errors += text_errors(Shift, values, "shift_type")
    return errors


async def check_shift(
    session: AsyncSession, values: Mapping[str, Any], current: Shift | None
) -> list[FieldError]:
    """Every problem with a shift's own values as they would be stored."""
    errors = shift_value_errors(values)
    return errors + await crud.check_references(session, values, SHIFT_REFERENCES)


def _clean_shift_values(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    if isinstance(cleaned.get("shift_type"), str):
        cleaned["shift_type"] = cleaned["shift_type"].strip().upper()
    return cleaned


async def create_shift(
    session: AsyncSession,
    *,
    values: Mapping[str, Any],
    headcount_lines: Iterable[Mapping[str, Any]],
) -> Shift:
    """Add a shift with its headcount lines if both pass every check; otherwise neither."""
    lines = clean_headcount_lines(headcount_lines)

    async def check(
        session: AsyncSession, values: Mapping[str, Any], current: Shift | None
    ) -> list[FieldError]:
        errors = await check_shift(session, values, current)
        return errors + await check_headcount_lines(session, lines, shift_id=None)

    row = await crud.create(session, Shift, values=_clean_shift_values(values), check=check)
    await _replace_headcount_lines(session, row.id, lines)
    return row


async def update_shift(
    session: AsyncSession,
    *,
    shift_id: int,
    changes: Mapping[str, Any],
    headcount_lines: Iterable[Mapping[str, Any]] | None = None,
) -> Shift:
    """Change a shift; ``headcount_lines``, when given, replaces its lines (matched by skill)."""
    lines = None if headcount_lines is None else clean_headcount_lines(headcount_lines)

    async def check(
        session: AsyncSession, values: Mapping[str, Any], current: Shift | None
    ) -> list[FieldError]:
        errors = await check_shift(session, values, current)
        if lines is not None:
            errors += await check_headcount_lines(session, lines, shift_id=shift_id)
        if not errors and current is not None and moved(values, current):
            errors += await shift_window_errors(
                session, shift_id=shift_id, starts_at=values["starts_at"], ends_at=values["ends_at"]
            )
        return errors

    def moved(values: Mapping[str, Any], current: Shift) -> bool:
        return (values["starts_at"], values["ends_at"]) != (current.starts_at, current.ends_at)

    current = await crud.get(session, Shift, ident=shift_id)
    window = (current.starts_at, current.ends_at)
    row = await crud.update(
        session, Shift, ident=shift_id, changes=_clean_shift_values(changes), check=check
    )
    if lines is not None:
        await _replace_headcount_lines(session, row.id, lines)
    if (row.starts_at, row.ends_at) != window:
        # The flush hook has moved its assignments' windows.
        await enforce_no_overlap(session, volunteers=volunteers_on(row.id))
    return row


async def delete_shift(session: AsyncSession, *, shift_id: int) -> Shift:
    """Remove a shift and its lines, unless a published roster staffs it."""
    await crud.get(session, Shift, ident=shift_id)
    if await session.scalar(select(_published_assignments(Assignment.shift_id == shift_id))):
        raise ValidationFailed(
            [
                FieldError(
                    "id", ErrorCode.IN_USE, f"Shift {shift_id} is staffed in a published roster"
                )
            ]
        )
    return await crud.delete(session, Shift, ident=shift_id)
