"""deleteVolunteer: remove a volunteer and their certificates, availability and reports."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.volunteers import delete_volunteer
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.volunteers.types import Volunteer


@strawberry.input
class DeleteVolunteerInput:
    id: relay.GlobalID


@strawberry.type
class DeleteVolunteerPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_volunteer_mutation(
    info: Info, input: DeleteVolunteerInput
) -> DeleteVolunteerPayload:
    """Delete a volunteer."""

    async def work(session: AsyncSession) -> None:
        await delete_volunteer(session, volunteer_id=node_id(input.id, Volunteer))

    _, errors = await apply(info, work)
    return DeleteVolunteerPayload(deleted_id=None if errors else input.id, user_errors=errors)
