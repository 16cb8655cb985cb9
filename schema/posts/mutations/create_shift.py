"""createShift: add a shift at a post together with its headcount lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.posts import create_shift
from resolvers.context import Info
from schema.base import UserError, decode_id
from schema.mutations import apply, input_values
from schema.posts.types import Checkpoint, Shift
from schema.protection.types import ProtectiveItem
from schema.trainings.types import Skill

IDS = {"checkpoint_id": Checkpoint, "kit_item_id": ProtectiveItem}


@strawberry.input(description="How many people a shift needs, optionally with a skill.")
class HeadcountLineInput:
    skill_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The skill asked for; null = anyone eligible."
    )
    headcount: int = strawberry.field(description="At least 1.")
    max_over_cover: int = strawberry.field(
        default=0, description="How many people beyond the headcount may be put on the line."
    )


def headcount_lines(lines: list[HeadcountLineInput]) -> list[dict[str, Any]]:
    """The lines with skill ids decoded, for the service."""
    return [
        {
            "skill_id": decode_id(line.skill_id, Skill, "headcount_lines"),
            "headcount": line.headcount,
            "max_over_cover": line.max_over_cover,
        }
        for line in lines
    ]


@strawberry.input
class CreateShiftInput:
    checkpoint_id: relay.GlobalID
    starts_at: datetime
    ends_at: datetime = strawberry.field(description="After `startsAt`, at most 24 hours later.")
    headcount_lines: list[HeadcountLineInput] = strawberry.field(
        description="At least one line; at most one line per skill."
    )
    shift_type: str = strawberry.field(default="DAY", description="e.g. DAY, EVENING, NIGHT.")
    kit_item_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The protective kit everyone on the shift must wear."
    )


@strawberry.type
class CreateShiftPayload:
    shift: Shift | None
    user_errors: list[UserError]


async def create_shift_mutation(info: Info, input: CreateShiftInput) -> CreateShiftPayload:
    """Add a shift and its headcount lines: both or neither."""

    async def work(session: AsyncSession) -> m.Shift:
        return await create_shift(
            session,
            values=input_values(input, ids=IDS, skip=("headcount_lines",)),
            headcount_lines=headcount_lines(input.headcount_lines),
        )

    row, errors = await apply(info, work)
    return CreateShiftPayload(shift=Shift.from_row(row) if row else None, user_errors=errors)
