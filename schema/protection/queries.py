"""Root fields listing protective items and stocks."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.protection import (
    PROTECTIVE_ITEM_ORDER,
    PROTECTIVE_STOCK_ORDER,
    ProtectiveItemCriteria,
    ProtectiveStockCriteria,
    protective_items_query,
    protective_stocks_query,
)
from schema.base import Connection
from schema.lists import connection
from schema.protection.filters import (
    ProtectiveItemFilter,
    ProtectiveItemOrder,
    ProtectiveStockFilter,
    ProtectiveStockOrder,
)
from schema.protection.types import ProtectiveItem, ProtectiveStock


@strawberry.type
class ProtectionQueries:
    @strawberry.field(description="Kinds of protective kit, filtered, ordered and paged.")
    async def protective_items(
        self,
        info: Info,
        filter: ProtectiveItemFilter | None = None,
        order_by: ProtectiveItemOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ProtectiveItem]:
        criteria = filter.criteria() if filter else ProtectiveItemCriteria()
        order = order_by or ProtectiveItemOrder()
        return await connection(
            info,
            ProtectiveItem,
            protective_items_query(criteria),
            order=PROTECTIVE_ITEM_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Protective stocks of units and the city reserve, filtered, ordered and paged."
    )
    async def protective_stocks(
        self,
        info: Info,
        filter: ProtectiveStockFilter | None = None,
        order_by: ProtectiveStockOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ProtectiveStock]:
        criteria = filter.criteria() if filter else ProtectiveStockCriteria()
        order = order_by or ProtectiveStockOrder()
        return await connection(
            info,
            ProtectiveStock,
            protective_stocks_query(criteria),
            order=PROTECTIVE_STOCK_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )
