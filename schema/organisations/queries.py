"""Root fields listing organisations, units and grids."""

from __future__ import annotations

import strawberry

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
from schema.lists import list_field
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
    organisations = list_field(
        Organisation,
        filter_type=OrganisationFilter,
        order_type=OrganisationOrder,
        criteria=OrganisationCriteria,
        query=organisations_query,
        orders=ORGANISATION_ORDER,
        description="Organisations of the tree, filtered, ordered and paged (at most 100 a page).",
    )

    units = list_field(
        Unit,
        filter_type=UnitFilter,
        order_type=UnitOrder,
        criteria=UnitCriteria,
        query=units_query,
        orders=UNIT_ORDER,
        description="Units, filtered, ordered and paged (at most 100 a page).",
    )

    grids = list_field(
        Grid,
        filter_type=GridFilter,
        order_type=GridOrder,
        criteria=GridCriteria,
        query=grids_query,
        orders=GRID_ORDER,
        description="Grid communities, filtered, ordered and paged (at most 100 a page).",
    )
