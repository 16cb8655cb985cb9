"""Root list fields: filter, order and page any register table the same way."""

# No ``from __future__ import annotations`` here: ``list_field`` builds resolvers whose
# annotations must be real types for strawberry to read them.

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import strawberry
from sqlalchemy import Select

from resolvers.context import Info
from resolvers.pagination import PageArgs, SortKey, order_keys, paginate
from resolvers.scope import visible
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
    """One page of ``query`` as a connection of ``node``, only rows the viewer may see."""
    settings = info.context.settings
    if (allowed := visible(node.model, info.context.viewer)) is not None:
        query = query.where(allowed)
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


def list_field(
    node: type[N],
    *,
    filter_type: type,
    order_type: type,
    criteria: Callable[[], Any],
    query: Callable[[Any], Select[Any]],
    orders: Mapping[str, SortKey],
    description: str,
    check: Callable[[Info], Any] | None = None,
) -> Any:
    """A root field listing ``node``: ``filter``, ``orderBy`` and cursor paging.

    ``filter_type`` has a ``criteria()`` method; ``criteria()`` with no filter gives the
    empty criteria; ``order_type()`` is the default ordering. ``check(info)``, if given, runs
    first and may refuse (e.g. ``resolvers.permissions.require_role``); rows are always cut to
    the viewer's scope.
    """

    async def resolve(
        info: Info,
        filter: filter_type | None = None,  # type: ignore[valid-type]
        order_by: order_type | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[node]:  # type: ignore[valid-type]
        if check is not None:
            check(info)
        order = order_by or order_type()
        return await connection(
            info,
            node,
            query(filter.criteria() if filter else criteria()),
            order=orders[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    return strawberry.field(resolver=resolve, description=description)
