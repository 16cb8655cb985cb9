"""Protective items and stocks over GraphQL: checked writes, the city reserve, filters."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db import models as m
from db.session import transaction
from tests.factories import build_register, gid

CREATE_STOCK = """
mutation($input: CreateProtectiveStockInput!) {
  createProtectiveStock(input: $input) {
    protectiveStock { id day quantity isCityReserve ownerUnit { name } item { code } }
    userErrors { field code message }
  }
}
"""

STOCKS = """
query($filter: ProtectiveStockFilter, $order: ProtectiveStockOrder) {
  protectiveStocks(filter: $filter, orderBy: $order, first: 100) {
    totalCount
    nodes { day quantity isCityReserve ownerUnit { name } item { code } }
  }
}
"""


async def make_items(sessionmaker) -> tuple[m.Unit, m.ProtectiveItem, m.ProtectiveItem]:  # type: ignore[no-untyped-def]
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
        suit = m.ProtectiveItem(code="SUIT", name="Protective suit set")
        mask = m.ProtectiveItem(code="MASK", name="Mask and gloves")
        session.add_all([suit, mask])
    return register.unit, suit, mask


async def stock_count(sessionmaker) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        query = select(func.count()).select_from(m.ProtectiveStock)
        return int(await session.scalar(query) or 0)


async def test_items_are_created_listed_and_protected_while_in_use(sessionmaker, client) -> None:
    create = """mutation($input: CreateProtectiveItemInput!) { createProtectiveItem(input: $input) {
        protectiveItem { id code name } userErrors { field code } } }"""
    result = await client.execute(create, {"input": {"code": " GOGGLES ", "name": "Goggles"}})
    payload = result["data"]["createProtectiveItem"]
    assert payload["userErrors"] == []
    assert payload["protectiveItem"]["code"] == "GOGGLES"
    item_id = payload["protectiveItem"]["id"]

    again = await client.execute(create, {"input": {"code": "GOGGLES", "name": "Other"}})
    errors = again["data"]["createProtectiveItem"]["userErrors"]
    assert errors == [{"field": ["input", "code"], "code": "DUPLICATE"}]

    listed = await client.execute(
        '{ protectiveItems(filter: {textContains: "oggl"}) { totalCount nodes { name } } }'
    )
    assert listed["data"]["protectiveItems"] == {"totalCount": 1, "nodes": [{"name": "Goggles"}]}

    stock = {"itemId": item_id, "day": "2026-11-24", "quantity": 5}
    result = await client.execute(CREATE_STOCK, {"input": stock})
    assert result["data"]["createProtectiveStock"]["userErrors"] == []
    delete = """mutation($id: ID!) { deleteProtectiveItem(input: {id: $id}) {
        deletedId userErrors { code } } }"""
    result = await client.execute(delete, {"id": item_id})
    assert result["data"]["deleteProtectiveItem"] == {
        "deletedId": None,
        "userErrors": [{"code": "IN_USE"}],
    }


async def test_a_negative_stock_is_refused_and_nothing_is_written(sessionmaker, client) -> None:
    unit, suit, _ = await make_items(sessionmaker)
    stock = {
        "itemId": gid("ProtectiveItem", suit.id),
        "ownerUnitId": gid("Unit", unit.id),
        "day": "2026-11-24",
        "quantity": -3,
    }
    result = await client.execute(CREATE_STOCK, {"input": stock})
    payload = result["data"]["createProtectiveStock"]
    assert payload["protectiveStock"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "quantity"], "OUT_OF_RANGE")
    ]
    assert await stock_count(sessionmaker) == 0


async def test_the_city_reserve_holds_stocks_without_an_owner(sessionmaker, client) -> None:
    unit, suit, mask = await make_items(sessionmaker)
    suit_id, mask_id = gid("ProtectiveItem", suit.id), gid("ProtectiveItem", mask.id)
    owner = gid("Unit", unit.id)
    for values in (
        {"itemId": suit_id, "day": "2026-11-24", "quantity": 40},  # city reserve
        {"itemId": suit_id, "day": "2026-11-24", "quantity": 6, "ownerUnitId": owner},
        {"itemId": mask_id, "day": "2026-11-25", "quantity": 100, "ownerUnitId": owner},
        {"itemId": mask_id, "day": "2026-11-26", "quantity": 0},
    ):
        result = await client.execute(CREATE_STOCK, {"input": values})
        assert result["data"]["createProtectiveStock"]["userErrors"] == [], result

    reserve = await client.execute(STOCKS, {"filter": {"cityReserve": True}})
    assert reserve["data"]["protectiveStocks"] == {
        "totalCount": 2,
        "nodes": [
            {
                "day": "2026-11-24",
                "quantity": 40,
                "isCityReserve": True,
                "ownerUnit": None,
                "item": {"code": "SUIT"},
            },
            {
                "day": "2026-11-26",
                "quantity": 0,
                "isCityReserve": True,
                "ownerUnit": None,
                "item": {"code": "MASK"},
            },
        ],
    }
    units = await client.execute(STOCKS, {"filter": {"cityReserve": False}})
    assert {n["ownerUnit"]["name"] for n in units["data"]["protectiveStocks"]["nodes"]} == {
        "Health Bureau"
    }
    by_owner = await client.execute(STOCKS, {"filter": {"ownerUnitId": owner, "itemId": mask_id}})
    assert [n["quantity"] for n in by_owner["data"]["protectiveStocks"]["nodes"]] == [100]
    days = {"days": {"from": "2026-11-25", "to": "2026-11-26"}}
    result = await client.execute(STOCKS, {"filter": days, "order": {"field": "QUANTITY"}})
    assert [n["quantity"] for n in result["data"]["protectiveStocks"]["nodes"]] == [0, 100]

    # One reserve stock per item and day, like any owner's.
    again = {"itemId": suit_id, "day": "2026-11-24", "quantity": 1}
    result = await client.execute(CREATE_STOCK, {"input": again})
    errors = result["data"]["createProtectiveStock"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "day"], "DUPLICATE")]
    assert await stock_count(sessionmaker) == 4


async def test_a_stock_is_updated_and_moved_to_the_reserve(sessionmaker, client) -> None:
    unit, suit, _ = await make_items(sessionmaker)
    async with transaction(sessionmaker) as session:
        stock = m.ProtectiveStock(
            owner_unit_id=unit.id, item_id=suit.id, day=date(2026, 11, 24), quantity=3
        )
        session.add(stock)
    update = """mutation($input: UpdateProtectiveStockInput!) { updateProtectiveStock(
        input: $input) { protectiveStock { quantity isCityReserve } userErrors { field code } } }"""
    stock_id = gid("ProtectiveStock", stock.id)
    result = await client.execute(update, {"input": {"id": stock_id, "quantity": -1}})
    assert result["data"]["updateProtectiveStock"]["userErrors"] == [
        {"field": ["input", "quantity"], "code": "OUT_OF_RANGE"}
    ]
    result = await client.execute(
        update, {"input": {"id": stock_id, "quantity": 8, "ownerUnitId": None}}
    )
    assert result["data"]["updateProtectiveStock"] == {
        "protectiveStock": {"quantity": 8, "isCityReserve": True},
        "userErrors": [],
    }


@pytest.mark.parametrize("size", [10, 100])
async def test_statement_count_does_not_grow_with_page_size(sessionmaker, client, size) -> None:
    unit, suit, mask = await make_items(sessionmaker)
    async with transaction(sessionmaker) as session:
        session.add_all(
            m.ProtectiveStock(
                owner_unit_id=owner,
                item_id=item.id,
                day=date(2026, 11, 1 + day),
                quantity=day,
            )
            for day in range(28)
            for owner in (unit.id, None)
            for item in (suit, mask)
        )
    query = """query($first: Int) { protectiveStocks(first: $first) {
        totalCount nodes { quantity ownerUnit { name } item { code } } } }"""
    result = await client.execute(query, {"first": size})
    assert len(result["data"]["protectiveStocks"]["nodes"]) == size
    # page + count + owner unit + item
    assert len(client.statements) == 4, client.statements
