"""pinAssignment: pin an assignment so re-planning keeps it, or unpin it."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from resolvers.context import Info
from resolvers.roster_edits import EditResult, pin_assignment
from schema.mutations import node_id
from schema.rosters.mutations.roster_edit import RosterEditError, run_edit
from schema.rosters.types import Assignment


@strawberry.input
class PinAssignmentInput:
    assignment_id: relay.GlobalID
    pinned: bool = strawberry.field(
        description="true: re-planning keeps it. false: it may move; a confirmed assignment "
        "goes back to PROPOSED, since confirmed ones stay like pinned ones."
    )


@strawberry.type
class PinAssignmentPayload:
    assignment: Assignment | None
    user_errors: list[RosterEditError]


async def pin_assignment_mutation(info: Info, input: PinAssignmentInput) -> PinAssignmentPayload:
    """Pin or unpin an assignment, checked like any roster edit."""

    async def work(session: AsyncSession) -> EditResult:
        return await pin_assignment(
            session,
            assignment_id=node_id(input.assignment_id, Assignment, "assignment_id"),
            pinned=input.pinned,
            zone=info.context.settings.zone,
        )

    result, errors = await run_edit(info, work)
    row = result.assignment if result else None
    return PinAssignmentPayload(
        assignment=Assignment.from_row(row) if row else None, user_errors=errors
    )
