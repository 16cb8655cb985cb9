"""createSkill: add a skill headcount lines can ask for."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.services.trainings import create_skill
from resolvers.context import Info
from schema.base import UserError
from schema.enums import ServiceCategory
from schema.mutations import apply, input_values
from schema.trainings.types import Skill


@strawberry.input
class CreateSkillInput:
    code: str
    name: str
    category: ServiceCategory  # type: ignore[valid-type]


@strawberry.type
class CreateSkillPayload:
    skill: Skill | None
    user_errors: list[UserError]


async def create_skill_mutation(info: Info, input: CreateSkillInput) -> CreateSkillPayload:
    """Add a skill."""

    async def work(session: AsyncSession) -> m.Skill:
        return await create_skill(session, values=input_values(input))

    row, errors = await apply(info, work)
    return CreateSkillPayload(skill=Skill.from_row(row) if row else None, user_errors=errors)
