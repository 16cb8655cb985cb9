"""GraphQL types of skills, trainings and certificates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from db import models as m
from resolvers.context import Info
from schema.base import VERSION_DESCRIPTION, RegisterNode, load_node
from schema.enums import ServiceCategory

if TYPE_CHECKING:
    from schema.volunteers.types import Volunteer


@strawberry.type(description="A skill a headcount line can ask for.")
class Skill(RegisterNode):
    model = m.Skill

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    code: str
    name: str
    category: ServiceCategory  # type: ignore[valid-type]


@strawberry.type(description="A training course; passing it yields a certificate.")
class Training(RegisterNode):
    model = m.Training

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    code: str
    name: str
    provider: str | None
    validity_days: int | None = strawberry.field(
        description="Days a certificate stays valid after the pass date; null = no expiry."
    )


@strawberry.type(description="A volunteer's pass of a training.")
class Certificate(RegisterNode):
    model = m.Certificate

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    passed_on: date
    expires_on: date | None
    volunteer_id: strawberry.Private[int]
    training_id: strawberry.Private[int]

    @strawberry.field
    async def training(self, info: Info) -> Training:
        return await load_node(info, Training, self.training_id)

    @strawberry.field
    async def volunteer(
        self, info: Info
    ) -> Annotated[Volunteer, strawberry.lazy("schema.volunteers.types")]:
        from schema.volunteers.types import Volunteer

        return await load_node(info, Volunteer, self.volunteer_id)

    @strawberry.field(description="Whether the certificate is valid on the given day.")
    def valid_on(self, day: date) -> bool:
        return self.passed_on <= day and (self.expires_on is None or self.expires_on >= day)
