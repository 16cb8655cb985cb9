"""updateCertificate: change some of a certificate's fields."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.certificates import update_certificate
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.trainings.mutations.create_certificate import IDS
from schema.trainings.types import Certificate


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateCertificateInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    volunteer_id: relay.GlobalID | None = strawberry.UNSET
    training_id: relay.GlobalID | None = strawberry.UNSET
    passed_on: date | None = strawberry.UNSET
    expires_on: date | None = strawberry.field(
        default=strawberry.UNSET,
        description="null: re-derive from the pass date and the training's validity.",
    )


@strawberry.type
class UpdateCertificatePayload:
    certificate: Certificate | None
    user_errors: list[UserError]


async def update_certificate_mutation(
    info: Info, input: UpdateCertificateInput
) -> UpdateCertificatePayload:
    """Change a certificate; a new pass date or training re-derives the expiry."""

    async def work(session: AsyncSession) -> m.Certificate:
        ident = node_id(input.id, Certificate)
        return await update_certificate(
            session, certificate_id=ident, changes=input_values(input, ids=IDS)
        )

    row, errors = await apply(info, work)
    return UpdateCertificatePayload(
        certificate=Certificate.from_row(row) if row else None, user_errors=errors
    )
