"""deleteUnit: remove a unit; the grids it claimed become unclaimed."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.organisations import delete_unit
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.organisations.types import Unit


@strawberry.input
class DeleteUnitInput:
    id: relay.GlobalID


@strawberry.type
class DeleteUnitPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_unit_mutation(info: Info, input: DeleteUnitInput) -> DeleteUnitPayload:
    """Delete a unit no volunteer, post or stock depends on."""

    async def work(session: AsyncSession) -> None:
        await delete_unit(session, unit_id=node_id(input.id, Unit))

    _, errors = await apply(info, work)
    return DeleteUnitPayload(deleted_id=None if errors else input.id, user_errors=errors)
