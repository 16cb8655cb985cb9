"""Which volunteers a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, select

from db import models as m
from db.models.enums import VolunteerKind
from resolvers.filters import certificate_valid_on, in_subtree, unwell_on, within_km
from resolvers.pagination import SortKey


@dataclass(frozen=True, kw_only=True)
class Near:
    latitude: float
    longitude: float
    km: float


@dataclass(frozen=True, kw_only=True)
class VolunteerCriteria:
    """Every criterion is optional; given ones all apply."""

    organisation_id: int | None = None  # the organisation or anywhere below it
    unit_id: int | None = None
    kinds: list[VolunteerKind] | None = None
    skill_id: int | None = None
    certified_training_id: int | None = None
    certified_on: date | None = None
    health_on: date | None = None
    health: str | None = None  # FIT, UNWELL or NOT_REPORTED
    near: Near | None = None
    name_contains: str | None = None


def volunteers_query(criteria: VolunteerCriteria) -> Select[Any]:
    """Volunteers matching ``criteria``."""
    v = m.Volunteer
    query = select(v)
    c = criteria
    if c.organisation_id is not None:
        query = query.where(in_subtree(v.organisation_id, c.organisation_id))
    if c.unit_id is not None:
        query = query.where(v.unit_id == c.unit_id)
    if c.kinds:
        query = query.where(v.kind.in_(c.kinds))
    if c.skill_id is not None:
        skills = m.volunteer_skills.c
        query = query.where(
            exists().where(skills.volunteer_id == v.id, skills.skill_id == c.skill_id)
        )
    if c.certified_training_id is not None:
        query = query.where(
            certificate_valid_on(c.certified_training_id, c.certified_on or date.today())
        )
    if c.health_on is not None and c.health is not None:
        query = query.where(_health(c.health, c.health_on))
    if c.near is not None:
        query = query.where(
            within_km(
                v.home_latitude,
                v.home_longitude,
                latitude=c.near.latitude,
                longitude=c.near.longitude,
                km=c.near.km,
            )
        )
    if c.name_contains:
        query = query.where(v.name.icontains(c.name_contains, autoescape=True))
    return query


def _health(status: str, day: date) -> Any:
    reported = exists().where(
        m.HealthReport.volunteer_id == m.Volunteer.id, m.HealthReport.day == day
    )
    if status == "UNWELL":
        return unwell_on(day)
    if status == "NOT_REPORTED":
        return ~reported
    return ~unwell_on(day)


VOLUNTEER_ORDER: dict[str, SortKey] = {
    "NAME": SortKey(m.Volunteer.name),
    "CREATED_AT": SortKey(m.Volunteer.created_at, kind="datetime"),
    "ID": SortKey(m.Volunteer.id, kind="int"),
}
