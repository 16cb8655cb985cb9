"""createOrganisation: add an organisation to the tree."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.organisations import create_organisation
from resolvers.context import Info
from schema.base import UserError
from schema.enums import OrganisationLevel
from schema.mutations import apply, input_values
from schema.organisations.types import Organisation

IDS = {"parent_id": Organisation}


@strawberry.input
class CreateOrganisationInput:
    name: str
    code: str = strawberry.field(description="Unique short code, e.g. the county's own.")
    level: OrganisationLevel  # type: ignore[valid-type]
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The organisation above; left out, this one is a root."
    )


@strawberry.type
class CreateOrganisationPayload:
    organisation: Organisation | None
    user_errors: list[UserError]


async def create_organisation_mutation(
    info: Info, input: CreateOrganisationInput
) -> CreateOrganisationPayload:
    """Add an organisation under its parent, or as a new root."""

    async def work(session: AsyncSession) -> m.Organisation:
        return await create_organisation(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return CreateOrganisationPayload(
        organisation=Organisation.from_row(row) if row else None, user_errors=errors
    )
