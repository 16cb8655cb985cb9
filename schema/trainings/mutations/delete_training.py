"""deleteTraining: remove a training nobody holds or requires."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.trainings import delete_training
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.trainings.types import Training


@strawberry.input
class DeleteTrainingInput:
    id: relay.GlobalID


@strawberry.type
class DeleteTrainingPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_training_mutation(info: Info, input: DeleteTrainingInput) -> DeleteTrainingPayload:
    """Delete a training without certificates that no post requires."""

    async def work(session: AsyncSession) -> None:
        await delete_training(session, training_id=node_id(input.id, Training))

    _, errors = await apply(info, work)
    return DeleteTrainingPayload(deleted_id=None if errors else input.id, user_errors=errors)
