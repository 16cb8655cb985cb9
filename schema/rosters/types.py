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
    GAP_ORDER,
    AssignmentCriteria,
    DispatchByRosterIdLoader,
    PublishedAssignmentsByShiftIdLoader,
    RostersByRunIdLoader,
    ShiftIdByLineIdLoader,
    assignments_query,
    gaps_query,
)
from schema.base import VERSION_DESCRIPTION, Connection, OrderDirection, RegisterNode, load_node
from schema.enums import AssignmentStatus, RosterStatus, RunStatus
from schema.lists import connection
from schema.organisations.types import Organisation, Unit
from schema.volunteers.types import Volunteer

if TYPE_CHECKING:
    from schema.posts.types import Checkpoint, HeadcountLine, Shift
    from schema.protection.types import ProtectiveItem, ProtectiveStock

ShiftRef = Annotated["Shift", strawberry.lazy("schema.posts.types")]
CheckpointRef = Annotated["Checkpoint", strawberry.lazy("schema.posts.types")]
HeadcountLineRef = Annotated["HeadcountLine", strawberry.lazy("schema.posts.types")]
StockRef = Annotated["ProtectiveStock", strawberry.lazy("schema.protection.types")]
ItemRef = Annotated["ProtectiveItem", strawberry.lazy("schema.protection.types")]


@strawberry.type(description="Heads a roster leaves unfilled on a headcount line, and why.")
class LineGap:
    missing: int
    reason: str = strawberry.field(description="Why, in a scheduler's words.")


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

    @strawberry.field(description="Headcount lines this roster leaves short, by shift start.")
    async def gaps(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RosterGap]:
        return await connection(
            info,
            RosterGap,
            gaps_query(self.id),
            order=GAP_ORDER,
            direction=OrderDirection.ASC,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="The protective kits this roster draws: per stock and day, how many go to "
        "which checkpoint (the owner's stocks first, the city reserve last)."
    )
    async def dispatch_list(self, info: Info) -> list[DispatchLine]:
        rows = await info.context.loaders.get(DispatchByRosterIdLoader).load(self.id)
        return [
            DispatchLine(
                day=r.day,
                kits=r.kits,
                stock_id=r.stock_id,
                owner_unit_id=r.owner_unit_id,
                item_id=r.item_id,
                checkpoint_id=r.checkpoint_id,
            )
            for r in rows
        ]


@strawberry.type(description="A headcount line a roster leaves short: how many heads, and why.")
class RosterGap(RegisterNode):
    model = m.RosterGap

    id: relay.NodeID[int]
    missing: int = strawberry.field(description="Heads the line still needs.")
    reason: str = strawberry.field(description="Why, in a scheduler's words.")
    roster_id: strawberry.Private[int]
    headcount_line_id: strawberry.Private[int]

    @strawberry.field
    async def roster(self, info: Info) -> Roster:
        return await load_node(info, Roster, self.roster_id)

    @strawberry.field
    async def headcount_line(self, info: Info) -> HeadcountLineRef:
        from schema.posts.types import HeadcountLine

        return await load_node(info, HeadcountLine, self.headcount_line_id)

    @strawberry.field
    async def shift(self, info: Info) -> ShiftRef:
        from schema.posts.types import Shift

        shift_id = await info.context.loaders.get(ShiftIdByLineIdLoader).load(
            self.headcount_line_id
        )
        return await load_node(info, Shift, shift_id)

    @strawberry.field
    async def checkpoint(self, info: Info) -> CheckpointRef:
        from schema.posts.types import Checkpoint

        shift = await self.shift(info)
        return await load_node(info, Checkpoint, shift.checkpoint_id)


@strawberry.type(description="Kits one stock sends to one checkpoint on the stock's day.")
class DispatchLine:
    day: date
    kits: int = strawberry.field(description="How many kits (one per person on a shift).")
    stock_id: strawberry.Private[int]
    owner_unit_id: strawberry.Private[int | None]
    item_id: strawberry.Private[int]
    checkpoint_id: strawberry.Private[int]

    @strawberry.field(description="The stock the kits come from.")
    async def stock(self, info: Info) -> StockRef:
        from schema.protection.types import ProtectiveStock

        return await load_node(info, ProtectiveStock, self.stock_id)

    @strawberry.field(description="The unit that sends them; null for the city reserve.")
    async def owner_unit(self, info: Info) -> Unit | None:
        return await load_node(info, Unit, self.owner_unit_id)

    @strawberry.field(description="Whether the city reserve sends them.")
    def from_city_reserve(self) -> bool:
        return self.owner_unit_id is None

    @strawberry.field
    async def item(self, info: Info) -> ItemRef:
        from schema.protection.types import ProtectiveItem

        return await load_node(info, ProtectiveItem, self.item_id)

    @strawberry.field(description="Where the kits go.")
    async def checkpoint(self, info: Info) -> CheckpointRef:
        from schema.posts.types import Checkpoint

        return await load_node(info, Checkpoint, self.checkpoint_id)


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


@strawberry.type(description="A shift with who is on it in the published roster.")
class ShiftRoster:
    shift: ShiftRef
    shift_id: strawberry.Private[int]

    @strawberry.field(
        description="Non-cancelled assignments of published rosters, by headcount line."
    )
    async def assignments(self, info: Info) -> list[Assignment]:
        loader = info.context.loaders.get(PublishedAssignmentsByShiftIdLoader)
        return [Assignment.from_row(r) for r in await loader.load(self.shift_id)]
