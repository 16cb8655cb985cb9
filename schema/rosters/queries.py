"""Root fields listing rosters, assignments and roster runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from resolvers.context import Info
from resolvers.permissions import deny, viewer_of
from resolvers.rosters import (
    ASSIGNMENT_ORDER,
    ROSTER_ORDER,
    RUN_ORDER,
    AssignmentCriteria,
    RosterCriteria,
    RunCriteria,
    assignments_query,
    rosters_query,
    runs_query,
)
from schema.lists import list_field
from schema.rosters.filters import (
    AssignmentFilter,
    AssignmentOrder,
    RosterFilter,
    RosterOrder,
    RosterRunFilter,
    RosterRunOrder,
)
from schema.rosters.types import Assignment, Roster, RosterRun
from schema.volunteers.types import volunteer_schedule


@strawberry.type
class RosterQueries:
    rosters = list_field(
        Roster,
        filter_type=RosterFilter,
        order_type=RosterOrder,
        criteria=RosterCriteria,
        query=rosters_query,
        orders=ROSTER_ORDER,
        description="Rosters, newest period first by default.",
    )
    assignments = list_field(
        Assignment,
        filter_type=AssignmentFilter,
        order_type=AssignmentOrder,
        criteria=AssignmentCriteria,
        query=assignments_query,
        orders=ASSIGNMENT_ORDER,
        description="Assignments across rosters.",
    )
    roster_runs = list_field(
        RosterRun,
        filter_type=RosterRunFilter,
        order_type=RosterRunOrder,
        criteria=RunCriteria,
        query=runs_query,
        orders=RUN_ORDER,
        description="Optimisation runs, newest first by default.",
    )

    @strawberry.field(
        description="The caller's own assignments in published rosters, by shift start, for "
        "shifts starting on local days `from` to `to` (inclusive; either open). For callers "
        "whose credential names a volunteer record (the volunteer role)."
    )
    async def my_schedule(
        self,
        info: Info,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> list[Assignment]:
        viewer = viewer_of(info)
        if viewer.volunteer_id is None:
            raise deny(info, "mySchedule is for volunteers: your credential names no volunteer.")
        return await volunteer_schedule(info, viewer.volunteer_id, from_, to)
