"""createAvailability: record a window in which a volunteer can serve."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.health import create_availability
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.volunteers.types import Availability, Volunteer

IDS = {"volunteer_id": Volunteer}


@strawberry.input
class CreateAvailabilityInput:
    volunteer_id: relay.GlobalID
    starts_at: datetime
    ends_at: datetime = strawberry.field(description="After `startsAt`.")


@strawberry.type
class CreateAvailabilityPayload:
    availability: Availability | None
    user_errors: list[UserError]


async def create_availability_mutation(
    info: Info, input: CreateAvailabilityInput
) -> CreateAvailabilityPayload:
    """Record an availability window."""

    async def work(session: AsyncSession) -> m.Availability:
        return await create_availability(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return CreateAvailabilityPayload(
        availability=Availability.from_row(row) if row else None, user_errors=errors
    )
