"""Availability windows and daily health reports: checks and write operations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Availability, HealthReport, Volunteer
from db.models.base import utcnow
from db.models.enums import HealthStatus
from db.services import crud
from db.services.checks import number_errors, window_errors
from db.services.errors import ErrorCode, FieldError

VOLUNTEER_REFERENCE = (("volunteer_id", Volunteer),)
TEMPERATURE_RANGE = (30.0, 45.0)  # °C; anything outside is a typing error, not a fever


def _volunteer_required(values: Mapping[str, Any]) -> list[FieldError]:
    if values.get("volunteer_id") is None:
        return [FieldError("volunteer_id", ErrorCode.REQUIRED, "volunteer_id is required")]
    return []


async def check_availability(
    session: AsyncSession, values: Mapping[str, Any], current: Availability | None
) -> list[FieldError]:
    """Every problem with an availability window as it would be stored."""
    errors = _volunteer_required(values) + window_errors(values)
    return errors + await crud.check_references(session, values, VOLUNTEER_REFERENCE)


async def create_availability(session: AsyncSession, *, values: Mapping[str, Any]) -> Availability:
    """Record a window in which a volunteer can serve."""
    return await crud.create(session, Availability, values=values, check=check_availability)


async def update_availability(
    session: AsyncSession, *, availability_id: int, changes: Mapping[str, Any]
) -> Availability:
    """Change an availability window if the result passes every check."""
    return await crud.update(
        session, Availability, ident=availability_id, changes=changes, check=check_availability
    )


async def delete_availability(session: AsyncSession, *, availability_id: int) -> Availability:
    """Remove an availability window."""
    return await crud.delete(session, Availability, ident=availability_id)


def health_report_value_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """Problems visible in a health report's values alone."""
    errors = _volunteer_required(values)
    day = values.get("day")
    if day is None:
        errors.append(FieldError("day", ErrorCode.REQUIRED, "day is required"))
    elif not isinstance(day, date) or isinstance(day, datetime):
        errors.append(FieldError("day", ErrorCode.INVALID, "day must be a date"))
    reported_at = values.get("reported_at")
    if reported_at is None:
        errors.append(FieldError("reported_at", ErrorCode.REQUIRED, "reported_at is required"))
    elif not isinstance(reported_at, datetime) or reported_at.tzinfo is None:
        errors.append(
            FieldError("reported_at", ErrorCode.INVALID, "reportedAt must have a UTC offset")
        )
    status = values.get("status")
    if status is None:
        errors.append(FieldError("status", ErrorCode.REQUIRED, "status is required"))
    elif status not in set(HealthStatus):
        allowed = ", ".join(HealthStatus)
        errors.append(FieldError("status", ErrorCode.INVALID, f"status must be one of {allowed}"))
    if values.get("temperature") is not None:
        low, high = TEMPERATURE_RANGE
        errors += number_errors(values, "temperature", low, high)
    return errors


async def check_health_report(
    session: AsyncSession, values: Mapping[str, Any], current: HealthReport | None
) -> list[FieldError]:
    """Every problem with a health report as it would be stored."""
    errors = health_report_value_errors(values)
    return errors + await crud.check_references(session, values, VOLUNTEER_REFERENCE)


def _clean_report_values(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    if isinstance(cleaned.get("note"), str):
        cleaned["note"] = cleaned["note"].strip() or None
    return cleaned


async def report_health(session: AsyncSession, *, values: Mapping[str, Any]) -> HealthReport:
    """Record a health report; ``reported_at`` defaults to now (the latest of a day counts)."""
    cleaned = _clean_report_values(values)
    if cleaned.get("reported_at") is None:
        cleaned["reported_at"] = utcnow()
    return await crud.create(session, HealthReport, values=cleaned, check=check_health_report)


async def update_health_report(
    session: AsyncSession, *, report_id: int, changes: Mapping[str, Any]
) -> HealthReport:
    """Correct a health report if the result passes every check."""
    return await crud.update(
        session,
        HealthReport,
        ident=report_id,
        changes=_clean_report_values(changes),
        check=check_health_report,
    )


async def delete_health_report(session: AsyncSession, *, report_id: int) -> HealthReport:
    """Remove a health report."""
    return await crud.delete(session, HealthReport, ident=report_id)
