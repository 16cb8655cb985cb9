"""cancelRosterRun: stop a queued or running run; it writes no roster."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.runs import cancel_run
from resolvers.context import Info
from resolvers.runs.launch import requester, stop_run
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.rosters.types import RosterRun


@strawberry.input
class CancelRosterRunInput:
    id: relay.GlobalID


@strawberry.type
class CancelRosterRunPayload:
    run: RosterRun | None
    user_errors: list[UserError]


async def cancel_roster_run_mutation(
    info: Info, input: CancelRosterRunInput
) -> CancelRosterRunPayload:
    """Mark the run cancelled, then stop its solver process."""

    async def work(session: AsyncSession) -> m.RosterRun:
        return await cancel_run(session, run_id=node_id(input.id, RosterRun), by=requester(info))

    row, errors = await apply(info, work)
    if row is not None:
        stop_run(info, run_id=row.id)
    return CancelRosterRunPayload(run=RosterRun.from_row(row) if row else None, user_errors=errors)
