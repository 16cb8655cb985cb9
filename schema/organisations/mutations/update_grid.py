"""updateGrid: change a grid, or claim or unclaim it for a unit."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.organisations import update_grid
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.organisations.mutations.create_grid import IDS
from schema.organisations.types import Grid


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateGridInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.UNSET
    organisation_id: relay.GlobalID | None = strawberry.UNSET
    latitude: float | None = strawberry.UNSET
    longitude: float | None = strawberry.UNSET
    claimed_by_unit_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="A unit claims the grid; null unclaims it."
    )


@strawberry.type
class UpdateGridPayload:
    grid: Grid | None
    user_errors: list[UserError]


async def update_grid_mutation(info: Info, input: UpdateGridInput) -> UpdateGridPayload:
    """Change a grid's fields; claimedByUnitId claims it, null unclaims it."""

    async def work(session: AsyncSession) -> m.Grid:
        ident = node_id(input.id, Grid)
        return await update_grid(session, grid_id=ident, changes=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return UpdateGridPayload(grid=Grid.from_row(row) if row else None, user_errors=errors)
