"""updateSkill: change some of a skill's fields."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.trainings import update_skill
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import ServiceCategory
from schema.mutations import apply, input_values, node_id
from schema.trainings.types import Skill


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateSkillInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    category: ServiceCategory | None = strawberry.UNSET  # type: ignore[valid-type]


@strawberry.type
class UpdateSkillPayload:
    skill: Skill | None
    user_errors: list[UserError]


async def update_skill_mutation(info: Info, input: UpdateSkillInput) -> UpdateSkillPayload:
    """Change a skill's fields."""

    async def work(session: AsyncSession) -> m.Skill:
        ident = node_id(input.id, Skill)
        return await update_skill(session, skill_id=ident, changes=input_values(input))

    row, errors = await apply(info, work)
    return UpdateSkillPayload(skill=Skill.from_row(row) if row else None, user_errors=errors)
