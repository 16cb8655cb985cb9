"""createProtectiveStock: record kits held on a day by a unit or the city reserve."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.protection import create_protective_stock
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.organisations.types import Unit
from schema.protection.types import ProtectiveItem, ProtectiveStock

IDS = {"owner_unit_id": Unit, "item_id": ProtectiveItem}


@strawberry.input
class CreateProtectiveStockInput:
    item_id: relay.GlobalID
    day: date
    quantity: int = strawberry.field(description="Kits held; never negative.")
    owner_unit_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit holding the stock; leave out for the city reserve."
    )


@strawberry.type
class CreateProtectiveStockPayload:
    protective_stock: ProtectiveStock | None
    user_errors: list[UserError]


async def create_protective_stock_mutation(
    info: Info, input: CreateProtectiveStockInput
) -> CreateProtectiveStockPayload:
    """Record a stock: one per owner (or the city reserve), item and day."""

    async def work(session: AsyncSession) -> m.ProtectiveStock:
        return await create_protective_stock(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return CreateProtectiveStockPayload(
        protective_stock=ProtectiveStock.from_row(row) if row else None, user_errors=errors
    )
