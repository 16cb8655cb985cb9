"""deleteGrid: remove a grid community."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.organisations import delete_grid
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.organisations.types import Grid


@strawberry.input
class DeleteGridInput:
    id: relay.GlobalID


@strawberry.type
class DeleteGridPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_grid_mutation(info: Info, input: DeleteGridInput) -> DeleteGridPayload:
    """Delete a grid; volunteers living there and posts in it keep no grid."""

    async def work(session: AsyncSession) -> None:
        await delete_grid(session, grid_id=node_id(input.id, Grid))

    _, errors = await apply(info, work)
    return DeleteGridPayload(deleted_id=None if errors else input.id, user_errors=errors)
