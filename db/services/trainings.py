"""Skills and trainings: the checks every write runs, and the operations that create, change
and delete them. Certificates have their own module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Skill, Training
from db.models.enums import ServiceCategory
from db.services import crud
from db.services.checks import clean_text, delete_unused, enum_errors, text_errors
from db.services.errors import ErrorCode, FieldError

# Skills


async def check_skill(
    session: AsyncSession, values: Mapping[str, Any], current: Skill | None
) -> list[FieldError]:
    """Every problem with a skill's values as they would be stored."""
    errors = text_errors(Skill, values, "code", "name")
    errors += enum_errors(values, "category", ServiceCategory)
    if not any(e.field == "code" for e in errors):
        errors += await crud.check_unique(session, Skill, values, current, "code")
    return errors


async def create_skill(session: AsyncSession, *, values: Mapping[str, Any]) -> Skill:
    """Add a skill if every check passes."""
    return await crud.create(
        session, Skill, values=clean_text(values, "code", "name"), check=check_skill
    )


async def update_skill(
    session: AsyncSession, *, skill_id: int, changes: Mapping[str, Any]
) -> Skill:
    """Change a skill if the result passes every check."""
    return await crud.update(
        session,
        Skill,
        ident=skill_id,
        changes=clean_text(changes, "code", "name"),
        check=check_skill,
    )


async def delete_skill(session: AsyncSession, *, skill_id: int) -> Skill:
    """Remove a skill no volunteer holds and no headcount line asks for."""
    return await delete_unused(session, Skill, ident=skill_id)


# Trainings


def _validity_errors(values: Mapping[str, Any]) -> list[FieldError]:
    days = values.get("validity_days")
    if days is None:  # certificates of this training never expire
        return []
    if isinstance(days, bool) or not isinstance(days, int):
        return [FieldError("validity_days", ErrorCode.INVALID, "validity_days must be a number")]
    if days <= 0:
        return [
            FieldError(
                "validity_days",
                ErrorCode.OUT_OF_RANGE,
                "validity_days must be positive, or null for no expiry",
            )
        ]
    return []


async def check_training(
    session: AsyncSession, values: Mapping[str, Any], current: Training | None
) -> list[FieldError]:
    """Every problem with a training's values as they would be stored."""
    errors = text_errors(Training, values, "code", "name")
    errors += text_errors(Training, values, "provider", required=False)
    errors += _validity_errors(values)
    if not any(e.field == "code" for e in errors):
        errors += await crud.check_unique(session, Training, values, current, "code")
    return errors


def _clean_training_values(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = clean_text(values, "code", "name", "provider")
    if cleaned.get("provider") == "":
        cleaned["provider"] = None
    return cleaned


async def create_training(session: AsyncSession, *, values: Mapping[str, Any]) -> Training:
    """Add a training if every check passes."""
    return await crud.create(
        session, Training, values=_clean_training_values(values), check=check_training
    )


async def update_training(
    session: AsyncSession, *, training_id: int, changes: Mapping[str, Any]
) -> Training:
    """Change a training; certificates already issued keep their expiry."""
    return await crud.update(
        session,
        Training,
        ident=training_id,
        changes=_clean_training_values(changes),
        check=check_training,
    )


async def delete_training(session: AsyncSession, *, training_id: int) -> Training:
    """Remove a training nobody holds a certificate of and no post requires."""
    return await delete_unused(session, Training, ident=training_id)
