"""createAssignment: put a volunteer on a shift's headcount line in a roster."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.rosters import create_assignment
from resolvers.context import Info
from schema.base import UserError
from schema.enums import AssignmentStatus
from schema.mutations import apply, input_values
from schema.rosters.types import Assignment, Roster
from schema.volunteers.types import Volunteer


def assignment_ids() -> dict[str, type]:
    """Which input fields hold global ids, and of what type."""
    from schema.posts.types import HeadcountLine, Shift
    from schema.protection.types import ProtectiveStock

    return {
        "roster_id": Roster,
        "shift_id": Shift,
        "headcount_line_id": HeadcountLine,
        "volunteer_id": Volunteer,
        "stock_id": ProtectiveStock,
    }


@strawberry.input
class CreateAssignmentInput:
    roster_id: relay.GlobalID
    shift_id: relay.GlobalID
    headcount_line_id: relay.GlobalID
    volunteer_id: relay.GlobalID
    stock_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The stock the volunteer's protective kit comes from."
    )
    status: AssignmentStatus = AssignmentStatus.PROPOSED  # type: ignore[valid-type]
    pinned: bool = False


@strawberry.type
class CreateAssignmentPayload:
    assignment: Assignment | None
    user_errors: list[UserError]


async def create_assignment_mutation(
    info: Info, input: CreateAssignmentInput
) -> CreateAssignmentPayload:
    """Create an assignment."""

    async def work(session: AsyncSession) -> m.Assignment:
        return await create_assignment(
            session,
            values=input_values(input, ids=assignment_ids()),
            zone=info.context.settings.zone,
        )

    row, errors = await apply(info, work)
    return CreateAssignmentPayload(
        assignment=Assignment.from_row(row) if row else None, user_errors=errors
    )
