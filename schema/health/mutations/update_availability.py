"""updateAvailability: move or resize an availability window."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.health import update_availability
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.health.mutations.create_availability import IDS
from schema.mutations import apply, input_values, node_id
from schema.volunteers.types import Availability


@strawberry.input(description="Only the fields given change.")
class UpdateAvailabilityInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    volunteer_id: relay.GlobalID | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET
    ends_at: datetime | None = strawberry.UNSET


@strawberry.type
class UpdateAvailabilityPayload:
    availability: Availability | None
    user_errors: list[UserError]


async def update_availability_mutation(
    info: Info, input: UpdateAvailabilityInput
) -> UpdateAvailabilityPayload:
    """Change an availability window."""

    async def work(session: AsyncSession) -> m.Availability:
        return await update_availability(
            session,
            availability_id=node_id(input.id, Availability),
            changes=input_values(input, ids=IDS),
        )

    row, errors = await apply(info, work)
    return UpdateAvailabilityPayload(
        availability=Availability.from_row(row) if row else None, user_errors=errors
    )
