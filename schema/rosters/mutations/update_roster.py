"""updateRoster: change a roster's period or scope before it is published."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.rosters import update_roster
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.organisations.types import Organisation
from schema.rosters.types import Roster


@strawberry.input
class UpdateRosterInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    organisation_id: relay.GlobalID | None = strawberry.UNSET
    period_start: date | None = strawberry.UNSET
    period_end: date | None = strawberry.UNSET


@strawberry.type
class UpdateRosterPayload:
    roster: Roster | None
    user_errors: list[UserError]


async def update_roster_mutation(info: Info, input: UpdateRosterInput) -> UpdateRosterPayload:
    """Change a roster's scope or period."""

    async def work(session: AsyncSession) -> m.Roster:
        changes = input_values(input, ids={"organisation_id": Organisation})
        return await update_roster(session, roster_id=node_id(input.id, Roster), changes=changes)

    row, errors = await apply(info, work)
    return UpdateRosterPayload(roster=Roster.from_row(row) if row else None, user_errors=errors)
