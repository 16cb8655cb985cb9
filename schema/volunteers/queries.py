"""Root fields listing volunteers."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.volunteers import VOLUNTEER_ORDER, VolunteerCriteria, volunteers_query
from schema.base import Connection
from schema.lists import connection
from schema.volunteers.filters import VolunteerFilter, VolunteerOrder
from schema.volunteers.types import Volunteer


@strawberry.type
class VolunteerQueries:
    @strawberry.field(description="Volunteers, filtered, ordered and paged (at most 100 a page).")
    async def volunteers(
        self,
        info: Info,
        filter: VolunteerFilter | None = None,
        order_by: VolunteerOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Volunteer]:
        criteria = filter.criteria() if filter else VolunteerCriteria()
        order = order_by or VolunteerOrder()
        return await connection(
            info,
            Volunteer,
            volunteers_query(criteria),
            order=VOLUNTEER_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )
