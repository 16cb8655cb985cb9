"""GraphQL types of checkpoints, their shifts and the shifts' headcount lines."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from db import models as m
from resolvers import loaders
from resolvers import posts as post_lists
from resolvers.context import Info
from schema.base import VERSION_DESCRIPTION, RegisterNode, load_node
from schema.enums import CheckpointKind, RiskLevel
from schema.organisations.types import Grid, Organisation, Unit
from schema.protection.types import ProtectiveItem
from schema.trainings.types import Skill, Training

CoverageStatus = strawberry.enum(
    post_lists.CoverageStatus,
    description=(
        "UNDERSTAFFED: some line has fewer people than its headcount. OVERSTAFFED: no line is "
        "short and some line is beyond its headcount plus allowed over-cover. STAFFED: otherwise."
    ),
)


@strawberry.type(description="A post to staff: road checkpoint, grid gate, station, patrol...")
class Checkpoint(RegisterNode):
    model = m.Checkpoint

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    name: str
    code: str
    kind: CheckpointKind  # type: ignore[valid-type]
    latitude: float
    longitude: float
    risk_level: RiskLevel  # type: ignore[valid-type]
    priority: int = strawberry.field(description="1 = most important to cover, 5 = least.")
    organisation_id: strawberry.Private[int]
    using_unit_id: strawberry.Private[int]
    grid_id: strawberry.Private[int | None]

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field(description="The unit running the post; it equips social volunteers.")
    async def using_unit(self, info: Info) -> Unit:
        return await load_node(info, Unit, self.using_unit_id)

    @strawberry.field
    async def grid(self, info: Info) -> Grid | None:
        return await load_node(info, Grid, self.grid_id)

    @strawberry.field(description="Trainings everyone on this post must hold a valid pass of.")
    async def required_trainings(self, info: Info) -> list[Training]:
        loader = info.context.loaders.get(loaders.RequiredTrainingsByCheckpointIdLoader)
        return [Training.from_row(r) for r in await loader.load(self.id)]

    @strawberry.field(description="Shifts starting at or after `from` and before `to`.")
    async def shifts(
        self,
        info: Info,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> list[Shift]:
        loader = info.context.loaders.get(loaders.ShiftsByCheckpointIdLoader)
        return [
            Shift.from_row(r)
            for r in await loader.load(self.id)
            if (from_ is None or r.starts_at >= from_) and (to is None or r.starts_at < to)
        ]


@strawberry.type(description="People on a shift against people it needs.")
class Coverage:
    required: int = strawberry.field(description="Sum of the headcount lines.")
    filled: int = strawberry.field(description="Non-cancelled assignments of published rosters.")
    status: CoverageStatus  # type: ignore[valid-type]


@strawberry.type(description="A time window at a post, with the protective kit it needs.")
class Shift(RegisterNode):
    model = m.Shift

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    starts_at: datetime
    ends_at: datetime
    shift_type: str = strawberry.field(description="e.g. DAY, EVENING, NIGHT.")
    checkpoint_id: strawberry.Private[int]
    kit_item_id: strawberry.Private[int | None]

    @strawberry.field
    async def checkpoint(self, info: Info) -> Checkpoint:
        return await load_node(info, Checkpoint, self.checkpoint_id)

    @strawberry.field(description="The protective kit everyone on the shift must wear.")
    async def kit_item(self, info: Info) -> ProtectiveItem | None:
        return await load_node(info, ProtectiveItem, self.kit_item_id)

    @strawberry.field(description="How many people the shift needs, per skill.")
    async def headcount_lines(self, info: Info) -> list[HeadcountLine]:
        loader = info.context.loaders.get(loaders.HeadcountLinesByShiftIdLoader)
        return [HeadcountLine.from_row(r) for r in await loader.load(self.id)]

    @strawberry.field(description="People on the shift in published rosters against its needs.")
    async def coverage(self, info: Info) -> Coverage:
        found = await info.context.loaders.get(post_lists.CoverageByShiftIdLoader).load(self.id)
        return Coverage(required=found.required, filled=found.filled, status=found.status)


@strawberry.type(description="How many people a shift needs, optionally with a skill.")
class HeadcountLine(RegisterNode):
    model = m.HeadcountLine

    id: relay.NodeID[int]
    headcount: int
    max_over_cover: int = strawberry.field(
        description="How many people beyond the headcount may be put on the line."
    )
    shift_id: strawberry.Private[int]
    skill_id: strawberry.Private[int | None]

    @strawberry.field(description="The skill asked for; null = anyone eligible.")
    async def skill(self, info: Info) -> Skill | None:
        return await load_node(info, Skill, self.skill_id)

    @strawberry.field
    async def shift(self, info: Info) -> Shift:
        return await load_node(info, Shift, self.shift_id)
