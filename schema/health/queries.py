"""Root fields listing health reports and availability windows."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.health import (
    AVAILABILITY_ORDER,
    HEALTH_REPORT_ORDER,
    AvailabilityCriteria,
    HealthReportCriteria,
    availabilities_query,
    health_reports_query,
)
from schema.base import Connection
from schema.health.filters import (
    AvailabilityFilter,
    AvailabilityOrder,
    HealthReportFilter,
    HealthReportOrder,
)
from schema.lists import connection
from schema.volunteers.types import Availability, HealthReport


@strawberry.type
class HealthQueries:
    @strawberry.field(description="Daily health reports, filtered, ordered and paged.")
    async def health_reports(
        self,
        info: Info,
        filter: HealthReportFilter | None = None,
        order_by: HealthReportOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[HealthReport]:
        criteria = filter.criteria() if filter else HealthReportCriteria()
        order = order_by or HealthReportOrder()
        return await connection(
            info,
            HealthReport,
            health_reports_query(criteria),
            order=HEALTH_REPORT_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Availability windows, filtered, ordered and paged.")
    async def availabilities(
        self,
        info: Info,
        filter: AvailabilityFilter | None = None,
        order_by: AvailabilityOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Availability]:
        criteria = filter.criteria() if filter else AvailabilityCriteria()
        order = order_by or AvailabilityOrder()
        return await connection(
            info,
            Availability,
            availabilities_query(criteria),
            order=AVAILABILITY_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )
