"""Root list fields: filter, order and page any register table the same way."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select

from resolvers.context import Info
from resolvers.pagination import PageArgs, SortKey, order_keys, paginate
from schema.base import Connection, OrderDirection, RegisterNode

N = TypeVar("N", bound=RegisterNode)


async def connection(
    info: Info,
    node: type[N],
    query: Select[Any],
    *,
    order: SortKey,
    direction: OrderDirection,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[N]:
    """One page of ``query`` as a connection of ``node``."""
    settings = info.context.settings
    keys = order_keys(order, node.model.id, descending=direction == OrderDirection.DESC)
    page = await paginate(
        info.context.sessionmaker,
        query,
        keys=keys,
        args=PageArgs(first=first, after=after, last=last, before=before),
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
    )
    return Connection.from_page(page, node.from_row)
