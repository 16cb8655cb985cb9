"""Root fields listing protective items and stocks."""

from __future__ import annotations

import strawberry

from resolvers.protection import (
    PROTECTIVE_ITEM_ORDER,
    PROTECTIVE_STOCK_ORDER,
    ProtectiveItemCriteria,
    ProtectiveStockCriteria,
    protective_items_query,
    protective_stocks_query,
)
from schema.lists import list_field
from schema.protection.filters import (
    ProtectiveItemFilter,
    ProtectiveItemOrder,
    ProtectiveStockFilter,
    ProtectiveStockOrder,
)
from schema.protection.types import ProtectiveItem, ProtectiveStock


@strawberry.type
class ProtectionQueries:
    protective_items = list_field(
        ProtectiveItem,
        filter_type=ProtectiveItemFilter,
        order_type=ProtectiveItemOrder,
        criteria=ProtectiveItemCriteria,
        query=protective_items_query,
        orders=PROTECTIVE_ITEM_ORDER,
        description="Kinds of protective kit, filtered, ordered and paged.",
    )

    protective_stocks = list_field(
        ProtectiveStock,
        filter_type=ProtectiveStockFilter,
        order_type=ProtectiveStockOrder,
        criteria=ProtectiveStockCriteria,
        query=protective_stocks_query,
        orders=PROTECTIVE_STOCK_ORDER,
        description="Protective stocks of units and the city reserve, filtered, ordered and paged.",
    )
