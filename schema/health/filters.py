"""Filter and order inputs of the health report and availability lists."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry import relay

from resolvers.health import AvailabilityCriteria, HealthReportCriteria
from schema.base import OrderDirection, decode_id
from schema.enums import HealthStatus
from schema.organisations.types import Organisation
from schema.posts.filters import DayRangeInput
from schema.volunteers.types import Volunteer


@strawberry.input(description="Health reports matching every given criterion.")
class HealthReportFilter:
    volunteer_id: relay.GlobalID | None = None
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Volunteers of this organisation and everything below it."
    )
    days: DayRangeInput | None = None
    status: HealthStatus | None = None  # type: ignore[valid-type]

    def criteria(self) -> HealthReportCriteria:
        return HealthReportCriteria(
            volunteer_id=decode_id(self.volunteer_id, Volunteer, "volunteer_id"),
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            days=self.days.days() if self.days else None,
            status=self.status,
        )


@strawberry.enum
class HealthReportOrderField(enum.Enum):
    DAY = "DAY"
    REPORTED_AT = "REPORTED_AT"
    ID = "ID"


@strawberry.input
class HealthReportOrder:
    field: HealthReportOrderField = HealthReportOrderField.REPORTED_AT
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Windows sharing some time with [from, to); either end may be open.")
class TimeRangeInput:
    from_: datetime | None = strawberry.field(name="from", default=None)
    to: datetime | None = None


@strawberry.input(description="Availability windows matching every given criterion.")
class AvailabilityFilter:
    volunteer_id: relay.GlobalID | None = None
    overlaps: TimeRangeInput | None = None

    def criteria(self) -> AvailabilityCriteria:
        return AvailabilityCriteria(
            volunteer_id=decode_id(self.volunteer_id, Volunteer, "volunteer_id"),
            overlaps_from=self.overlaps and self.overlaps.from_,
            overlaps_to=self.overlaps and self.overlaps.to,
        )


@strawberry.enum
class AvailabilityOrderField(enum.Enum):
    STARTS_AT = "STARTS_AT"
    ENDS_AT = "ENDS_AT"
    ID = "ID"


@strawberry.input
class AvailabilityOrder:
    field: AvailabilityOrderField = AvailabilityOrderField.STARTS_AT
    direction: OrderDirection = OrderDirection.ASC
