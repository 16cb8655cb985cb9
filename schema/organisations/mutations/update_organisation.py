"""updateOrganisation: rename, re-level or move an organisation with its subtree."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.organisations import update_organisation
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import OrganisationLevel
from schema.mutations import apply, input_values, node_id
from schema.organisations.mutations.create_organisation import IDS
from schema.organisations.types import Organisation


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateOrganisationInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.UNSET
    level: OrganisationLevel | None = strawberry.UNSET  # type: ignore[valid-type]
    parent_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Moves the organisation and everything below it; null makes it a root.",
    )


@strawberry.type
class UpdateOrganisationPayload:
    organisation: Organisation | None
    user_errors: list[UserError]


async def update_organisation_mutation(
    info: Info, input: UpdateOrganisationInput
) -> UpdateOrganisationPayload:
    """Change an organisation's fields; a new parent moves its whole subtree."""

    async def work(session: AsyncSession) -> m.Organisation:
        ident = node_id(input.id, Organisation)
        return await update_organisation(
            session, organisation_id=ident, changes=input_values(input, ids=IDS)
        )

    row, errors = await apply(info, work)
    return UpdateOrganisationPayload(
        organisation=Organisation.from_row(row) if row else None, user_errors=errors
    )
