"""Certificates: the checks every write runs, and the operations that create, change and delete."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Certificate, Training, Volunteer
from db.services import crud
from db.services.errors import ErrorCode, FieldError

REFERENCES = (("volunteer_id", Volunteer), ("training_id", Training))
# Changing any of these re-derives the expiry, unless the change gives one.
EXPIRY_SOURCES = ("passed_on", "training_id", "expires_on")


def is_date(value: Any) -> bool:
    """Whether ``value`` is a calendar date (a datetime, which subclasses date, is not)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def default_expiry(passed_on: date, validity_days: int | None) -> date | None:
    """The expiry a pass date implies: ``validity_days`` later, or never."""
    return None if validity_days is None else passed_on + timedelta(days=validity_days)


def certificate_value_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """Problems visible in the values alone, without asking the database."""
    errors = [
        FieldError(field, ErrorCode.REQUIRED, f"{what} is required")
        for field, what in (
            ("volunteer_id", "volunteer"),
            ("training_id", "training"),
            ("passed_on", "passed_on"),
        )
        if values.get(field) is None
    ]
    passed_on, expires_on = values.get("passed_on"), values.get("expires_on")
    if passed_on is not None and not is_date(passed_on):
        errors.append(FieldError("passed_on", ErrorCode.INVALID, "passed_on must be a date"))
    if expires_on is not None and not is_date(expires_on):
        errors.append(FieldError("expires_on", ErrorCode.INVALID, "expires_on must be a date"))
    elif is_date(passed_on) and expires_on is not None and expires_on < passed_on:
        errors.append(
            FieldError(
                "expires_on",
                ErrorCode.OUT_OF_RANGE,
                f"expires_on {expires_on.isoformat()} is before passed_on {passed_on.isoformat()}",
            )
        )
    return errors


async def check_certificate(
    session: AsyncSession, values: Mapping[str, Any], current: Certificate | None
) -> list[FieldError]:
    """Every problem with a certificate's values as they would be stored."""
    errors = certificate_value_errors(values)
    errors += await crud.check_references(session, values, REFERENCES)
    if not errors:
        errors += await crud.check_unique(
            session, Certificate, values, current, "volunteer_id", "training_id", "passed_on"
        )
    return errors


async def _validity_days(session: AsyncSession, training_id: Any) -> int | None:
    if training_id is None:
        return None
    return await session.scalar(select(Training.validity_days).where(Training.id == training_id))


async def _with_default_expiry(session: AsyncSession, values: Mapping[str, Any]) -> dict[str, Any]:
    # Fill an omitted expiry from the training; a bad pass date is left for the check to report.
    filled = dict(values)
    passed_on = filled.get("passed_on")
    if filled.get("expires_on") is None and is_date(passed_on):
        validity = await _validity_days(session, filled.get("training_id"))
        filled["expires_on"] = default_expiry(passed_on, validity)
    return filled


async def create_certificate(session: AsyncSession, *, values: Mapping[str, Any]) -> Certificate:
    """Record a pass; an omitted expiry follows from the training's validity."""
    filled = await _with_default_expiry(session, values)
    return await crud.create(session, Certificate, values=filled, check=check_certificate)


async def update_certificate(
    session: AsyncSession, *, certificate_id: int, changes: Mapping[str, Any]
) -> Certificate:
    """Change a certificate; a new pass date or training without an expiry re-derives it."""
    filled = dict(changes)
    if changes.get("expires_on") is None and any(f in changes for f in EXPIRY_SOURCES):
        current = await crud.get(session, Certificate, ident=certificate_id)
        merged = {
            "passed_on": changes.get("passed_on", current.passed_on),
            "training_id": changes.get("training_id", current.training_id),
        }
        filled["expires_on"] = (await _with_default_expiry(session, merged)).get("expires_on")
    return await crud.update(
        session, Certificate, ident=certificate_id, changes=filled, check=check_certificate
    )


async def delete_certificate(session: AsyncSession, *, certificate_id: int) -> Certificate:
    """Remove a certificate."""
    return await crud.delete(session, Certificate, ident=certificate_id)
