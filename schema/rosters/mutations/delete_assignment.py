"""deleteAssignment: take a volunteer off a shift in a roster."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.rosters import delete_assignment
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.rosters.types import Assignment


@strawberry.input
class DeleteAssignmentInput:
    id: relay.GlobalID


@strawberry.type
class DeleteAssignmentPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_assignment_mutation(
    info: Info, input: DeleteAssignmentInput
) -> DeleteAssignmentPayload:
    """Delete an assignment."""

    async def work(session: AsyncSession) -> None:
        await delete_assignment(session, assignment_id=node_id(input.id, Assignment))

    _, errors = await apply(info, work)
    return DeleteAssignmentPayload(deleted_id=None if errors else input.id, user_errors=errors)
