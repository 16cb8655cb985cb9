"""deleteOrganisation: remove an organisation nothing depends on."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.organisations import delete_organisation
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.organisations.types import Organisation


@strawberry.input
class DeleteOrganisationInput:
    id: relay.GlobalID


@strawberry.type
class DeleteOrganisationPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_organisation_mutation(
    info: Info, input: DeleteOrganisationInput
) -> DeleteOrganisationPayload:
    """Delete an organisation without children, units, grids, volunteers or posts."""

    async def work(session: AsyncSession) -> None:
        await delete_organisation(session, organisation_id=node_id(input.id, Organisation))

    _, errors = await apply(info, work)
    return DeleteOrganisationPayload(deleted_id=None if errors else input.id, user_errors=errors)
