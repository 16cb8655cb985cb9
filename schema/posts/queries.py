"""Root fields listing checkpoints and shifts."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.posts import (
    CHECKPOINT_ORDER,
    SHIFT_ORDER,
    CheckpointCriteria,
    ShiftCriteria,
    checkpoints_query,
    shifts_query,
)
from schema.base import Connection
from schema.lists import connection
from schema.posts.filters import CheckpointFilter, CheckpointOrder, ShiftFilter, ShiftOrder
from schema.posts.types import Checkpoint, Shift


@strawberry.type
class PostQueries:
    @strawberry.field(description="Checkpoints, filtered, ordered and paged (at most 100 a page).")
    async def checkpoints(
        self,
        info: Info,
        filter: CheckpointFilter | None = None,
        order_by: CheckpointOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Checkpoint]:
        criteria = filter.criteria() if filter else CheckpointCriteria()
        order = order_by or CheckpointOrder()
        return await connection(
            info,
            Checkpoint,
            checkpoints_query(criteria),
            order=CHECKPOINT_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Shifts, filtered, ordered and paged (at most 100 a page).")
    async def shifts(
        self,
        info: Info,
        filter: ShiftFilter | None = None,
        order_by: ShiftOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Shift]:
        criteria = filter.criteria() if filter else ShiftCriteria()
        order = order_by or ShiftOrder()
        return await connection(
            info,
            Shift,
            shifts_query(criteria),
            order=SHIFT_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )
