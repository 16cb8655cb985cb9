"""startRosterRun: queue a run for a scope and period and start its solver process."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.errors import ErrorCode, FieldError, ValidationFailed
from db.services.runs import MAX_DAYS, MAX_TIME_LIMIT, start_run
from resolvers.context import Info
from resolvers.runs.launch import launch_run, requester
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.organisations.types import Organisation
from schema.rosters.types import RosterRun
from schema.runs.inputs import WeightsInput, weights_from


@strawberry.input
class StartRosterRunInput:
    organisation_id: relay.GlobalID = strawberry.field(
        description="The scope: this organisation's subtree (posts and volunteers)."
    )
    from_: date = strawberry.field(name="from", description="First local day to plan.")
    days: int = strawberry.field(default=7, description=f"Days to plan, 1 to {MAX_DAYS}.")
    time_limit_seconds: int = strawberry.field(
        default=60, description=f"Solver time limit, 1 to {MAX_TIME_LIMIT} s."
    )
    weights: WeightsInput | None = None


@strawberry.type
class StartRosterRunPayload:
    run: RosterRun | None
    user_errors: list[UserError]


async def start_roster_run_mutation(
    info: Info, input: StartRosterRunInput
) -> StartRosterRunPayload:
    """Queue the run (one per scope at a time) and hand it to a solver process."""

    async def work(session: AsyncSession) -> m.RosterRun:
        weights = weights_from(input.weights)
        negative = [k for k, v in weights.items() if v < 0]
        if negative:
            raise ValidationFailed(
                [
                    FieldError(f"weights.{k}", ErrorCode.OUT_OF_RANGE, "weights must be >= 0")
                    for k in negative
                ]
            )
        return await start_run(
            session,
            organisation_id=node_id(input.organisation_id, Organisation, "organisation_id"),
            period_start=input.from_,
            days=input.days,
            time_limit_seconds=input.time_limit_seconds,
            weights=weights,
            trigger="ON_DEMAND",
            requested_by=requester(info),
            heartbeat_timeout=info.context.settings.run_heartbeat_timeout,
        )

    row, errors = await apply(info, work)
    if row is None:
        return StartRosterRunPayload(run=None, user_errors=errors)
    row = await launch_run(info, run_id=row.id)
    return StartRosterRunPayload(run=RosterRun.from_row(row), user_errors=[])
