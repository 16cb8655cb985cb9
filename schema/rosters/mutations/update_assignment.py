"""updateAssignment: change an assignment's status, pin, line or kit stock."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.rosters import update_assignment
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import AssignmentStatus
from schema.mutations import apply, input_values, node_id
from schema.rosters.mutations.create_assignment import assignment_ids
from schema.rosters.types import Assignment


@strawberry.input
class UpdateAssignmentInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    status: AssignmentStatus | None = strawberry.UNSET  # type: ignore[valid-type]
    pinned: bool | None = strawberry.UNSET
    headcount_line_id: relay.GlobalID | None = strawberry.UNSET
    stock_id: relay.GlobalID | None = strawberry.UNSET


@strawberry.type
class UpdateAssignmentPayload:
    assignment: Assignment | None
    user_errors: list[UserError]


async def update_assignment_mutation(
    info: Info, input: UpdateAssignmentInput
) -> UpdateAssignmentPayload:
    """Change an assignment."""

    async def work(session: AsyncSession) -> m.Assignment:
        changes = input_values(input, ids=assignment_ids())
        return await update_assignment(
            session,
            assignment_id=node_id(input.id, Assignment),
            changes=changes,
            zone=info.context.settings.zone,
        )

    row, errors = await apply(info, work)
    return UpdateAssignmentPayload(
        assignment=Assignment.from_row(row) if row else None, user_errors=errors
    )
