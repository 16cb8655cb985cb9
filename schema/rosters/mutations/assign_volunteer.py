"""assignVolunteer: put a volunteer on a headcount line of a roster, every hard rule checked."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from resolvers.context import Info
from resolvers.roster_edits import EditResult, assign_volunteer
from schema.mutations import node_id
from schema.rosters.mutations.roster_edit import RosterEditError, line_gap, run_edit
from schema.rosters.types import Assignment, LineGap, Roster
from schema.volunteers.types import Volunteer


@strawberry.input
class AssignVolunteerInput:
    roster_id: relay.GlobalID = strawberry.field(description="A proposed or published roster.")
    headcount_line_id: relay.GlobalID
    volunteer_id: relay.GlobalID
    stock_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="Where the kit comes from; left out, a stock the supply rules allow with "
        "kits left (the volunteer's unit for agency volunteers, the post's using unit for "
        "social ones, the city reserve last).",
    )
    pinned: bool = strawberry.field(default=False, description="Keep it when re-planning.")


@strawberry.type
class AssignVolunteerPayload:
    assignment: Assignment | None
    gap: LineGap | None = strawberry.field(
        description="What the line still misses after the edit, and why; null when full."
    )
    user_errors: list[RosterEditError]


async def assign_volunteer_mutation(
    info: Info, input: AssignVolunteerInput
) -> AssignVolunteerPayload:
    """Put a volunteer on a roster's headcount line; refused with the rules it would break."""
    from schema.posts.types import HeadcountLine
    from schema.protection.types import ProtectiveStock

    async def work(session: AsyncSession) -> EditResult:
        stock = input.stock_id
        return await assign_volunteer(
            session,
            roster_id=node_id(input.roster_id, Roster, "roster_id"),
            line_id=node_id(input.headcount_line_id, HeadcountLine, "headcount_line_id"),
            volunteer_id=node_id(input.volunteer_id, Volunteer, "volunteer_id"),
            stock_id=None if stock is None else node_id(stock, ProtectiveStock, "stock_id"),
            pinned=input.pinned,
            zone=info.context.settings.zone,
        )

    result, errors = await run_edit(info, work)
    row = result.assignment if result else None
    return AssignVolunteerPayload(
        assignment=Assignment.from_row(row) if row else None,
        gap=line_gap(result),
        user_errors=errors,
    )
