"""createCheckpoint: add a post to staff, with the trainings it requires."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.posts import create_checkpoint
from resolvers.context import Info
from schema.base import UserError
from schema.enums import CheckpointKind, RiskLevel
from schema.mutations import apply, input_values, node_id
from schema.organisations.types import Grid, Organisation, Unit
from schema.posts.types import Checkpoint
from schema.trainings.types import Training

IDS = {"organisation_id": Organisation, "using_unit_id": Unit, "grid_id": Grid}


def training_ids(ids: list[relay.GlobalID]) -> list[int]:
    """Database ids of the trainings a checkpoint requires."""
    return [node_id(t, Training, "required_training_ids") for t in ids]


@strawberry.input
class CreateCheckpointInput:
    name: str
    code: str
    kind: CheckpointKind  # type: ignore[valid-type]
    organisation_id: relay.GlobalID
    using_unit_id: relay.GlobalID = strawberry.field(
        description="The unit running the post; it equips the social volunteers serving there."
    )
    latitude: float
    longitude: float
    risk_level: RiskLevel  # type: ignore[valid-type]
    priority: int = strawberry.field(default=3, description="1 = most important, 5 = least.")
    grid_id: relay.GlobalID | None = None
    required_training_ids: list[relay.GlobalID] | None = None


@strawberry.type
class CreateCheckpointPayload:
    checkpoint: Checkpoint | None
    user_errors: list[UserError]


async def create_checkpoint_mutation(
    info: Info, input: CreateCheckpointInput
) -> CreateCheckpointPayload:
    """Add a checkpoint with the trainings it requires."""

    async def work(session: AsyncSession) -> m.Checkpoint:
        return await create_checkpoint(
            session,
            values=input_values(input, ids=IDS, skip=("required_training_ids",)),
            required_training_ids=training_ids(input.required_training_ids or []),
        )

    row, errors = await apply(info, work)
    return CreateCheckpointPayload(
        checkpoint=Checkpoint.from_row(row) if row else None, user_errors=errors
    )
