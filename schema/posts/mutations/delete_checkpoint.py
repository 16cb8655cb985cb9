"""deleteCheckpoint: remove a post and its shifts, unless a published roster staffs them."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.posts import delete_checkpoint
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.posts.types import Checkpoint


@strawberry.input
class DeleteCheckpointInput:
    id: relay.GlobalID


@strawberry.type
class DeleteCheckpointPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_checkpoint_mutation(
    info: Info, input: DeleteCheckpointInput
) -> DeleteCheckpointPayload:
    """Delete a checkpoint."""

    async def work(session: AsyncSession) -> None:
        await delete_checkpoint(session, checkpoint_id=node_id(input.id, Checkpoint))

    _, errors = await apply(info, work)
    return DeleteCheckpointPayload(deleted_id=None if errors else input.id, user_errors=errors)
