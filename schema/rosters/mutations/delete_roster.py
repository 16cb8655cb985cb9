"""deleteRoster: remove an unpublished roster and its assignments."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.rosters import delete_roster
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.rosters.types import Roster


@strawberry.input
class DeleteRosterInput:
    id: relay.GlobalID


@strawberry.type
class DeleteRosterPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_roster_mutation(info: Info, input: DeleteRosterInput) -> DeleteRosterPayload:
    """Delete a roster that is not published."""

    async def work(session: AsyncSession) -> None:
        await delete_roster(session, roster_id=node_id(input.id, Roster))

    _, errors = await apply(info, work)
    return DeleteRosterPayload(deleted_id=None if errors else input.id, user_errors=errors)
