"""Filter and order inputs of the protective item and stock lists."""

from __future__ import annotations

import enum

import strawberry
from strawberry import relay

from resolvers.protection import ProtectiveItemCriteria, ProtectiveStockCriteria
from schema.base import OrderDirection, decode_id
from schema.organisations.types import Unit
from schema.posts.filters import DayRangeInput
from schema.protection.types import ProtectiveItem


@strawberry.input(description="Protective items matching every given criterion.")
class ProtectiveItemFilter:
    text_contains: str | None = strawberry.field(
        default=None, description="Text found in the code or the name."
    )

    def criteria(self) -> ProtectiveItemCriteria:
        return ProtectiveItemCriteria(text_contains=self.text_contains)


@strawberry.enum
class ProtectiveItemOrderField(enum.Enum):
    CODE = "CODE"
    NAME = "NAME"
    ID = "ID"


@strawberry.input
class ProtectiveItemOrder:
    field: ProtectiveItemOrderField = ProtectiveItemOrderField.CODE
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Protective stocks matching every given criterion.")
class ProtectiveStockFilter:
    owner_unit_id: relay.GlobalID | None = None
    city_reserve: bool | None = strawberry.field(
        default=None,
        description="true: only the city reserve's stocks; false: only units' stocks.",
    )
    item_id: relay.GlobalID | None = None
    days: DayRangeInput | None = None

    def criteria(self) -> ProtectiveStockCriteria:
        return ProtectiveStockCriteria(
            owner_unit_id=decode_id(self.owner_unit_id, Unit, "owner_unit_id"),
            city_reserve=self.city_reserve,
            item_id=decode_id(self.item_id, ProtectiveItem, "item_id"),
            days=self.days.days() if self.days else None,
        )


@strawberry.enum
class ProtectiveStockOrderField(enum.Enum):
    DAY = "DAY"
    QUANTITY = "QUANTITY"
    ID = "ID"


@strawberry.input
class ProtectiveStockOrder:
    field: ProtectiveStockOrderField = ProtectiveStockOrderField.DAY
    direction: OrderDirection = OrderDirection.ASC
