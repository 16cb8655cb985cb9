"""deleteProtectiveStock: remove a stock no assignment draws kits from."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.protection import delete_protective_stock
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.protection.types import ProtectiveStock


@strawberry.input
class DeleteProtectiveStockInput:
    id: relay.GlobalID


@strawberry.type
class DeleteProtectiveStockPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_protective_stock_mutation(
    info: Info, input: DeleteProtectiveStockInput
) -> DeleteProtectiveStockPayload:
    """Delete a protective stock; refused while assignments draw from it."""

    async def work(session: AsyncSession) -> None:
        await delete_protective_stock(session, stock_id=node_id(input.id, ProtectiveStock))

    _, errors = await apply(info, work)
    return DeleteProtectiveStockPayload(deleted_id=None if errors else input.id, user_errors=errors)
