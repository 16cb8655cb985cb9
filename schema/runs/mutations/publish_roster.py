"""publishRoster: a proposed roster replaces the published one of its scope and period."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.errors import ErrorCode, FieldError, NotFound, ValidationFailed
from db.services.publishing import publish_roster
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.rosters.types import Roster, RosterRun


@strawberry.input(description="The roster to publish, or the run whose roster it is.")
class PublishRosterInput:
    roster_id: relay.GlobalID | None = None
    run_id: relay.GlobalID | None = None


@strawberry.type
class PublishRosterPayload:
    roster: Roster | None
    replaced: list[Roster] = strawberry.field(description="Rosters it replaced, now archived.")
    user_errors: list[UserError]


async def publish_roster_mutation(info: Info, input: PublishRosterInput) -> PublishRosterPayload:
    """Publish in one transaction: the old roster is archived, the new one published."""

    async def work(session: AsyncSession) -> tuple[m.Roster, list[m.Roster]]:
        roster_id = await _roster_id(session, input)
        roster, replaced = await publish_roster(
            session, roster_id=roster_id, zone=info.context.settings.zone
        )
        old = [await session.get(m.Roster, i) for i in replaced]
        return roster, [r for r in old if r is not None]

    result, errors = await apply(info, work)
    if result is None:
        return PublishRosterPayload(roster=None, replaced=[], user_errors=errors)
    roster, replaced = result
    return PublishRosterPayload(
        roster=Roster.from_row(roster),
        replaced=[Roster.from_row(r) for r in replaced],
        user_errors=[],
    )


async def _roster_id(session: AsyncSession, data: PublishRosterInput) -> int:
    if (data.roster_id is None) == (data.run_id is None):
        raise ValidationFailed(
            [FieldError("roster_id", ErrorCode.REQUIRED, "give either rosterId or runId")]
        )
    if data.roster_id is not None:
        return node_id(data.roster_id, Roster, "roster_id")
    run_id = node_id(data.run_id, RosterRun, "run_id")  # type: ignore[arg-type]
    roster_id = await session.scalar(
        select(m.Roster.id).where(m.Roster.run_id == run_id).order_by(m.Roster.id.desc()).limit(1)
    )
    if roster_id is None:
        raise NotFound("run_id", "roster of run", run_id)
    return roster_id
