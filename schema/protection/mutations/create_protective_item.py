"""createProtectiveItem: add a kind of protective kit."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.services.protection import create_protective_item
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, input_values
from schema.protection.types import ProtectiveItem


@strawberry.input
class CreateProtectiveItemInput:
    code: str
    name: str


@strawberry.type
class CreateProtectiveItemPayload:
    protective_item: ProtectiveItem | None
    user_errors: list[UserError]


async def create_protective_item_mutation(
    info: Info, input: CreateProtectiveItemInput
) -> CreateProtectiveItemPayload:
    """Add a kind of protective kit."""

    async def work(session: AsyncSession) -> m.ProtectiveItem:
        return await create_protective_item(session, values=input_values(input))

    row, errors = await apply(info, work)
    return CreateProtectiveItemPayload(
        protective_item=ProtectiveItem.from_row(row) if row else None, user_errors=errors
    )
