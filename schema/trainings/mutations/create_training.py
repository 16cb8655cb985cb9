"""createTraining: add a training course."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.services.trainings import create_training
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.trainings.types import Training


@strawberry.input
class CreateTrainingInput:
    code: str
    name: str
    provider: str | None = None
    validity_days: int | None = strawberry.field(
        default=None, description="Days a certificate stays valid; left out, it never expires."
    )


@strawberry.type
class CreateTrainingPayload:
    training: Training | None
    user_errors: list[UserError]


async def create_training_mutation(info: Info, input: CreateTrainingInput) -> CreateTrainingPayload:
    """Add a training."""

    async def work(session: AsyncSession) -> m.Training:
        return await create_training(session, values=input_values(input))

    row, errors = await apply(info, work)
    return CreateTrainingPayload(
        training=Training.from_row(row) if row else None, user_errors=errors
    )
