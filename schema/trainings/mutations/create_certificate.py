"""createCertificate: record that a volunteer passed a training."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.certificates import create_certificate
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.trainings.types import Certificate, Training
from schema.volunteers.types import Volunteer

IDS = {"volunteer_id": Volunteer, "training_id": Training}


@strawberry.input
class CreateCertificateInput:
    volunteer_id: relay.GlobalID
    training_id: relay.GlobalID
    passed_on: date
    expires_on: date | None = strawberry.field(
        default=None, description="Left out: the pass date plus the training's validity."
    )


@strawberry.type
class CreateCertificatePayload:
    certificate: Certificate | None
    user_errors: list[UserError]


async def create_certificate_mutation(
    info: Info, input: CreateCertificateInput
) -> CreateCertificatePayload:
    """Record a pass; an omitted expiry follows from the training's validity."""

    async def work(session: AsyncSession) -> m.Certificate:
        return await create_certificate(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return CreateCertificatePayload(
        certificate=Certificate.from_row(row) if row else None, user_errors=errors
    )
