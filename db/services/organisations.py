"""Organisations, units and grids: the checks every write runs, and the operations that
create, change and delete them. Organisations keep a materialised path, so moving one
rewrites the paths of its whole subtree."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from numbers import Real
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Base, Grid, Organisation, Unit
from db.models.enums import OrganisationLevel, UnitKind
from db.services import crud
from db.services.errors import ErrorCode, FieldError, ValidationFailed

LEVELS = list(OrganisationLevel)  # top of the tree first
COORDINATE_LIMITS = (("latitude", 90), ("longitude", 180))
# Foreign keys with these actions never block a delete.
NON_BLOCKING = {"CASCADE", "SET NULL"}


def clean_text_values(values: Mapping[str, Any], *fields: str) -> dict[str, Any]:
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


def coordinate_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """REQUIRED, INVALID or OUT_OF_RANGE for a missing or impossible latitude or longitude."""
    errors = []
    for field, limit in COORDINATE_LIMITS:
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


# Organisations


def clean_organisation_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with text trimmed; the path is derived, never taken from callers."""
    cleaned = clean_text_values(values, "name", "code")
    cleaned.pop("path", None)
    return cleaned


async def _tree_errors(
    session: AsyncSession, values: Mapping[str, Any], current: Organisation | None
) -> list[FieldError]:
    # The parent must sit higher in the tree and outside the organisation's own subtree.
    errors = []
    level = OrganisationLevel(values["level"])
    parent_id = values.get("parent_id")
    if parent_id is not None:
        parent = (
            await session.execute(
                select(Organisation.path, Organisation.level)
                .where(Organisation.id == parent_id)
                # Locked, so two concurrent moves cannot each pass and together make a cycle.
                .with_for_update()
            )
        ).one()
        if current is not None and current.path and parent.path.startswith(current.path):
            errors.append(
                FieldError(
                    "parent_id",
                    ErrorCode.CONFLICT,
                    f"Organisation {parent_id} is inside the subtree of organisation "
                    f"{current.id}, so it cannot become its parent",
                )
            )
        elif LEVELS.index(parent.level) >= LEVELS.index(level):
            errors.append(
                FieldError(
                    "level",
                    ErrorCode.INVALID,
                    f"a {level} cannot sit below a {parent.level}; levels go {' > '.join(LEVELS)}",
                )
            )
    if current is not None and level != current.level:
        child_levels = await session.scalars(
            select(Organisation.level).where(Organisation.parent_id == current.id).distinct()
        )
        if any(LEVELS.index(c) <= LEVELS.index(level) for c in child_levels):
            errors.append(
                FieldError(
                    "level",
                    ErrorCode.INVALID,
                    f"organisation {current.id} has children that cannot sit below a {level}",
                )
            )
    return errors


async def check_organisation(
    session: AsyncSession, values: Mapping[str, Any], current: Organisation | None
) -> list[FieldError]:
    """Every problem with an organisation's values as they would be stored."""
    errors = text_errors(Organisation, values, "name", "code")
    errors += enum_errors(values, "level", OrganisationLevel)
    errors += await crud.check_references(session, values, (("parent_id", Organisation),))
    if not any(e.field == "code" for e in errors):
        errors += await crud.check_unique(session, Organisation, values, current, "code")
    if not any(e.field in ("level", "parent_id") for e in errors):
        errors += await _tree_errors(session, values, current)
    return errors


async def _path_below(session: AsyncSession, parent_id: int | None) -> str:
    if parent_id is None:
        return "/"
    path = await session.scalar(select(Organisation.path).where(Organisation.id == parent_id))
    assert path is not None, "the check has found the parent"
    return path


async def create_organisation(session: AsyncSession, *, values: Mapping[str, Any]) -> Organisation:
    """Add an organisation under its parent (or as a root) if every check passes."""
    row = await crud.create(
        session, Organisation, values=clean_organisation_values(values), check=check_organisation
    )
    # The path ends in the row's own id, known only after the insert.
    row.path = await _path_below(session, row.parent_id) + f"{row.id}/"
    await session.flush()
    return row


async def update_organisation(
    session: AsyncSession, *, organisation_id: int, changes: Mapping[str, Any]
) -> Organisation:
    """Change an organisation; a new parent moves its whole subtree along with it."""
    row = await crud.update(
        session,
        Organisation,
        ident=organisation_id,
        changes=clean_organisation_values(changes),
        check=check_organisation,
    )
    new_path = await _path_below(session, row.parent_id) + f"{row.id}/"
    if new_path != row.path:
        await _move_subtree(session, old_path=row.path, new_path=new_path)
    return row


async def _move_subtree(session: AsyncSession, *, old_path: str, new_path: str) -> None:
    # One statement swaps the prefix of the row and of every descendant.
    await session.execute(
        update(Organisation)
        .where(Organisation.path.startswith(old_path))
        .values(path=literal(new_path) + func.substr(Organisation.path, len(old_path) + 1)),
        execution_options={"synchronize_session": "fetch"},
    )


async def delete_organisation(session: AsyncSession, *, organisation_id: int) -> Organisation:
    """Remove an organisation that has no children and nothing registered at it."""
    return await delete_unused(session, Organisation, ident=organisation_id)


# Units


async def check_unit(
    session: AsyncSession, values: Mapping[str, Any], current: Unit | None
) -> list[FieldError]:
    """Every problem with a unit's values as they would be stored."""
    errors = text_errors(Unit, values, "name")
    errors += enum_errors(values, "kind", UnitKind)
    errors += await crud.check_references(session, values, (("organisation_id", Organisation),))
    if not any(e.field == "name" for e in errors):
        errors += await crud.check_unique(session, Unit, values, current, "name")
    return errors


async def create_unit(session: AsyncSession, *, values: Mapping[str, Any]) -> Unit:
    """Add a unit if every check passes."""
    return await crud.create(
        session, Unit, values=clean_text_values(values, "name"), check=check_unit
    )


async def update_unit(session: AsyncSession, *, unit_id: int, changes: Mapping[str, Any]) -> Unit:
    """Change a unit if the result passes every check."""
    return await crud.update(
        session, Unit, ident=unit_id, changes=clean_text_values(changes, "name"), check=check_unit
    )


async def delete_unit(session: AsyncSession, *, unit_id: int) -> Unit:
    """Remove a unit nobody belongs to; the grids it claimed become unclaimed."""
    return await delete_unused(session, Unit, ident=unit_id)


# Grids

GRID_REFERENCES = (("organisation_id", Organisation), ("claimed_by_unit_id", Unit))


async def check_grid(
    session: AsyncSession, values: Mapping[str, Any], current: Grid | None
) -> list[FieldError]:
    """Every problem with a grid's values as they would be stored."""
    errors = text_errors(Grid, values, "name", "code")
    if values.get("organisation_id") is None:
        errors.append(FieldError("organisation_id", ErrorCode.REQUIRED, "organisation is required"))
    errors += coordinate_errors(values)
    errors += await crud.check_references(session, values, GRID_REFERENCES)
    if not any(e.field == "code" for e in errors):
        errors += await crud.check_unique(session, Grid, values, current, "code")
    return errors


async def create_grid(session: AsyncSession, *, values: Mapping[str, Any]) -> Grid:
    """Add a grid community, claimed or not, if every check passes."""
    return await crud.create(
        session, Grid, values=clean_text_values(values, "name", "code"), check=check_grid
    )


async def update_grid(session: AsyncSession, *, grid_id: int, changes: Mapping[str, Any]) -> Grid:
    """Change a grid; a unit claims it by ``claimed_by_unit_id``, None unclaims it."""
    return await crud.update(
        session,
        Grid,
        ident=grid_id,
        changes=clean_text_values(changes, "name", "code"),
        check=check_grid,
    )


async def delete_grid(session: AsyncSession, *, grid_id: int) -> Grid:
    """Remove a grid; volunteers living there and posts in it keep no grid."""
    return await delete_unused(session, Grid, ident=grid_id)
