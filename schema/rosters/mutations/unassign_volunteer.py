"""unassignVolunteer: take a volunteer off a roster, every hard rule checked."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from resolvers.context import Info
from resolvers.roster_edits import EditResult, unassign_volunteer
from schema.mutations import node_id
from schema.rosters.mutations.roster_edit import RosterEditError, line_gap, run_edit
from schema.rosters.types import Assignment, LineGap


@strawberry.input
class UnassignVolunteerInput:
    assignment_id: relay.GlobalID = strawberry.field(
        description="Not pinned and not confirmed: unpin it first with pinAssignment."
    )


@strawberry.type
class UnassignVolunteerPayload:
    deleted_id: relay.GlobalID | None
    gap: LineGap | None = strawberry.field(
        description="What the line misses after the edit, and why; null when still full."
    )
    user_errors: list[RosterEditError]


async def unassign_volunteer_mutation(
    info: Info, input: UnassignVolunteerInput
) -> UnassignVolunteerPayload:
    """Take a volunteer off a roster; pinned and confirmed assignments must be unpinned first."""

    async def work(session: AsyncSession) -> EditResult:
        return await unassign_volunteer(
            session,
            assignment_id=node_id(input.assignment_id, Assignment, "assignment_id"),
            zone=info.context.settings.zone,
        )

    result, errors = await run_edit(info, work)
    return UnassignVolunteerPayload(
        deleted_id=None if errors else input.assignment_id,
        gap=line_gap(result),
        user_errors=errors,
    )
