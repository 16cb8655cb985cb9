"""Filter and order inputs of the checkpoint and shift lists."""

from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import strawberry
from strawberry import relay

from db.services.errors import ErrorCode, FieldError, ValidationFailed
from resolvers.posts import CheckpointCriteria, Days, ShiftCriteria
from resolvers.volunteers import Near
from schema.base import OrderDirection, decode_id
from schema.enums import CheckpointKind, RiskLevel
from schema.organisations.types import Organisation, Unit
from schema.posts.types import Checkpoint, CoverageStatus
from schema.trainings.types import Skill, Training
from schema.volunteers.filters import NearInput


@strawberry.input(description="Days from `from` to `to`, both included; either may be left out.")
class DayRangeInput:
    from_: date | None = strawberry.field(name="from", default=None)
    to: date | None = None

    def days(self) -> Days:
        return Days(first=self.from_, last=self.to)


def near(value: NearInput | None) -> Near | None:
    """The resolver's form of a point-and-radius input."""
    if value is None:
        return None
    return Near(latitude=value.latitude, longitude=value.longitude, km=value.km)


@strawberry.input(description="Checkpoints matching every given criterion.")
class CheckpointFilter:
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="This organisation and everything below it in the tree."
    )
    kinds: list[CheckpointKind] | None = None  # type: ignore[valid-type]
    risk_levels: list[RiskLevel] | None = None  # type: ignore[valid-type]
    using_unit_id: relay.GlobalID | None = None
    max_priority: int | None = strawberry.field(
        default=None, description="Priority at most this (1 = most important)."
    )
    requires_training_id: relay.GlobalID | None = None
    near: NearInput | None = None
    name_contains: str | None = None

    def criteria(self) -> CheckpointCriteria:
        return CheckpointCriteria(
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            kinds=self.kinds,
            risk_levels=self.risk_levels,
            using_unit_id=decode_id(self.using_unit_id, Unit, "using_unit_id"),
            max_priority=self.max_priority,
            requires_training_id=decode_id(
                self.requires_training_id, Training, "requires_training_id"
            ),
            near=near(self.near),
            name_contains=self.name_contains,
        )


@strawberry.enum
class CheckpointOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"
    PRIORITY = "PRIORITY"
    CREATED_AT = "CREATED_AT"
    ID = "ID"


@strawberry.input
class CheckpointOrder:
    field: CheckpointOrderField = CheckpointOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``, or a typed error naming the filter field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            [FieldError("time_zone", ErrorCode.INVALID, f"unknown time zone {name!r}")]
        ) from exc


@strawberry.input(description="Shifts matching every given criterion.")
class ShiftFilter:
    starts_from: datetime | None = strawberry.field(
        default=None, description="Shifts starting at or after this instant."
    )
    starts_before: datetime | None = strawberry.field(
        default=None, description="Shifts starting before this instant."
    )
    days: DayRangeInput | None = strawberry.field(
        default=None, description="Shifts starting on these days, counted in `timeZone`."
    )
    time_zone: str = strawberry.field(
        default="UTC", description="IANA time zone of `days`, e.g. Asia/Shanghai."
    )
    checkpoint_id: relay.GlobalID | None = None
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Shifts at checkpoints of this organisation or below it."
    )
    shift_types: list[str] | None = None
    coverage: CoverageStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Staffing by published rosters."
    )
    needs_skill_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Shifts with a headcount line asking for this skill."
    )

    def criteria(self) -> ShiftCriteria:
        return ShiftCriteria(
            starts_from=self.starts_from,
            starts_before=self.starts_before,
            days=self.days.days() if self.days else None,
            zone=zone(self.time_zone),
            checkpoint_id=decode_id(self.checkpoint_id, Checkpoint, "checkpoint_id"),
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            shift_types=self.shift_types,
            coverage=self.coverage,
            needs_skill_id=decode_id(self.needs_skill_id, Skill, "needs_skill_id"),
        )


@strawberry.enum
class ShiftOrderField(enum.Enum):
    STARTS_AT = "STARTS_AT"
    PRIORITY = "PRIORITY"
    ID = "ID"


@strawberry.input
class ShiftOrder:
    field: ShiftOrderField = ShiftOrderField.STARTS_AT
    direction: OrderDirection = OrderDirection.ASC
