"""createVolunteer: register a volunteer."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import models as m
from db.services.volunteers import create_volunteer, set_volunteer_skills
from resolvers.context import Info
from schema.base import UserError
from schema.enums import VolunteerKind
from schema.mutations import apply, input_values, node_id
from schema.organisations.types import Grid, Organisation, Unit
from schema.trainings.types import Skill
from schema.volunteers.types import Volunteer

IDS = {"organisation_id": Organisation, "unit_id": Unit, "home_grid_id": Grid}


@strawberry.input
class CreateVolunteerInput:
    name: str
    kind: VolunteerKind  # type: ignore[valid-type]
    organisation_id: relay.GlobalID
    phone: str
    id_number: str = strawberry.field(description="18-character resident ID number.")
    home_latitude: float
    home_longitude: float
    unit_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Required for agency volunteers: their unit equips them."
    )
    home_grid_id: relay.GlobalID | None = None
    skill_ids: list[relay.GlobalID] | None = None


@strawberry.type
class CreateVolunteerPayload:
    volunteer: Volunteer | None
    user_errors: list[UserError]


async def create_volunteer_mutation(
    info: Info, input: CreateVolunteerInput
) -> CreateVolunteerPayload:
    """Register a volunteer with their skills."""

    async def work(session: AsyncSession) -> m.Volunteer:
        row = await create_volunteer(
            session, values=input_values(input, ids=IDS, skip=("skill_ids",))
        )
        if input.skill_ids:
            skill_ids = [node_id(s, Skill, "skill_ids") for s in input.skill_ids]
            await set_volunteer_skills(session, volunteer_id=row.id, skill_ids=skill_ids)
        return row

    row, errors = await apply(info, work)
    return CreateVolunteerPayload(
        volunteer=Volunteer.from_row(row) if row else None, user_errors=errors
    )
