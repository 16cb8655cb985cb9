"""GraphQL types of volunteers, their availability and their health reports."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import relay

from db import models as m
from resolvers import loaders
from resolvers import rosters as roster_lists
from resolvers.context import Info
from resolvers.permissions import private_value
from schema.base import VERSION_DESCRIPTION, RegisterNode, load_node
from schema.enums import HealthStatus, VolunteerKind
from schema.organisations.types import Grid, Organisation, Unit
from schema.trainings.types import Certificate, Skill

if TYPE_CHECKING:
    from schema.rosters.types import Assignment

AssignmentRef = Annotated["Assignment", strawberry.lazy("schema.rosters.types")]


@strawberry.type(description="A person who can be put on a post.")
class Volunteer(RegisterNode):
    model = m.Volunteer

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    name: str
    kind: VolunteerKind  # type: ignore[valid-type]
    home_latitude: float
    home_longitude: float
    organisation_id: strawberry.Private[int]
    unit_id: strawberry.Private[int | None]
    home_grid_id: strawberry.Private[int | None]
    # Phone and ID number, served only to those who may read them (see ``phone``).
    private: strawberry.Private[tuple[str, str]] = dataclasses.field(init=False, default=("", ""))

    @classmethod
    def from_row(cls, row: Any) -> Self:
        node = super().from_row(row)
        node.private = (row.phone, row.id_number)
        return node

    @strawberry.field(
        description="Private: admins, schedulers, the volunteer's coordinators and the "
        "volunteer read it; others get null and a FORBIDDEN error."
    )
    async def phone(self, info: Info) -> str | None:
        return await private_value(info, self, "phone", self.private[0])

    @strawberry.field(description="18-character resident ID number. Private, as `phone`.")
    async def id_number(self, info: Info) -> str | None:
        return await private_value(info, self, "idNumber", self.private[1])

    @strawberry.field(description="Where the volunteer is registered.")
    async def organisation(self, info: Info) -> Organisation:
        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field(description="The unit an agency volunteer belongs to (it equips them).")
    async def unit(self, info: Info) -> Unit | None:
        return await load_node(info, Unit, self.unit_id)

    @strawberry.field
    async def home_grid(self, info: Info) -> Grid | None:
        return await load_node(info, Grid, self.home_grid_id)

    @strawberry.field
    async def skills(self, info: Info) -> list[Skill]:
        rows = await info.context.loaders.get(loaders.SkillsByVolunteerIdLoader).load(self.id)
        return [Skill.from_row(r) for r in rows]

    @strawberry.field(description="Certificates, optionally only those valid on a day.")
    async def certificates(self, info: Info, valid_on: date | None = None) -> list[Certificate]:
        loader = info.context.loaders.get(loaders.CertificatesByVolunteerIdLoader)
        rows = await loader.load(self.id)
        certificates = [Certificate.from_row(r) for r in rows]
        if valid_on is not None:
            certificates = [c for c in certificates if c.valid_on(valid_on)]
        return certificates

    @strawberry.field(description="Windows in which the volunteer can serve.")
    async def availabilities(self, info: Info) -> list[Availability]:
        loader = info.context.loaders.get(loaders.AvailabilitiesByVolunteerIdLoader)
        return [Availability.from_row(r) for r in await loader.load(self.id)]

    @strawberry.field(
        description="Health reports by day, optionally for a range of days. Private, as `phone`."
    )
    async def health_reports(
        self, info: Info, since: date | None = None, until: date | None = None
    ) -> list[HealthReport] | None:
        await private_value(info, self, "healthReports", None)
        loader = info.context.loaders.get(loaders.HealthReportsByVolunteerIdLoader)
        rows = [
            r
            for r in await loader.load(self.id)
            if (since is None or r.day >= since) and (until is None or r.day <= until)
        ]
        return [HealthReport.from_row(r) for r in rows]

    @strawberry.field(
        description="The volunteer's assignments in published rosters (not cancelled), by "
        "shift start, for shifts starting on local days `from` to `to` (inclusive; either open)."
    )
    async def schedule(
        self,
        info: Info,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> list[AssignmentRef]:
        return await volunteer_schedule(info, self.id, from_, to)


async def volunteer_schedule(
    info: Info, volunteer_id: int, first: date | None, last: date | None
) -> list[Any]:
    """A volunteer's published assignments on local days ``first``..``last``."""
    from schema.rosters.types import Assignment

    start, end = roster_lists.local_days(first, last, info.context.settings.zone)
    loader = info.context.loaders.get(roster_lists.ScheduleLoader)
    return [Assignment.from_row(r) for r in await loader.load((volunteer_id, start, end))]


@strawberry.type(description="A window in which a volunteer can serve.")
class Availability(RegisterNode):
    model = m.Availability

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    starts_at: datetime
    ends_at: datetime
    volunteer_id: strawberry.Private[int]

    @strawberry.field
    async def volunteer(self, info: Info) -> Volunteer:
        return await load_node(info, Volunteer, self.volunteer_id)


@strawberry.type(description="A volunteer's health on one day; the latest report of a day counts.")
class HealthReport(RegisterNode):
    model = m.HealthReport

    id: relay.NodeID[int]
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    day: date
    reported_at: datetime
    status: HealthStatus  # type: ignore[valid-type]
    temperature: float | None
    note: str | None
    volunteer_id: strawberry.Private[int]

    @strawberry.field
    async def volunteer(self, info: Info) -> Volunteer:
        return await load_node(info, Volunteer, self.volunteer_id)
