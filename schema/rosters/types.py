"""GraphQL types of rosters, assignments and optimisation runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from db import models as m
from resolvers.context import Info
from resolvers.rosters import (
    ASSIGNMENT_ORDER,
    AssignmentCriteria,
    RostersByRunIdLoader,
    assignments_query,
)
from schema.base import VERSION_DESCRIPTION, Connection, OrderDirection, RegisterNode, load_node
from schema.enums import AssignmentStatus, RosterStatus, RunStatus
from schema.lists import connection
from schema.organisations.types import Organisation
from schema.volunteers.types import Volunteer

if TYPE_CHECKING:
    from schema.posts.types import HeadcountLine, Shift
    from schema.protection.types import ProtectiveStock

ShiftRef = Annotated["Shift", strawberry.lazy("schema.posts.types")]
HeadcountLineRef = Annotated["HeadcountLine", strawberry.lazy("schema.posts.types")]
StockRef = Annotated["ProtectiveStock", strawberry.lazy("schema.protection.types")]


@strawberry.type(description="Assignments for a scope and period: proposed, edited, published.")
class Roster(RegisterNode):
    model = m.Roster

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    period_start: date
    period_end: date
    status: RosterStatus  # type: ignore[valid-type]
    published_at: datetime | None
    organisation_id: strawberry.Private[int]
    run_id: strawberry.Private[int | None]

    @strawberry.field(description="The scope: this organisation's subtree.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field(description="The run that proposed this roster, if any.")
    async def run(self, info: Info) -> RosterRun | None:
        return await load_node(info, RosterRun, self.run_id)

    @strawberry.field(description="The roster's assignments, paged.")
    async def assignments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Assignment]:
        return await connection(
            info,
            Assignment,
            assignments_query(AssignmentCriteria(roster_id=self.id)),
            order=ASSIGNMENT_ORDER["ID"],
            direction=OrderDirection.ASC,
            first=first,
            after=after,
            last=last,
            before=before,
        )


@strawberry.type(description="A volunteer on a shift's headcount line, with their kit's stock.")
class Assignment(RegisterNode):
    model = m.Assignment

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    status: AssignmentStatus  # type: ignore[valid-type]
    pinned: bool = strawberry.field(description="Pinned assignments stay when re-planning.")
    roster_id: strawberry.Private[int]
    shift_id: strawberry.Private[int]
    headcount_line_id: strawberry.Private[int]
    volunteer_id: strawberry.Private[int]
    stock_id: strawberry.Private[int | None]

    @strawberry.field
    async def roster(self, info: Info) -> Roster:
        return await load_node(info, Roster, self.roster_id)

    @strawberry.field
    async def volunteer(self, info: Info) -> Volunteer:
        return await load_node(info, Volunteer, self.volunteer_id)

    @strawberry.field
    async def shift(self, info: Info) -> ShiftRef:
        from schema.posts.types import Shift

        return await load_node(info, Shift, self.shift_id)

    @strawberry.field
    async def headcount_line(self, info: Info) -> HeadcountLineRef:
        from schema.posts.types import HeadcountLine

        return await load_node(info, HeadcountLine, self.headcount_line_id)

    @strawberry.field(description="The stock the protective kit comes from.")
    async def kit_stock(self, info: Info) -> StockRef | None:
        from schema.protection.types import ProtectiveStock

        return await load_node(info, ProtectiveStock, self.stock_id)


@strawberry.type(description="One optimisation run for a scope and a period.")
class RosterRun(RegisterNode):
    model = m.RosterRun

    id: relay.NodeID[int]
    period_start: date
    period_end: date
    status: RunStatus  # type: ignore[valid-type]
    time_limit_seconds: int
    weights: JSON
    progress: JSON = strawberry.field(description="Best objective and bound over time.")
    problem_size: JSON
    objective: float | None
    bound: float | None
    gap: float | None
    changed_assignments: int | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    created_at: datetime
    trigger: str = strawberry.field(description="ON_DEMAND (the API) or NIGHTLY (the command).")
    requested_by: str | None
    heartbeat_at: datetime | None = strawberry.field(
        description="The solver process's last sign of life."
    )
    unfilled_heads: int | None = strawberry.field(description="Heads the roster leaves unfilled.")
    objective_terms: JSON = strawberry.field(description="The objective, term by term.")
    bound_source: str | None = strawberry.field(description="How the bound was proven.")
    notes: list[str] = strawberry.field(
        description="What a scheduler should know, e.g. pins dropped because they broke a rule."
    )
    organisation_id: strawberry.Private[int]

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field(description="The rosters this run proposed.")
    async def rosters(self, info: Info) -> list[Roster]:
        rows = await info.context.loaders.get(RostersByRunIdLoader).load(self.id)
        return [Roster.from_row(r) for r in rows]
