"""What every mutation shares: input decoding, one transaction, typed user errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import UNSET, relay

from db.services.errors import ValidationFailed
from db.session import transaction
from resolvers.context import Info
from resolvers.permissions import check_write
from schema.base import RegisterNode, UserError, decode_id, user_errors

T = TypeVar("T")


def input_values(
    data: Any, *, ids: Mapping[str, type[RegisterNode]] = {}, skip: tuple[str, ...] = ("id",)
) -> dict[str, Any]:
    """The fields a client gave, global ids turned into database ids; unset fields left out."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if value is UNSET or f.name in skip:
            continue
        if f.name in ids:
            value = decode_id(value, ids[f.name], f.name)
        values[f.name] = value
    return values


def node_id(value: relay.GlobalID, cls: type[RegisterNode], field: str = "id") -> int:
    """The database id of a required global id of type ``cls``."""
    ident = decode_id(value, cls, field)
    assert ident is not None
    return ident


async def apply(
    info: Info, work: Callable[[AsyncSession], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run ``work`` in one transaction: its result, or the user errors and nothing written.

    The written row must be in the caller's scope, and the audit entry commits with it.
    """
    try:
        async with transaction(info.context.sessionmaker) as session:
            result = await work(session)
            await check_write(info, session, result)
            return result, []
    except ValidationFailed as exc:
        return None, user_errors(exc.errors)
