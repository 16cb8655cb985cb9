"""Root fields listing health reports and availability windows."""

from __future__ import annotations

import strawberry

from resolvers.health import (
    AVAILABILITY_ORDER,
    HEALTH_REPORT_ORDER,
    AvailabilityCriteria,
    HealthReportCriteria,
    availabilities_query,
    health_reports_query,
)
from schema.health.filters import (
    AvailabilityFilter,
    AvailabilityOrder,
    HealthReportFilter,
    HealthReportOrder,
)
from schema.lists import list_field
from schema.volunteers.types import Availability, HealthReport


@strawberry.type
class HealthQueries:
    health_reports = list_field(
        HealthReport,
        filter_type=HealthReportFilter,
        order_type=HealthReportOrder,
        criteria=HealthReportCriteria,
        query=health_reports_query,
        orders=HEALTH_REPORT_ORDER,
        description="Daily health reports, filtered, ordered and paged.",
    )

    availabilities = list_field(
        Availability,
        filter_type=AvailabilityFilter,
        order_type=AvailabilityOrder,
        criteria=AvailabilityCriteria,
        query=availabilities_query,
        orders=AVAILABILITY_ORDER,
        description="Availability windows, filtered, ordered and paged.",
    )
