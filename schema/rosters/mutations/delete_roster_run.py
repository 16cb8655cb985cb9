"""deleteRosterRun: remove the record of a finished run."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.rosters import delete_roster_run
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.rosters.types import RosterRun


@strawberry.input
class DeleteRosterRunInput:
    id: relay.GlobalID


@strawberry.type
class DeleteRosterRunPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_roster_run_mutation(
    info: Info, input: DeleteRosterRunInput
) -> DeleteRosterRunPayload:
    """Delete a finished run's record."""

    async def work(session: AsyncSession) -> None:
        await delete_roster_run(session, run_id=node_id(input.id, RosterRun))

    _, errors = await apply(info, work)
    return DeleteRosterRunPayload(deleted_id=None if errors else input.id, user_errors=errors)
