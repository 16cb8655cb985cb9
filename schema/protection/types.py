"""GraphQL types of protective items and the stocks that supply them."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from db import models as m
from resolvers.context import Info
from schema.base import VERSION_DESCRIPTION, RegisterNode, load_node
from schema.organisations.types import Unit


@strawberry.type(description="A kind of protective kit, e.g. a protective suit set.")
class ProtectiveItem(RegisterNode):
    model = m.ProtectiveItem

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    code: str
    name: str


@strawberry.type(
    description="Kits of one item held on one day by a unit, or by the city reserve (no owner)."
)
class ProtectiveStock(RegisterNode):
    model = m.ProtectiveStock

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    day: date
    quantity: int
    owner_unit_id: strawberry.Private[int | None]
    item_id: strawberry.Private[int]

    @strawberry.field(description="The unit holding the stock; null for the city reserve.")
    async def owner_unit(self, info: Info) -> Unit | None:
        return await load_node(info, Unit, self.owner_unit_id)

    @strawberry.field
    async def item(self, info: Info) -> ProtectiveItem:
        return await load_node(info, ProtectiveItem, self.item_id)

    @strawberry.field(description="Whether the city reserve holds it (it covers urgent shortages).")
    def is_city_reserve(self) -> bool:
        return self.owner_unit_id is None
