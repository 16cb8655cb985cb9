"""Root fields listing rosters, assignments and roster runs."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
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
from schema.base import Connection, OrderDirection
from schema.lists import connection
from schema.rosters.filters import AssignmentFilter, RosterFilter, RosterOrder, RosterRunFilter
from schema.rosters.types import Assignment, Roster, RosterRun


@strawberry.type
class RosterQueries:
    @strawberry.field(description="Rosters, newest period first by default.")
    async def rosters(
        self,
        info: Info,
        filter: RosterFilter | None = None,
        order_by: RosterOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Roster]:
        order = order_by or RosterOrder()
        return await connection(
            info,
            Roster,
            rosters_query(filter.criteria() if filter else RosterCriteria()),
            order=ROSTER_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Assignments across rosters.")
    async def assignments(
        self,
        info: Info,
        filter: AssignmentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Assignment]:
        return await connection(
            info,
            Assignment,
            assignments_query(filter.criteria() if filter else AssignmentCriteria()),
            order=ASSIGNMENT_ORDER["ID"],
            direction=OrderDirection.ASC,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Optimisation runs, newest first.")
    async def roster_runs(
        self,
        info: Info,
        filter: RosterRunFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RosterRun]:
        return await connection(
            info,
            RosterRun,
            runs_query(filter.criteria() if filter else RunCriteria()),
            order=RUN_ORDER["CREATED_AT"],
            direction=OrderDirection.DESC,
            first=first,
            after=after,
            last=last,
            before=before,
        )
