"""Root fields listing rosters, assignments and roster runs."""

from __future__ import annotations

import strawberry

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
