"""deleteAvailability: remove an availability window."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.health import delete_availability
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.volunteers.types import Availability


@strawberry.input
class DeleteAvailabilityInput:
    id: relay.GlobalID


@strawberry.type
class DeleteAvailabilityPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_availability_mutation(
    info: Info, input: DeleteAvailabilityInput
) -> DeleteAvailabilityPayload:
    """Delete an availability window."""

    async def work(session: AsyncSession) -> None:
        await delete_availability(session, availability_id=node_id(input.id, Availability))

    _, errors = await apply(info, work)
    return DeleteAvailabilityPayload(deleted_id=None if errors else input.id, user_errors=errors)
