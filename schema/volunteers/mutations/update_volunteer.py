"""updateVolunteer: change some of a volunteer's fields."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.volunteers import set_volunteer_skills, update_volunteer
from resolvers.context import Info
from schema.base import UserError, expected_version
from schema.enums import VolunteerKind
from schema.mutations import apply, input_values, node_id
from schema.trainings.types import Skill
from schema.volunteers.mutations.create_volunteer import IDS
from schema.volunteers.types import Volunteer


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateVolunteerInput:
    id: relay.GlobalID
    version: int | None = expected_version()
    name: str | None = strawberry.UNSET
    kind: VolunteerKind | None = strawberry.UNSET  # type: ignore[valid-type]
    organisation_id: relay.GlobalID | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    id_number: str | None = strawberry.UNSET
    home_latitude: float | None = strawberry.UNSET
    home_longitude: float | None = strawberry.UNSET
    unit_id: relay.GlobalID | None = strawberry.UNSET
    home_grid_id: relay.GlobalID | None = strawberry.UNSET
    skill_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the volunteer's skills."
    )


@strawberry.type
class UpdateVolunteerPayload:
    volunteer: Volunteer | None
    user_errors: list[UserError]


async def update_volunteer_mutation(
    info: Info, input: UpdateVolunteerInput
) -> UpdateVolunteerPayload:
    """Change a volunteer's fields and, if given, replace their skills."""

    async def work(session: AsyncSession) -> m.Volunteer:
        volunteer_id = node_id(input.id, Volunteer)
        changes = input_values(input, ids=IDS, skip=("id", "skill_ids"))
        row = await update_volunteer(session, volunteer_id=volunteer_id, changes=changes)
        if input.skill_ids is not strawberry.UNSET:
            skill_ids = [node_id(s, Skill, "skill_ids") for s in input.skill_ids or []]
            await set_volunteer_skills(session, volunteer_id=row.id, skill_ids=skill_ids)
        return row

    row, errors = await apply(info, work)
    return UpdateVolunteerPayload(
        volunteer=Volunteer.from_row(row) if row else None, user_errors=errors
    )
