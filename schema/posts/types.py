"""GraphQL types of checkpoints, their shifts and the shifts' headcount lines."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from db import models as m
from resolvers import loaders
from resolvers import posts as post_lists
from resolvers import rosters as roster_lists
from resolvers.context import Info
from resolvers.permissions import require_visible
from schema.base import VERSION_DESCRIPTION, RegisterNode, decode_id, load_node
from schema.enums import CheckpointKind, RiskLevel
from schema.organisations.types import Grid, Organisation, Unit
from schema.protection.types import ProtectiveItem
from schema.trainings.types import Skill, Training

if TYPE_CHECKING:
    from schema.rosters.types import LineGap, ShiftRoster

LineGapRef = Annotated["LineGap", strawberry.lazy("schema.rosters.types")]
ShiftRosterRef = Annotated["ShiftRoster", strawberry.lazy("schema.rosters.types")]

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

    @strawberry.field(
        description="That local day's shifts, by start, with who is on them in the published "
        "roster."
    )
    async def roster(self, info: Info, day: date) -> list[ShiftRosterRef]:
        from schema.rosters.types import ShiftRoster

        start, end = roster_lists.local_days(day, day, info.context.settings.zone)
        loader = info.context.loaders.get(roster_lists.ShiftsOfDayLoader)
        return [
            ShiftRoster(shift=Shift.from_row(r), shift_id=r.id)
            for r in await loader.load((self.id, start, end))
        ]


@strawberry.type(description="People on one headcount line against its headcount.")
class LineCoverage:
    required: int = strawberry.field(description="The line's headcount.")
    filled: int = strawberry.field(description="Non-cancelled assignments on the line.")
    line_id: strawberry.Private[int]
    reason: strawberry.Private[str | None]

    @strawberry.field
    async def headcount_line(self, info: Info) -> HeadcountLine:
        return await load_node(info, HeadcountLine, self.line_id)

    @strawberry.field(
        description="Heads still missing and why (the reason the roster recorded); null when "
        "the line is filled."
    )
    def gap(self) -> LineGapRef | None:
        from schema.rosters.types import LineGap

        if self.filled >= self.required:
            return None
        return LineGap(
            missing=self.required - self.filled, reason=self.reason or "no reason recorded"
        )


@strawberry.type(description="People on a shift against people it needs.")
class Coverage:
    required: int = strawberry.field(description="Sum of the headcount lines.")
    filled: int = strawberry.field(
        description="Non-cancelled assignments of published rosters (or of the roster asked for)."
    )
    status: CoverageStatus  # type: ignore[valid-type]
    shift_id: strawberry.Private[int]
    roster_id: strawberry.Private[int | None]

    @strawberry.field(description="Each headcount line: required, filled, and the gap's reason.")
    async def lines(self, info: Info) -> list[LineCoverage]:
        loader = info.context.loaders.get(roster_lists.LineCoverageLoader)
        return [
            LineCoverage(required=r.headcount, filled=r.filled, line_id=r.line_id, reason=r.reason)
            for r in await loader.load((self.shift_id, self.roster_id))
        ]


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

    @strawberry.field(
        description="People on the shift in published rosters (or in the roster given) against "
        "its needs."
    )
    async def coverage(self, info: Info, roster_id: relay.GlobalID | None = None) -> Coverage:
        from schema.rosters.types import Roster

        roster = decode_id(roster_id, Roster, "roster_id") if roster_id is not None else None
        if roster is None:
            loader = info.context.loaders.get(post_lists.CoverageByShiftIdLoader)
            found = await loader.load(self.id)
        else:
            await require_visible(info, m.Roster, roster)  # its counts are the roster's too
            lines = await info.context.loaders.get(roster_lists.LineCoverageLoader).load(
                (self.id, roster)
            )
            found = post_lists.ShiftCoverage(
                required=sum(r.headcount for r in lines),
                filled=sum(r.filled for r in lines),
                short=any(r.filled < r.headcount for r in lines),
                over=any(r.filled > r.headcount + r.max_over_cover for r in lines),
            )
        return Coverage(
            required=found.required,
            filled=found.filled,
            status=found.status,
            shift_id=self.id,
            roster_id=roster,
        )


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
