"""Filter and order inputs of the volunteer lists."""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from strawberry import relay

from resolvers.volunteers import Near, VolunteerCriteria
from schema.base import OrderDirection, decode_id
from schema.enums import VolunteerKind
from schema.organisations.types import Organisation, Unit
from schema.trainings.types import Skill, Training


@strawberry.input(description="A point and a radius.")
class NearInput:
    latitude: float
    longitude: float
    km: float = strawberry.field(description="Radius in kilometres.")


@strawberry.input(description="Holds a certificate of this training valid on this day.")
class CertifiedInput:
    training_id: relay.GlobalID
    on: date


@strawberry.enum
class HealthOnDay(enum.Enum):
    FIT = "FIT"  # no report of that day says unwell (the latest counts)
    UNWELL = "UNWELL"
    NOT_REPORTED = "NOT_REPORTED"


@strawberry.input(description="Health on one day, from the latest report of that day.")
class HealthInput:
    on: date
    status: HealthOnDay


@strawberry.input(description="Volunteers matching every given criterion.")
class VolunteerFilter:
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="This organisation and everything below it in the tree."
    )
    unit_id: relay.GlobalID | None = None
    kinds: list[VolunteerKind] | None = None  # type: ignore[valid-type]
    skill_id: relay.GlobalID | None = None
    certified: CertifiedInput | None = None
    health: HealthInput | None = None
    near: NearInput | None = None
    name_contains: str | None = None

    def criteria(self) -> VolunteerCriteria:
        return VolunteerCriteria(
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            unit_id=decode_id(self.unit_id, Unit, "unit_id"),
            kinds=self.kinds,
            skill_id=decode_id(self.skill_id, Skill, "skill_id"),
            certified_training_id=self.certified
            and decode_id(self.certified.training_id, Training, "training_id"),
            certified_on=self.certified and self.certified.on,
            health_on=self.health and self.health.on,
            health=self.health and self.health.status.value,
            near=self.near
            and Near(latitude=self.near.latitude, longitude=self.near.longitude, km=self.near.km),
            name_contains=self.name_contains,
        )


@strawberry.enum
class VolunteerOrderField(enum.Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    ID = "ID"


@strawberry.input
class VolunteerOrder:
    field: VolunteerOrderField = VolunteerOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC
