"""deleteShift: remove a shift and its lines, unless a published roster staffs it."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.posts import delete_shift
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.posts.types import Shift


@strawberry.input
class DeleteShiftInput:
    id: relay.GlobalID


@strawberry.type
class DeleteShiftPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_shift_mutation(info: Info, input: DeleteShiftInput) -> DeleteShiftPayload:
    """Delete a shift."""

    async def work(session: AsyncSession) -> None:
        await delete_shift(session, shift_id=node_id(input.id, Shift))

    _, errors = await apply(info, work)
    return DeleteShiftPayload(deleted_id=None if errors else input.id, user_errors=errors)
