"""updateProtectiveItem: rename or recode a kind of protective kit."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.protection import update_protective_item
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.protection.types import ProtectiveItem


@strawberry.input(description="Only the fields given change.")
class UpdateProtectiveItemInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET


@strawberry.type
class UpdateProtectiveItemPayload:
    protective_item: ProtectiveItem | None
    user_errors: list[UserError]


async def update_protective_item_mutation(
    info: Info, input: UpdateProtectiveItemInput
) -> UpdateProtectiveItemPayload:
    """Change a protective item's code or name."""

    async def work(session: AsyncSession) -> m.ProtectiveItem:
        return await update_protective_item(
            session, item_id=node_id(input.id, ProtectiveItem), changes=input_values(input)
        )

    row, errors = await apply(info, work)
    return UpdateProtectiveItemPayload(
        protective_item=ProtectiveItem.from_row(row) if row else None, user_errors=errors
    )
