"""reportHealth: record a volunteer's health on a day (the latest report of a day counts)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.health import report_health
from resolvers.context import Info
from schema.base import UserError
from schema.enums import HealthStatus
from schema.mutations import apply, input_values
from schema.volunteers.types import HealthReport, Volunteer

IDS = {"volunteer_id": Volunteer}


@strawberry.input
class ReportHealthInput:
    volunteer_id: relay.GlobalID
    day: date
    status: HealthStatus  # type: ignore[valid-type]
    temperature: float | None = strawberry.field(
        default=None, description="Body temperature in °C, 30 to 45."
    )
    note: str | None = None
    reported_at: datetime | None = strawberry.field(
        default=None, description="When the report was made; now if left out."
    )


@strawberry.type
class ReportHealthPayload:
    health_report: HealthReport | None
    user_errors: list[UserError]


async def report_health_mutation(info: Info, input: ReportHealthInput) -> ReportHealthPayload:
    """Record a health report."""

    async def work(session: AsyncSession) -> m.HealthReport:
        return await report_health(session, values=input_values(input, ids=IDS))

    row, errors = await apply(info, work)
    return ReportHealthPayload(
        health_report=HealthReport.from_row(row) if row else None, user_errors=errors
    )
