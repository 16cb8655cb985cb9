"""deleteProtectiveItem: remove a kind of kit no stock or shift names."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.protection import delete_protective_item
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.protection.types import ProtectiveItem


@strawberry.input
class DeleteProtectiveItemInput:
    id: relay.GlobalID


@strawberry.type
class DeleteProtectiveItemPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_protective_item_mutation(
    info: Info, input: DeleteProtectiveItemInput
) -> DeleteProtectiveItemPayload:
    """Delete a protective item; refused while stocks or shifts name it."""

    async def work(session: AsyncSession) -> None:
        await delete_protective_item(session, item_id=node_id(input.id, ProtectiveItem))

    _, errors = await apply(info, work)
    return DeleteProtectiveItemPayload(deleted_id=None if errors else input.id, user_errors=errors)
