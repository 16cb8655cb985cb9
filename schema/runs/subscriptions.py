"""Subscriptions: a run's status and progress as they change (graphql-transport-ws)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay

from db import models as m
from db.services.errors import ValidationFailed
from db.services.runs import FINISHED, get_run
from resolvers.context import Info
from resolvers.permissions import require_visible
from schema.mutations import node_id
from schema.rosters.types import RosterRun

POLL_SECONDS = 0.5


@strawberry.type
class RunSubscriptions:
    @strawberry.subscription(
        description="The run now and at each change of status or progress, until it ends."
    )
    async def roster_run(self, info: Info, id: relay.GlobalID) -> AsyncGenerator[RosterRun, None]:
        await require_visible(info, m.RosterRun, node_id(id, RosterRun))
        seen = None
        while True:
            try:
                async with info.context.sessionmaker() as session:
                    run = await get_run(session, run_id=node_id(id, RosterRun))
            except ValidationFailed as exc:
                raise ValueError(str(exc)) from None
            state = (run.status, len(run.progress), run.objective, run.heartbeat_at)
            if state != seen:
                seen = state
                yield RosterRun.from_row(run)
            if run.status in FINISHED:
                return
            await asyncio.sleep(POLL_SECONDS)
