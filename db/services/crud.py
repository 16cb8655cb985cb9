"""Create, update and delete any register row after checking it: all or nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from db.models import Base
from db.services.errors import ErrorCode, FieldError, NotFound, ValidationFailed

M = TypeVar("M", bound=Base)

# A check sees the row's values as they would be after the change, and the row before it.
Check = Callable[[AsyncSession, Mapping[str, Any], Any], Awaitable[list[FieldError]]]


async def create(
    session: AsyncSession, model: type[M], *, values: Mapping[str, Any], check: Check
) -> M:
    """Insert a row if ``check`` finds nothing wrong; otherwise raise and write nothing."""
    errors = await check(session, values, None)
    if errors:
        raise ValidationFailed(errors)
    row = model(**values)
    session.add(row)
    await flush(session, model)
    return row


async def get(session: AsyncSession, model: type[M], *, ident: int, field: str = "id") -> M:
    """The row with primary key ``ident``, or NotFound naming ``field``."""
    row = await session.get(model, ident)
    if row is None:
        raise NotFound(field, model.__name__, ident)
    return row


async def update(
    session: AsyncSession,
    model: type[M],
    *,
    ident: int,
    changes: Mapping[str, Any],
    check: Check,
) -> M:
    """Apply ``changes`` to a row if the result passes ``check``.

    ``changes["version"]``, when given and not None, is the version the caller last read: a row
    that has moved on since is refused with STALE (checked now, and again by the UPDATE itself).
    """
    changes = dict(changes)
    expected = changes.pop("version", None)
    row = await get(session, model, ident=ident)
    if expected is not None and expected != getattr(row, "version", expected):
        raise ValidationFailed([stale_error(model, ident)])
    merged = {c.key: getattr(row, c.key) for c in model.__table__.columns} | changes
    errors = await check(session, merged, row)
    if errors:
        raise ValidationFailed(errors)
    for key, value in changes.items():
        setattr(row, key, value)
    await flush(session, model)
    return row


async def delete(session: AsyncSession, model: type[M], *, ident: int) -> M:
    """Delete a row; refuse with IN_USE if other records still point at it."""
    row = await get(session, model, ident=ident)
    await session.delete(row)
    await flush(session, model)
    return row


async def flush(session: AsyncSession, model: type[Base]) -> None:
    """Flush, reporting a constraint the checks missed (e.g. a race) as a typed error."""
    # Checks run first; the database's own constraints are the last line, reported typed.
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise ValidationFailed([integrity_error(exc, model)]) from exc
    except StaleDataError as exc:  # another transaction updated or deleted the row meanwhile
        await session.rollback()
        raise ValidationFailed([stale_error(model)]) from exc


def stale_error(model: type[Base], ident: int | None = None) -> FieldError:
    """STALE: the row is not at the version the caller read."""
    what = model.__name__ if ident is None else f"{model.__name__} {ident}"
    return FieldError("version", ErrorCode.STALE, f"{what} was changed by someone else; reload it")


def integrity_error(exc: IntegrityError, model: type[Base]) -> FieldError:
    """A typed error for a constraint the database refused."""
    message = str(exc.orig).lower()
    if "unique" in message or "duplicate" in message:
        return FieldError("id", ErrorCode.DUPLICATE, f"{model.__name__} already exists")
    if "foreign key" in message:
        return FieldError(
            "id", ErrorCode.IN_USE, f"{model.__name__} is referenced by other records"
        )
    return FieldError("id", ErrorCode.INVALID, f"{model.__name__} breaks a database rule")


async def check_references(
    session: AsyncSession, values: Mapping[str, Any], references: Iterable[tuple[str, type[Base]]]
) -> list[FieldError]:
    """NOT_FOUND for every ``field -> model`` reference whose id does not exist."""
    errors = []
    for field, target in references:
        ident = values.get(field)
        if ident is None:
            continue
        found = await session.scalar(select(exists().where(target.id == ident)))
        if not found:
            errors.append(
                FieldError(field, ErrorCode.NOT_FOUND, f"{target.__name__} {ident} does not exist")
            )
    return errors


async def check_unique(
    session: AsyncSession,
    model: type[Base],
    values: Mapping[str, Any],
    current: Base | None,
    *fields: str,
) -> list[FieldError]:
    """DUPLICATE if another row already has the same values in ``fields``."""
    if any(values.get(f) is None for f in fields):
        return []
    query = select(model.id).where(*(getattr(model, f) == values[f] for f in fields))
    if current is not None:
        query = query.where(model.id != current.id)
    if await session.scalar(query.limit(1)) is None:
        return []
    shown = ", ".join(f"{f}={values[f]!r}" for f in fields)
    return [FieldError(fields[0], ErrorCode.DUPLICATE, f"{model.__name__} with {shown} exists")]
