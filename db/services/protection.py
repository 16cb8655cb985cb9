"""Protective items and the stocks that supply them: checks and write operations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ProtectiveItem, ProtectiveStock, Unit
from db.services import crud
from db.services.checks import text_errors
from db.services.errors import ErrorCode, FieldError

STOCK_REFERENCES = (("owner_unit_id", Unit), ("item_id", ProtectiveItem))


def _clean_item_values(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for field in ("code", "name"):
        if isinstance(cleaned.get(field), str):
            cleaned[field] = cleaned[field].strip()
    return cleaned


async def check_protective_item(
    session: AsyncSession, values: Mapping[str, Any], current: ProtectiveItem | None
) -> list[FieldError]:
    """Every problem with a protective item's values as they would be stored."""
    errors = text_errors(ProtectiveItem, values, "code", "name")
    if not any(e.field == "code" for e in errors):
        errors += await crud.check_unique(session, ProtectiveItem, values, current, "code")
    return errors


async def create_protective_item(
    session: AsyncSession, *, values: Mapping[str, Any]
) -> ProtectiveItem:
    """Add a kind of protective kit if every check passes."""
    return await crud.create(
        session, ProtectiveItem, values=_clean_item_values(values), check=check_protective_item
    )


async def update_protective_item(
    session: AsyncSession, *, item_id: int, changes: Mapping[str, Any]
) -> ProtectiveItem:
    """Change a protective item if the result passes every check."""
    return await crud.update(
        session,
        ProtectiveItem,
        ident=item_id,
        changes=_clean_item_values(changes),
        check=check_protective_item,
    )


async def delete_protective_item(session: AsyncSession, *, item_id: int) -> ProtectiveItem:
    """Remove a protective item; refused (IN_USE) while stocks or shifts name it."""
    return await crud.delete(session, ProtectiveItem, ident=item_id)


def stock_value_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """Problems visible in a stock's values alone."""
    errors = []
    if values.get("item_id") is None:
        errors.append(FieldError("item_id", ErrorCode.REQUIRED, "item_id is required"))
    day = values.get("day")
    if day is None:
        errors.append(FieldError("day", ErrorCode.REQUIRED, "day is required"))
    elif not isinstance(day, date):
        errors.append(FieldError("day", ErrorCode.INVALID, "day must be a date"))
    quantity = values.get("quantity")
    if quantity is None:
        errors.append(FieldError("quantity", ErrorCode.REQUIRED, "quantity is required"))
    elif not isinstance(quantity, int) or isinstance(quantity, bool):
        errors.append(FieldError("quantity", ErrorCode.INVALID, "quantity must be a whole number"))
    elif quantity < 0:
        errors.append(
            FieldError("quantity", ErrorCode.OUT_OF_RANGE, "quantity must not be negative")
        )
    return errors


async def _duplicate_stock_errors(
    session: AsyncSession, values: Mapping[str, Any], current: ProtectiveStock | None
) -> list[FieldError]:
    # crud.check_unique skips NULLs, but the city reserve (no owner) is one holder too.
    if values.get("item_id") is None or values.get("day") is None:
        return []
    s = ProtectiveStock
    owner = values.get("owner_unit_id")
    query = select(s.id).where(
        s.item_id == values["item_id"],
        s.day == values["day"],
        s.owner_unit_id.is_(None) if owner is None else s.owner_unit_id == owner,
    )
    if current is not None:
        query = query.where(s.id != current.id)
    if await session.scalar(query.limit(1)) is None:
        return []
    holder = "the city reserve" if owner is None else f"unit {owner}"
    return [
        FieldError(
            "day",
            ErrorCode.DUPLICATE,
            f"{holder} already has a stock of item {values['item_id']} on {values['day']}",
        )
    ]


async def check_protective_stock(
    session: AsyncSession, values: Mapping[str, Any], current: ProtectiveStock | None
) -> list[FieldError]:
    """Every problem with a stock's values as they would be stored."""
    errors = stock_value_errors(values)
    errors += await crud.check_references(session, values, STOCK_REFERENCES)
    if not errors:
        errors += await _duplicate_stock_errors(session, values, current)
    return errors


async def create_protective_stock(
    session: AsyncSession, *, values: Mapping[str, Any]
) -> ProtectiveStock:
    """Record a stock held on a day by a unit, or by the city reserve when it has no owner."""
    return await crud.create(session, ProtectiveStock, values=values, check=check_protective_stock)


async def update_protective_stock(
    session: AsyncSession, *, stock_id: int, changes: Mapping[str, Any]
) -> ProtectiveStock:
    """Change a stock if the result passes every check."""
    return await crud.update(
        session, ProtectiveStock, ident=stock_id, changes=changes, check=check_protective_stock
    )


async def delete_protective_stock(session: AsyncSession, *, stock_id: int) -> ProtectiveStock:
    """Remove a stock; refused (IN_USE) while assignments draw kits from it."""
    return await crud.delete(session, ProtectiveStock, ident=stock_id)
