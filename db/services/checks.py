"""Checks many register writes share: text, enums, numbers, coordinates, time windows, use."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from numbers import Real
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Base
from db.services import crud
from db.services.errors import ErrorCode, FieldError, ValidationFailed

COORDINATE_LIMITS = (("latitude", 90), ("longitude", 180))
# Foreign keys with these actions never block a delete.
NON_BLOCKING = {"CASCADE", "SET NULL"}


def clean_text(values: Mapping[str, Any], *fields: str) -> dict[str, Any]:
    """The values with the given text fields trimmed."""
    cleaned = dict(values)
    for field in fields:
        if isinstance(cleaned.get(field), str):
            cleaned[field] = cleaned[field].strip()
    return cleaned


def text_errors(
    model: type[Base], values: Mapping[str, Any], *fields: str, required: bool = True
) -> list[FieldError]:
    """REQUIRED for blank ``fields``, INVALID for non-text or text longer than its column."""
    errors = []
    for field in fields:
        value = values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required"))
            continue
        if not isinstance(value, str):
            errors.append(FieldError(field, ErrorCode.INVALID, f"{field} must be text"))
            continue
        # SQLite would store an over-long value; PostgreSQL would fail untyped.
        limit = model.__table__.c[field].type.length
        if limit is not None and len(value) > limit:
            errors.append(
                FieldError(field, ErrorCode.INVALID, f"{field} is longer than {limit} characters")
            )
    return errors


def enum_errors(
    values: Mapping[str, Any], field: str, enum_cls: type[enum.StrEnum]
) -> list[FieldError]:
    """REQUIRED or INVALID unless ``field`` holds a member of ``enum_cls``."""
    value = values.get(field)
    if value is None or value == "":
        return [FieldError(field, ErrorCode.REQUIRED, f"{field} is required")]
    if value not in enum_cls.__members__.values():
        allowed = ", ".join(enum_cls)
        return [FieldError(field, ErrorCode.INVALID, f"{field} must be one of {allowed}")]
    return []


def coordinate_errors(
    values: Mapping[str, Any], limits: tuple[tuple[str, int], ...] = COORDINATE_LIMITS
) -> list[FieldError]:
    """REQUIRED, INVALID or OUT_OF_RANGE for a missing or impossible latitude or longitude."""
    errors = []
    for field, limit in limits:
        value = values.get(field)
        if value is None:
            errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required"))
        elif isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            errors.append(FieldError(field, ErrorCode.INVALID, f"{field} must be a number"))
        elif not -limit <= value <= limit:
            errors.append(
                FieldError(
                    field, ErrorCode.OUT_OF_RANGE, f"{field} must be between -{limit} and {limit}"
                )
            )
    return errors


async def in_use_errors(session: AsyncSession, model: type[Base], ident: int) -> list[FieldError]:
    """IN_USE for every kind of record that still points at the row and would block its delete."""
    errors = []
    target = model.__table__
    for table in model.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not target or (fk.ondelete or "").upper() in NON_BLOCKING:
                continue
            count = await session.scalar(
                select(func.count()).select_from(table).where(fk.parent == ident)
            )
            if not count:
                continue
            name = f"{model.__name__} {ident}"
            if table is target:
                message = f"{name} still has {count} {table.name} below it"
            else:
                records = table.name.replace("_", " ")
                message = f"{name} is still used by {count} {records} ({fk.parent.name})"
            errors.append(FieldError("id", ErrorCode.IN_USE, message))
    return errors


async def delete_unused(session: AsyncSession, model: type[Base], *, ident: int) -> Any:
    """Delete a row, or refuse with IN_USE naming what still points at it."""
    await crud.get(session, model, ident=ident)
    if errors := await in_use_errors(session, model, ident):
        raise ValidationFailed(errors)
    return await crud.delete(session, model, ident=ident)


def window_errors(
    values: Mapping[str, Any], *, longest: timedelta | None = None
) -> list[FieldError]:
    """Problems with ``starts_at``/``ends_at``: both given, aware, end after start."""
    errors = []
    for field in ("starts_at", "ends_at"):
        value = values.get(field)
        if value is None:
            errors.append(FieldError(field, ErrorCode.REQUIRED, f"{field} is required"))
        elif not isinstance(value, datetime) or value.tzinfo is None:
            # Stored as UTC instants: a wall-clock time without an offset is ambiguous.
            errors.append(
                FieldError(field, ErrorCode.INVALID, f"{field} must be a time with a UTC offset")
            )
    if errors:
        return errors
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if ends_at <= starts_at:
        return [FieldError("ends_at", ErrorCode.OUT_OF_RANGE, "ends_at must be after starts_at")]
    if longest is not None and ends_at - starts_at > longest:
        hours = longest.total_seconds() / 3600
        return [
            FieldError(
                "ends_at", ErrorCode.OUT_OF_RANGE, f"a shift may last at most {hours:g} hours"
            )
        ]
    return []


def number_errors(
    values: Mapping[str, Any], field: str, low: float, high: float
) -> list[FieldError]:
    """REQUIRED, INVALID or OUT_OF_RANGE for a number that must lie in ``low..high``."""
    value = values.get(field)
    if value is None:
        return [FieldError(field, ErrorCode.REQUIRED, f"{field} is required")]
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        return [FieldError(field, ErrorCode.INVALID, f"{field} must be a number")]
    if not low <= value <= high:
        return [
            FieldError(field, ErrorCode.OUT_OF_RANGE, f"{field} must be between {low} and {high}")
        ]
    return []


async def missing_ids(session: AsyncSession, model: type[Base], ids: Iterable[int]) -> list[int]:
    """The ids among ``ids`` that no row of ``model`` has."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(await session.scalars(select(model.id).where(model.id.in_(wanted))))
    return [i for i in wanted if i not in found]
