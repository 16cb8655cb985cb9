"""Filter and order inputs of the skill, training and certificate lists."""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from strawberry import relay

from resolvers.trainings import CertificateCriteria, SkillCriteria, TrainingCriteria
from schema.base import OrderDirection, decode_id
from schema.enums import ServiceCategory
from schema.trainings.types import Training
from schema.volunteers.types import Volunteer


@strawberry.input(description="Skills matching every given criterion.")
class SkillFilter:
    categories: list[ServiceCategory] | None = None  # type: ignore[valid-type]
    code_in: list[str] | None = None

    def criteria(self) -> SkillCriteria:
        return SkillCriteria(categories=self.categories, code_in=self.code_in)


@strawberry.enum
class SkillOrderField(enum.Enum):
    CODE = "CODE"
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class SkillOrder:
    field: SkillOrderField = SkillOrderField.CODE
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Trainings matching every given criterion.")
class TrainingFilter:
    name_contains: str | None = strawberry.field(
        default=None, description="Part of the name, in any case."
    )

    def criteria(self) -> TrainingCriteria:
        return TrainingCriteria(name_contains=self.name_contains)


@strawberry.enum
class TrainingOrderField(enum.Enum):
    CODE = "CODE"
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class TrainingOrder:
    field: TrainingOrderField = TrainingOrderField.CODE
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Days, both ends included; either end may be left open.")
class ExpiringBetweenInput:
    from_: date | None = strawberry.field(default=None, name="from")
    to: date | None = None


@strawberry.input(description="Certificates matching every given criterion.")
class CertificateFilter:
    volunteer_id: relay.GlobalID | None = None
    training_id: relay.GlobalID | None = None
    valid_on: date | None = strawberry.field(
        default=None, description="Passed on or before this day and not expired by it."
    )
    expiring_between: ExpiringBetweenInput | None = strawberry.field(
        default=None, description="Expiring within these days; never-expiring ones are left out."
    )

    def criteria(self) -> CertificateCriteria:
        expiring = self.expiring_between
        return CertificateCriteria(
            volunteer_id=decode_id(self.volunteer_id, Volunteer, "volunteer_id"),
            training_id=decode_id(self.training_id, Training, "training_id"),
            valid_on=self.valid_on,
            expiring_from=expiring and expiring.from_,
            expiring_to=expiring and expiring.to,
        )


@strawberry.enum
class CertificateOrderField(enum.Enum):
    PASSED_ON = "PASSED_ON"
    EXPIRES_ON = "EXPIRES_ON"  # never-expiring certificates come last
    CREATED_AT = "CREATED_AT"


@strawberry.input
class CertificateOrder:
    field: CertificateOrderField = CertificateOrderField.PASSED_ON
    direction: OrderDirection = OrderDirection.ASC
