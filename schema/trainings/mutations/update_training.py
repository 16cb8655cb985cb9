"""updateTraining: change some of a training's fields."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.trainings import update_training
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.trainings.types import Training


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateTrainingInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    provider: str | None = strawberry.UNSET
    validity_days: int | None = strawberry.UNSET


@strawberry.type
class UpdateTrainingPayload:
    training: Training | None
    user_errors: list[UserError]


async def update_training_mutation(info: Info, input: UpdateTrainingInput) -> UpdateTrainingPayload:
    """Change a training's fields; certificates already issued keep their expiry."""

    async def work(session: AsyncSession) -> m.Training:
        ident = node_id(input.id, Training)
        return await update_training(session, training_id=ident, changes=input_values(input))

    row, errors = await apply(info, work)
    return UpdateTrainingPayload(
        training=Training.from_row(row) if row else None, user_errors=errors
    )
