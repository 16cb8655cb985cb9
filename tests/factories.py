"""Small register fixtures built with the ORM, for tests that need a few known rows."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.models.enums import OrganisationLevel, ServiceCategory, UnitKind, VolunteerKind


def resident_id(serial: int) -> str:
    """A well-formed 18-character resident ID number with a valid check character."""
    born = date(1960, 1, 1) + timedelta(days=serial // 1000)
    body = f"420527{born:%Y%m%d}{serial % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


@dataclass
class Register:
    """Handles on what ``build_register`` made."""

    centre: m.Organisation
    sub_centres: list[m.Organisation]
    stations: list[m.Organisation]
    unit: m.Unit
    skill: m.Skill
    training: m.Training
    volunteers: list[m.Volunteer] = field(default_factory=list)


async def add_organisation(
    session: AsyncSession, *, name: str, level: OrganisationLevel, parent: m.Organisation | None
) -> m.Organisation:
    """An organisation with its materialised path set."""
    org = m.Organisation(name=name, code=name.lower().replace(" ", "-"), level=level)
    org.parent_id = parent.id if parent else None
    session.add(org)
    await session.flush()
    org.path = (parent.path if parent else "/") + f"{org.id}/"
    await session.flush()
    return org


async def build_register(session: AsyncSession, *, volunteers_per_station: int = 5) -> Register:
    """A centre with two sub-centres of two stations each, and volunteers at every station.

    Even-numbered volunteers hold a certificate valid all of November 2026; odd ones hold one
    that expired on 10 November.
    """
    centre = await add_organisation(
        session, name="Centre", level=OrganisationLevel.CENTRE, parent=None
    )
    subs, stations = [], []
    for s in range(2):
        sub = await add_organisation(
            session, name=f"Sub {s}", level=OrganisationLevel.SUB_CENTRE, parent=centre
        )
        subs.append(sub)
        for t in range(2):
            stations.append(
                await add_organisation(
                    session, name=f"Station {s}-{t}", level=OrganisationLevel.STATION, parent=sub
                )
            )
    unit = m.Unit(name="Health Bureau", kind=UnitKind.AGENCY, organisation_id=centre.id)
    skill = m.Skill(
        code="TEMP", name="Temperature checks", category=ServiceCategory.MEASUREMENT_SCREENING
    )
    training = m.Training(code="SCREEN", name="Checkpoint screening", validity_days=90)
    session.add_all([unit, skill, training])
    await session.flush()
    register = Register(centre, subs, stations, unit, skill, training)
    serial = 0
    for station in stations:
        for _ in range(volunteers_per_station):
            serial += 1
            volunteer = m.Volunteer(
                name=f"Volunteer {serial:03d}",
                kind=VolunteerKind.AGENCY if serial % 3 else VolunteerKind.SOCIAL,
                organisation_id=station.id,
                unit_id=unit.id if serial % 3 else None,
                home_latitude=30.8 + serial * 0.001,
                home_longitude=110.9 + serial * 0.001,
                phone=f"1380000{serial:04d}",
                id_number=resident_id(serial),
            )
            session.add(volunteer)
            register.volunteers.append(volunteer)
    await session.flush()
    for i, volunteer in enumerate(register.volunteers):
        expires = date(2026, 12, 31) if i % 2 == 0 else date(2026, 11, 10)
        session.add(
            m.Certificate(
                volunteer_id=volunteer.id,
                training_id=training.id,
                passed_on=date(2026, 10, 1),
                expires_on=expires,
            )
        )
    if register.volunteers:
        await session.execute(
            m.volunteer_skills.insert(),
            [{"volunteer_id": v.id, "skill_id": skill.id} for v in register.volunteers[::2]],
        )
    await session.flush()
    return register


def at(day: int, hour: int) -> datetime:
    """A UTC instant in November 2026."""
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def gid(type_name: str, ident: Any) -> str:
    """The global id of a row, as clients see it."""
    return base64.b64encode(f"{type_name}:{ident}".encode()).decode()
