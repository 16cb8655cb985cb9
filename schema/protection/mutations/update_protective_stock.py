"""updateProtectiveStock: correct a stock's quantity, day, item or owner."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.protection import update_protective_stock
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.protection.mutations.create_protective_stock import IDS
from schema.protection.types import ProtectiveStock


@strawberry.input(description="Only the fields given change; a null owner moves it to the reserve.")
class UpdateProtectiveStockInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    item_id: relay.GlobalID | None = strawberry.UNSET
    day: date | None = strawberry.UNSET
    quantity: int | None = strawberry.UNSET
    owner_unit_id: relay.GlobalID | None = strawberry.UNSET


@strawberry.type
class UpdateProtectiveStockPayload:
    protective_stock: ProtectiveStock | None
    user_errors: list[UserError]


async def update_protective_stock_mutation(
    info: Info, input: UpdateProtectiveStockInput
) -> UpdateProtectiveStockPayload:
    """Change a protective stock."""

    async def work(session: AsyncSession) -> m.ProtectiveStock:
        return await update_protective_stock(
            session,
            stock_id=node_id(input.id, ProtectiveStock),
            changes=input_values(input, ids=IDS),
        )

    row, errors = await apply(info, work)
    return UpdateProtectiveStockPayload(
        protective_stock=ProtectiveStock.from_row(row) if row else None, user_errors=errors
    )
