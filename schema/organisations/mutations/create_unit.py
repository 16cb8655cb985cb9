"""createUnit: register a unit that forms volunteer detachments."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.organisations import create_unit
from resolvers.context import Info
from schema.base import UserError
from schema.enums import UnitKind
from schema.mutations import apply, input_values
from schema.organisations.types import Organisation, Unit

IDS = {"organisation_id": Organisation}


@strawberry.input
class CreateUnitInput:
    name: str
    kind: UnitKind  # type: ignore[valid-type]
    organisation_id: relay.GlobalID | None = None


@strawberry.type
class CreateUnitPayload:
    unit: Unit | None
    user_errors: list[UserError]


async def create_unit_mutation(info: Info, input: CreateUnitInput) -> CreateUnitPayload:
    """Register a unit."""

    async def work(session: AsyncSession) -> m.Unit:
        return await create_unit(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return CreateUnitPayload(unit=Unit.from_row(row) if row else None, user_errors=errors)
