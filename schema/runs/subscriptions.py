"""Subscriptions: a run's status and progress as they change (graphql-transport-ws)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable
from contextlib import suppress
from typing import TypeVar

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

T = TypeVar("T")


async def uninterrupted(work: Awaitable[T]) -> T:
    """``work``'s result; if this task is cancelled meanwhile, ``work`` still runs to its end
    before the cancellation goes on.

    A subscription is cancelled when its client leaves, and often again while it unwinds
    (strawberry cancels the operation; the server, cancelling the socket's handler, cancels the
    operation that handler is waiting for). Cancelled in the middle of a query, SQLAlchemy
    throws the connection away, and with aiosqlite that teardown can leave a close waiting for
    ever on the connection's stopped thread: the event loop then never finishes shutting down.
    A poll is one short read, so it is let finish and its connection goes back to the pool.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        while not task.done():
            with suppress(asyncio.CancelledError):
                await asyncio.wait([task])
        raise


async def read_run(info: Info, run_id: int) -> m.RosterRun:
    """The run as it is now, read in a session of its own."""
    async with info.context.sessionmaker() as session:
        return await get_run(session, run_id=run_id)


@strawberry.type
class RunSubscriptions:
    @strawberry.subscription(
        description="The run now and at each change of status or progress, until it ends."
    )
    async def roster_run(self, info: Info, id: relay.GlobalID) -> AsyncGenerator[RosterRun, None]:
        run_id = node_id(id, RosterRun)
        await require_visible(info, m.RosterRun, run_id)
        seen = None
        while True:
            try:
                run = await uninterrupted(read_run(info, run_id))
            except ValidationFailed as exc:
                raise ValueError(str(exc)) from None
            state = (run.status, len(run.progress), run.objective, run.heartbeat_at)
            if state != seen:
                seen = state
                yield RosterRun.from_row(run)
            if run.status in FINISHED:
                return
            await asyncio.sleep(POLL_SECONDS)
