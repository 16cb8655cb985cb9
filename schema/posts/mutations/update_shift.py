"""updateShift: change a shift's window, type or kit, and optionally replace its lines."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.posts import update_shift
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.mutations import apply, input_values, node_id
from schema.posts.mutations.create_shift import IDS, HeadcountLineInput, headcount_lines
from schema.posts.types import Shift


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateShiftInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    checkpoint_id: relay.GlobalID | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET
    ends_at: datetime | None = strawberry.UNSET
    shift_type: str | None = strawberry.UNSET
    kit_item_id: relay.GlobalID | None = strawberry.UNSET
    headcount_lines: list[HeadcountLineInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Replaces the lines, matched by skill: a kept skill keeps its assignments; "
            "dropping a line that has assignments is refused."
        ),
    )


@strawberry.type
class UpdateShiftPayload:
    shift: Shift | None
    user_errors: list[UserError]


async def update_shift_mutation(info: Info, input: UpdateShiftInput) -> UpdateShiftPayload:
    """Change a shift and, if given, its headcount lines, all or nothing."""

    async def work(session: AsyncSession) -> m.Shift:
        lines = input.headcount_lines
        return await update_shift(
            session,
            shift_id=node_id(input.id, Shift),
            changes=input_values(input, ids=IDS, skip=("id", "headcount_lines")),
            headcount_lines=None if lines is strawberry.UNSET else headcount_lines(lines or []),
        )

    row, errors = await apply(info, work)
    return UpdateShiftPayload(shift=Shift.from_row(row) if row else None, user_errors=errors)
