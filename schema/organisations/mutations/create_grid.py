"""createGrid: add a grid community, optionally claimed by a unit."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.organisations import create_grid
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.organisations.types import Grid, Organisation, Unit

IDS = {"organisation_id": Organisation, "claimed_by_unit_id": Unit}


@strawberry.input
class CreateGridInput:
    name: str
    code: str
    organisation_id: relay.GlobalID
    latitude: float
    longitude: float
    claimed_by_unit_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit that claims the grid and staffs it."
    )


@strawberry.type
class CreateGridPayload:
    grid: Grid | None
    user_errors: list[UserError]


async def create_grid_mutation(info: Info, input: CreateGridInput) -> CreateGridPayload:
    """Add a grid community."""

    async def work(session: AsyncSession) -> m.Grid:
        return await create_grid(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return CreateGridPayload(grid=Grid.from_row(row) if row else None, user_errors=errors)
