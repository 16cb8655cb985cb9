"""Organisations, units and grids: the checks every write runs, and the operations that
create, change and delete them. Organisations keep a materialised path, so moving one
rewrites the paths of its whole subtree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Grid, Organisation, Unit
from db.models.enums import OrganisationLevel, UnitKind
from db.services import crud
from db.services.checks import (
    clean_text,
    coordinate_errors,
    delete_unused,
    enum_errors,
    text_errors,
)
from db.services.errors import ErrorCode, FieldError

LEVELS = list(OrganisationLevel)  # top of the tree first


# Organisations


def clean_organisation_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with text trimmed; the path is derived, never taken from callers."""
    cleaned = clean_text(values, "name", "code")
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
    return await crud.create(session, Unit, values=clean_text(values, "name"), check=check_unit)


async def update_unit(session: AsyncSession, *, unit_id: int, changes: Mapping[str, Any]) -> Unit:
    """Change a unit if the result passes every check."""
    return await crud.update(
        session, Unit, ident=unit_id, changes=clean_text(changes, "name"), check=check_unit
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
        session, Grid, values=clean_text(values, "name", "code"), check=check_grid
    )


async def update_grid(session: AsyncSession, *, grid_id: int, changes: Mapping[str, Any]) -> Grid:
    """Change a grid; a unit claims it by ``claimed_by_unit_id``, None unclaims it."""
    return await crud.update(
        session,
        Grid,
        ident=grid_id,
        changes=clean_text(changes, "name", "code"),
        check=check_grid,
    )


async def delete_grid(session: AsyncSession, *, grid_id: int) -> Grid:
    """Remove a grid; volunteers living there and posts in it keep no grid."""
    return await delete_unused(session, Grid, ident=grid_id)
