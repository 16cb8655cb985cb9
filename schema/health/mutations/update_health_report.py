"""updateHealthReport: correct a health report."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.health import update_health_report
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import HealthStatus
from schema.health.mutations.report_health import IDS
from schema.mutations import apply, input_values, node_id
from schema.volunteers.types import HealthReport


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateHealthReportInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    volunteer_id: relay.GlobalID | None = strawberry.UNSET
    day: date | None = strawberry.UNSET
    status: HealthStatus | None = strawberry.UNSET  # type: ignore[valid-type]
    temperature: float | None = strawberry.UNSET
    note: str | None = strawberry.UNSET
    reported_at: datetime | None = strawberry.UNSET


@strawberry.type
class UpdateHealthReportPayload:
    health_report: HealthReport | None
    user_errors: list[UserError]


async def update_health_report_mutation(
    info: Info, input: UpdateHealthReportInput
) -> UpdateHealthReportPayload:
    """Change a health report."""

    async def work(session: AsyncSession) -> m.HealthReport:
        return await update_health_report(
            session,
            report_id=node_id(input.id, HealthReport),
            changes=input_values(input, ids=IDS),
        )

    row, errors = await apply(info, work)
    return UpdateHealthReportPayload(
        health_report=HealthReport.from_row(row) if row else None, user_errors=errors
    )
