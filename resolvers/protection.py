"""Which protective items and stocks a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select

from db import models as m
from resolvers.pagination import SortKey
from resolvers.posts import Days, day_between


@dataclass(frozen=True, kw_only=True)
class ProtectiveItemCriteria:
    text_contains: str | None = None  # in the code or the name


def protective_items_query(criteria: ProtectiveItemCriteria) -> Select[Any]:
    """Protective items matching ``criteria``."""
    item = m.ProtectiveItem
    query = select(item)
    if text := criteria.text_contains:
        query = query.where(
            or_(
                item.code.contains(text, autoescape=True), item.name.contains(text, autoescape=True)
            )
        )
    return query


PROTECTIVE_ITEM_ORDER: dict[str, SortKey] = {
    "CODE": SortKey(m.ProtectiveItem.code),
    "NAME": SortKey(m.ProtectiveItem.name),
    "ID": SortKey(m.ProtectiveItem.id, kind="int"),
}


@dataclass(frozen=True, kw_only=True)
class ProtectiveStockCriteria:
    """Every criterion is optional; given ones all apply."""

    owner_unit_id: int | None = None
    city_reserve: bool | None = None  # True: only the reserve; False: only units' stocks
    item_id: int | None = None
    days: Days | None = None


def protective_stocks_query(criteria: ProtectiveStockCriteria) -> Select[Any]:
    """Protective stocks matching ``criteria``."""
    stock = m.ProtectiveStock
    c = criteria
    query = select(stock)
    if c.owner_unit_id is not None:
        query = query.where(stock.owner_unit_id == c.owner_unit_id)
    if c.city_reserve is not None:
        owner = stock.owner_unit_id
        query = query.where(owner.is_(None) if c.city_reserve else owner.is_not(None))
    if c.item_id is not None:
        query = query.where(stock.item_id == c.item_id)
    if c.days is not None:
        query = query.where(*day_between(stock.day, c.days))
    return query


PROTECTIVE_STOCK_ORDER: dict[str, SortKey] = {
    "DAY": SortKey(m.ProtectiveStock.day, kind="date"),
    "QUANTITY": SortKey(m.ProtectiveStock.quantity, kind="int"),
    "ID": SortKey(m.ProtectiveStock.id, kind="int"),
}
