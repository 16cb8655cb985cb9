"""GraphQL types of the organisation tree, units and grids."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from db import models as m
from resolvers import loaders
from resolvers.context import Info
from schema.base import VERSION_DESCRIPTION, RegisterNode, load_node
from schema.enums import OrganisationLevel, UnitKind


@strawberry.type(description="A node of the tree: centre, sub-centre, institute, station, point.")
class Organisation(RegisterNode):
    model = m.Organisation

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    name: str
    code: str
    level: OrganisationLevel  # type: ignore[valid-type]
    parent_id: strawberry.Private[int | None]

    @strawberry.field
    async def parent(self, info: Info) -> Organisation | None:
        return await load_node(info, Organisation, self.parent_id)

    @strawberry.field(description="The organisations directly below this one.")
    async def children(self, info: Info) -> list[Organisation]:
        rows = await info.context.loaders.get(loaders.ChildrenByOrganisationIdLoader).load(self.id)
        return [Organisation.from_row(r) for r in rows]


@strawberry.type(description="A government agency, company or team that forms detachments.")
class Unit(RegisterNode):
    model = m.Unit

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    name: str
    kind: UnitKind  # type: ignore[valid-type]
    organisation_id: strawberry.Private[int | None]

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field(description="Grid communities this unit has claimed and staffs.")
    async def claimed_grids(self, info: Info) -> list[Grid]:
        rows = await info.context.loaders.get(loaders.GridsByUnitIdLoader).load(self.id)
        return [Grid.from_row(r) for r in rows]


@strawberry.type(description="A grid community, possibly claimed by a unit.")
class Grid(RegisterNode):
    model = m.Grid

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    name: str
    code: str
    latitude: float
    longitude: float
    organisation_id: strawberry.Private[int]
    claimed_by_unit_id: strawberry.Private[int | None]

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field
    async def claimed_by(self, info: Info) -> Unit | None:
        return await load_node(info, Unit, self.claimed_by_unit_id)


OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]
UnitRef = Annotated["Unit", strawberry.lazy("schema.organisations.types")]
GridRef = Annotated["Grid", strawberry.lazy("schema.organisations.types")]
