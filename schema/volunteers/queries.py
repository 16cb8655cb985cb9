"""Root fields listing volunteers."""

from __future__ import annotations

import strawberry

from resolvers.volunteers import VOLUNTEER_ORDER, VolunteerCriteria, volunteers_query
from schema.lists import list_field
from schema.volunteers.filters import VolunteerFilter, VolunteerOrder
from schema.volunteers.types import Volunteer


@strawberry.type
class VolunteerQueries:
    volunteers = list_field(
        Volunteer,
        filter_type=VolunteerFilter,
        order_type=VolunteerOrder,
        criteria=VolunteerCriteria,
        query=volunteers_query,
        orders=VOLUNTEER_ORDER,
        description="Volunteers, filtered, ordered and paged (at most 100 a page).",
    )
