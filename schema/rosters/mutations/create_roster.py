"""createRoster: an empty draft roster for a scope and period."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.rosters import create_roster
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.organisations.types import Organisation
from schema.rosters.types import Roster


@strawberry.input
class CreateRosterInput:
    organisation_id: relay.GlobalID = strawberry.field(description="The scope's root.")
    period_start: date
    period_end: date


@strawberry.type
class CreateRosterPayload:
    roster: Roster | None
    user_errors: list[UserError]


async def create_roster_mutation(info: Info, input: CreateRosterInput) -> CreateRosterPayload:
    """Create a draft roster."""

    async def work(session: AsyncSession) -> m.Roster:
        values = input_values(input, ids={"organisation_id": Organisation})
        return await create_roster(session, values=values)

    row, errors = await apply(info, work)
    return CreateRosterPayload(roster=Roster.from_row(row) if row else None, user_errors=errors)
