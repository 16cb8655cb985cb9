"""deleteSkill: remove a skill nobody holds or asks for."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db.services.trainings import delete_skill
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply, node_id
from schema.trainings.types import Skill


@strawberry.input
class DeleteSkillInput:
    id: relay.GlobalID


@strawberry.type
class DeleteSkillPayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


async def delete_skill_mutation(info: Info, input: DeleteSkillInput) -> DeleteSkillPayload:
    """Delete a skill no volunteer holds and no headcount line asks for."""

    async def work(session: AsyncSession) -> None:
        await delete_skill(session, skill_id=node_id(input.id, Skill))

    _, errors = await apply(info, work)
    return DeleteSkillPayload(deleted_id=None if errors else input.id, user_errors=errors)
