"""Filter and order inputs of the roster, assignment and run lists."""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from strawberry import relay

from resolvers.rosters import AssignmentCriteria, RosterCriteria, RunCriteria
from schema.base import OrderDirection, decode_id
from schema.enums import AssignmentStatus, RosterStatus, RunStatus
from schema.organisations.types import Organisation
from schema.volunteers.types import Volunteer


@strawberry.input
class RosterFilter:
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Rosters whose scope lies in this organisation's subtree."
    )
    statuses: list[RosterStatus] | None = None  # type: ignore[valid-type]
    covers_day: date | None = None

    def criteria(self) -> RosterCriteria:
        return RosterCriteria(
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            statuses=self.statuses,
            covers_day=self.covers_day,
        )


@strawberry.enum
class RosterOrderField(enum.Enum):
    PERIOD_START = "PERIOD_START"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class RosterOrder:
    field: RosterOrderField = RosterOrderField.PERIOD_START
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input
class AssignmentFilter:
    roster_id: relay.GlobalID | None = None
    volunteer_id: relay.GlobalID | None = None
    shift_id: relay.GlobalID | None = None
    statuses: list[AssignmentStatus] | None = None  # type: ignore[valid-type]
    pinned: bool | None = None

    def criteria(self) -> AssignmentCriteria:
        from schema.posts.types import Shift
        from schema.rosters.types import Roster

        return AssignmentCriteria(
            roster_id=decode_id(self.roster_id, Roster, "roster_id"),
            volunteer_id=decode_id(self.volunteer_id, Volunteer, "volunteer_id"),
            shift_id=decode_id(self.shift_id, Shift, "shift_id"),
            statuses=self.statuses,
            pinned=self.pinned,
        )


@strawberry.input
class RosterRunFilter:
    organisation_id: relay.GlobalID | None = None
    statuses: list[RunStatus] | None = None  # type: ignore[valid-type]

    def criteria(self) -> RunCriteria:
        return RunCriteria(
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            statuses=self.statuses,
        )


@strawberry.enum
class AssignmentOrderField(enum.Enum):
    ID = "ID"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class AssignmentOrder:
    field: AssignmentOrderField = AssignmentOrderField.ID
    direction: OrderDirection = OrderDirection.ASC


@strawberry.enum
class RosterRunOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    PERIOD_START = "PERIOD_START"


@strawberry.input
class RosterRunOrder:
    field: RosterRunOrderField = RosterRunOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC
