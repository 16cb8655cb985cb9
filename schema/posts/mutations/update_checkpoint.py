"""updateCheckpoint: change some of a checkpoint's fields."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.posts import update_checkpoint
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import CheckpointKind, RiskLevel
from schema.mutations import apply, input_values, node_id
from schema.posts.mutations.create_checkpoint import IDS, training_ids
from schema.posts.types import Checkpoint


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateCheckpointInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.UNSET
    kind: CheckpointKind | None = strawberry.UNSET  # type: ignore[valid-type]
    organisation_id: relay.GlobalID | None = strawberry.UNSET
    using_unit_id: relay.GlobalID | None = strawberry.UNSET
    latitude: float | None = strawberry.UNSET
    longitude: float | None = strawberry.UNSET
    risk_level: RiskLevel | None = strawberry.UNSET  # type: ignore[valid-type]
    priority: int | None = strawberry.UNSET
    grid_id: relay.GlobalID | None = strawberry.UNSET
    required_training_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the trainings the post requires."
    )


@strawberry.type
class UpdateCheckpointPayload:
    checkpoint: Checkpoint | None
    user_errors: list[UserError]


async def update_checkpoint_mutation(
    info: Info, input: UpdateCheckpointInput
) -> UpdateCheckpointPayload:
    """Change a checkpoint's fields and, if given, replace its required trainings."""

    async def work(session: AsyncSession) -> m.Checkpoint:
        trainings = input.required_training_ids
        return await update_checkpoint(
            session,
            checkpoint_id=node_id(input.id, Checkpoint),
            changes=input_values(input, ids=IDS, skip=("id", "required_training_ids")),
            required_training_ids=None
            if trainings is strawberry.UNSET
            else training_ids(trainings or []),
        )

    row, errors = await apply(info, work)
    return UpdateCheckpointPayload(
        checkpoint=Checkpoint.from_row(row) if row else None, user_errors=errors
    )
