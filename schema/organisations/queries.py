"""Root fields listing organisations, units and grids."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.organisations import (
    GRID_ORDER,
    ORGANISATION_ORDER,
    UNIT_ORDER,
    GridCriteria,
    OrganisationCriteria,
    UnitCriteria,
    grids_query,
    organisations_query,
    units_query,
)
from schema.base import Connection
from schema.lists import connection
from schema.organisations.filters import (
    GridFilter,
    GridOrder,
    OrganisationFilter,
    OrganisationOrder,
    UnitFilter,
    UnitOrder,
)
from schema.organisations.types import Grid, Organisation, Unit


@strawberry.type
class OrganisationQueries:
    @strawberry.field(
        description="Organisations of the tree, filtered, ordered and paged (at most 100 a page)."
    )
    async def organisations(
        self,
        info: Info,
        filter: OrganisationFilter | None = None,
        order_by: OrganisationOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Organisation]:
        criteria = filter.criteria() if filter else OrganisationCriteria()
        order = order_by or OrganisationOrder()
        return await connection(
            info,
            Organisation,
            organisations_query(criteria),
            order=ORGANISATION_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Units, filtered, ordered and paged (at most 100 a page).")
    async def units(
        self,
        info: Info,
        filter: UnitFilter | None = None,
        order_by: UnitOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Unit]:
        criteria = filter.criteria() if filter else UnitCriteria()
        order = order_by or UnitOrder()
        return await connection(
            info,
            Unit,
            units_query(criteria),
            order=UNIT_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Grid communities, filtered, ordered and paged (at most 100 a page)."
    )
    async def grids(
        self,
        info: Info,
        filter: GridFilter | None = None,
        order_by: GridOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Grid]:
        criteria = filter.criteria() if filter else GridCriteria()
        order = order_by or GridOrder()
        return await connection(
            info,
            Grid,
            grids_query(criteria),
            order=GRID_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )
