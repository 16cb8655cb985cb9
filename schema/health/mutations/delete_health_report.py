"""deleteHealthReport: remove a health report."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.health import delete_health_report
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.volunteers.types import HealthReport


@strawberry.input
class DeleteHealthReportInput:
    id: relay.GlobalID


@strawberry.type
class DeleteHealthReportPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_health_report_mutation(
    info: Info, input: DeleteHealthReportInput
) -> DeleteHealthReportPayload:
    """Delete a health report."""

    async def work(session: AsyncSession) -> None:
        await delete_health_report(session, report_id=node_id(input.id, HealthReport))

    _, errors = await apply(info, work)
    return DeleteHealthReportPayload(deleted_id=None if errors else input.id, user_errors=errors)
