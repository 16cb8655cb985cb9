"""updateUnit: change some of a unit's fields."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.organisations import update_unit
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import UnitKind
from schema.mutations import apply, input_values, node_id
from schema.organisations.mutations.create_unit import IDS
from schema.organisations.types import Unit


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateUnitInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    name: str | None = strawberry.UNSET
    kind: UnitKind | None = strawberry.UNSET  # type: ignore[valid-type]
    organisation_id: relay.GlobalID | None = strawberry.UNSET


@strawberry.type
class UpdateUnitPayload:
    unit: Unit | None
    user_errors: list[UserError]


async def update_unit_mutation(info: Info, input: UpdateUnitInput) -> UpdateUnitPayload:
    """Change a unit's fields."""

    async def work(session: AsyncSession) -> m.Unit:
        ident = node_id(input.id, Unit)
        return await update_unit(session, unit_id=ident, changes=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return UpdateUnitPayload(unit=Unit.from_row(row) if row else None, user_errors=errors)
