"""Volunteers: the checks every write runs, and the operations that create, change and delete."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from numbers import Real
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Grid, Organisation, Skill, Unit, Volunteer, volunteer_skills
from db.models.enums import VolunteerKind
from db.services import crud
from db.services.errors import ErrorCode, FieldError, ValidationFailed

NAME_MAX_LENGTH = 200  # the column's length
PHONE_PATTERN = re.compile(r"\+?[0-9]{7,15}")
# GB 11643: weights of the first 17 digits, and the check character for each sum modulo 11.
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARACTERS = "10X98765432"
REFERENCES = (("organisation_id", Organisation), ("unit_id", Unit), ("home_grid_id", Grid))
COORDINATE_LIMITS = (("home_latitude", 90), ("home_longitude", 180))


def clean_phone(phone: str) -> str:
    """A phone number without spaces or hyphens, full-width digits made ASCII."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", phone))


def clean_id_number(id_number: str) -> str:
    """An ID number trimmed, full-width characters made ASCII, a final x made X."""
    return unicodedata.normalize("NFKC", id_number).strip().upper()


def clean_volunteer_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with text trimmed and phone, ID number and kind in canonical form."""
    cleaned = dict(values)
    if isinstance(cleaned.get("name"), str):
        cleaned["name"] = cleaned["name"].strip()
    if isinstance(cleaned.get("phone"), str):
        cleaned["phone"] = clean_phone(cleaned["phone"])
    if isinstance(cleaned.get("id_number"), str):
        cleaned["id_number"] = clean_id_number(cleaned["id_number"])
    kind = cleaned.get("kind")
    if isinstance(kind, str) and kind.strip().upper() in VolunteerKind.__members__:
        cleaned["kind"] = VolunteerKind[kind.strip().upper()]
    return cleaned


def phone_problem(phone: str) -> str | None:
    """Why ``phone`` is not a valid phone number, or None."""
    if PHONE_PATTERN.fullmatch(phone):
        return None
    digits = phone.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        return "phone may hold only digits, with an optional leading +"
    return f"phone must have 7 to 15 digits, not {len(digits)}"


def id_number_check_character(first_17_digits: str) -> str:
    """The check character that completes the first 17 digits of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first_17_digits, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARACTERS[total % 11]


def id_number_problem(id_number: str, *, today: date | None = None) -> str | None:
    """Why ``id_number`` is not a valid 18-character resident ID number, or None."""
    if len(id_number) != 18:
        return (
            "ID number must have 18 characters (17 digits, then a check digit or X), "
            f"not {len(id_number)}"
        )
    for position, character in enumerate(id_number[:17], start=1):
        if character not in "0123456789":
            return f"ID number character {position} ({character!r}) must be a digit"
    if id_number[17] not in "0123456789X":
        return f"ID number must end in a digit or X, not {id_number[17]!r}"
    birth = id_number[6:14]
    try:
        born_on = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return f"ID number characters 7-14 must be a birth date YYYYMMDD; {birth} is not a date"
    if born_on > (today or date.today()):
        return f"ID number gives a birth date in the future ({born_on.isoformat()})"
    expected = id_number_check_character(id_number[:17])
    if id_number[17] != expected:
        return (
            f"ID number check character is {id_number[17]} but the first 17 digits need "
            f"{expected}: a digit is mistyped"
        )
    return None


def _as_kind(kind: Any) -> VolunteerKind | None:
    try:
        return VolunteerKind(kind)
    except (ValueError, TypeError):
        return None


def _text_problem(values: Mapping[str, Any], field: str) -> FieldError | None:
    # Shared shape of the required text fields: present, text, not blank.
    value = values.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return FieldError(field, ErrorCode.REQUIRED, f"{field} is required")
    if not isinstance(value, str):
        return FieldError(field, ErrorCode.INVALID, f"{field} must be text")
    return None


def _coordinate_problem(values: Mapping[str, Any], field: str, limit: int) -> FieldError | None:
    value = values.get(field)
    if value is None:
        return FieldError(field, ErrorCode.REQUIRED, f"{field} is required")
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        return FieldError(field, ErrorCode.INVALID, f"{field} must be a number")
    if not -limit <= value <= limit:
        return FieldError(
            field, ErrorCode.OUT_OF_RANGE, f"{field} must be between -{limit} and {limit}"
        )
    return None


def volunteer_value_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """Problems visible in the values alone, without asking the database."""
    errors = [e for f in ("name", "phone", "id_number") if (e := _text_problem(values, f))]
    name, phone, id_number = values.get("name"), values.get("phone"), values.get("id_number")
    if isinstance(name, str) and len(name.strip()) > NAME_MAX_LENGTH:
        errors.append(
            FieldError(
                "name", ErrorCode.INVALID, f"name is longer than {NAME_MAX_LENGTH} characters"
            )
        )
    if isinstance(phone, str) and phone.strip() and (problem := phone_problem(phone)):
        errors.append(FieldError("phone", ErrorCode.INVALID, problem))
    if (
        isinstance(id_number, str)
        and id_number.strip()
        and (problem := id_number_problem(id_number))
    ):
        errors.append(FieldError("id_number", ErrorCode.INVALID, problem))

    kind = values.get("kind")
    if kind is None or kind == "":
        errors.append(FieldError("kind", ErrorCode.REQUIRED, "kind is required"))
    elif _as_kind(kind) is None:
        allowed = ", ".join(VolunteerKind)
        errors.append(FieldError("kind", ErrorCode.INVALID, f"kind must be one of {allowed}"))
    if values.get("organisation_id") is None:
        errors.append(FieldError("organisation_id", ErrorCode.REQUIRED, "organisation is required"))
    if kind == VolunteerKind.AGENCY and values.get("unit_id") is None:
        errors.append(
            FieldError(
                "unit_id",
                ErrorCode.REQUIRED,
                "an agency volunteer must belong to a unit, which equips them",
            )
        )
    errors += [e for f, limit in COORDINATE_LIMITS if (e := _coordinate_problem(values, f, limit))]
    return errors


async def check_volunteer(
    session: AsyncSession, values: Mapping[str, Any], current: Volunteer | None
) -> list[FieldError]:
    """Every problem with a volunteer's values as they would be stored."""
    errors = volunteer_value_errors(values)
    errors += await crud.check_references(session, values, REFERENCES)
    if not any(e.field == "id_number" for e in errors):
        errors += await crud.check_unique(session, Volunteer, values, current, "id_number")
    return errors


async def create_volunteer(session: AsyncSession, *, values: Mapping[str, Any]) -> Volunteer:
    """Add a volunteer if every check passes; otherwise raise ValidationFailed."""
    return await crud.create(
        session, Volunteer, values=clean_volunteer_values(values), check=check_volunteer
    )


async def update_volunteer(
    session: AsyncSession, *, volunteer_id: int, changes: Mapping[str, Any]
) -> Volunteer:
    """Change a volunteer if the result passes every check."""
    return await crud.update(
        session,
        Volunteer,
        ident=volunteer_id,
        changes=clean_volunteer_values(changes),
        check=check_volunteer,
    )


async def delete_volunteer(session: AsyncSession, *, volunteer_id: int) -> Volunteer:
    """Remove a volunteer; certificates, skills, availability and reports go with them."""
    return await crud.delete(session, Volunteer, ident=volunteer_id)


async def set_volunteer_skills(
    session: AsyncSession, *, volunteer_id: int, skill_ids: Iterable[int]
) -> list[int]:
    """Replace a volunteer's skills with ``skill_ids``, refusing unknown skills."""
    await crud.get(session, Volunteer, ident=volunteer_id, field="volunteer_id")
    wanted = sorted(set(skill_ids))
    found = set(await session.scalars(select(Skill.id).where(Skill.id.in_(wanted))))
    if missing := [str(i) for i in wanted if i not in found]:
        raise ValidationFailed(
            [
                FieldError(
                    "skill_ids", ErrorCode.NOT_FOUND, f"Skill {', '.join(missing)} does not exist"
                )
            ]
        )
    await session.execute(
        delete(volunteer_skills).where(volunteer_skills.c.volunteer_id == volunteer_id)
    )
    if wanted:
        await session.execute(
            insert(volunteer_skills),
            [{"volunteer_id": volunteer_id, "skill_id": skill_id} for skill_id in wanted],
        )
    return wanted
