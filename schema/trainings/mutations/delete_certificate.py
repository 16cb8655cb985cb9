"""deleteCertificate: remove a certificate."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.certificates import delete_certificate
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.trainings.types import Certificate


@strawberry.input
class DeleteCertificateInput:
    id: relay.GlobalID


@strawberry.type
class DeleteCertificatePayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_certificate_mutation(
    info: Info, input: DeleteCertificateInput
) -> DeleteCertificatePayload:
    """Delete a certificate."""

    async def work(session: AsyncSession) -> None:
        await delete_certificate(session, certificate_id=node_id(input.id, Certificate))

    _, errors = await apply(info, work)
    return DeleteCertificatePayload(deleted_id=None if errors else input.id, user_errors=errors)
