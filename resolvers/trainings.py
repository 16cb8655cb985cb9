"""Which skills, trainings and certificates a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select

from db import models as m
from db.models.enums import ServiceCategory
from resolvers.pagination import SortKey

# Certificates that never expire sort after every dated one (a NULL would break the keyset).
NEVER = date(9999, 12, 31)


@dataclass(frozen=True, kw_only=True)
class SkillCriteria:
    """Every criterion is optional; given ones all apply."""

    categories: list[ServiceCategory] | None = None
    code_in: list[str] | None = None


def skills_query(criteria: SkillCriteria) -> Select[Any]:
    """Skills matching ``criteria``."""
    s = m.Skill
    query = select(s)
    if criteria.categories:
        query = query.where(s.category.in_(criteria.categories))
    if criteria.code_in is not None:
        query = query.where(s.code.in_(criteria.code_in))
    return query


SKILL_ORDER: dict[str, SortKey] = {
    "CODE": SortKey(m.Skill.code),
    "NAME": SortKey(m.Skill.name),
    "CREATED_AT": SortKey(m.Skill.created_at, kind="datetime"),
}


@dataclass(frozen=True, kw_only=True)
class TrainingCriteria:
    name_contains: str | None = None  # any case


def trainings_query(criteria: TrainingCriteria) -> Select[Any]:
    """Trainings matching ``criteria``."""
    t = m.Training
    query = select(t)
    if criteria.name_contains:
        query = query.where(t.name.icontains(criteria.name_contains, autoescape=True))
    return query


TRAINING_ORDER: dict[str, SortKey] = {
    "CODE": SortKey(m.Training.code),
    "NAME": SortKey(m.Training.name),
    "CREATED_AT": SortKey(m.Training.created_at, kind="datetime"),
}


@dataclass(frozen=True, kw_only=True)
class CertificateCriteria:
    """Every criterion is optional; given ones all apply."""

    volunteer_id: int | None = None
    training_id: int | None = None
    valid_on: date | None = None
    expiring_from: date | None = None  # expiry on or after this day
    expiring_to: date | None = None  # expiry on or before this day


def certificates_query(criteria: CertificateCriteria) -> Select[Any]:
    """Certificates matching ``criteria``."""
    c = m.Certificate
    query = select(c)
    k = criteria
    if k.volunteer_id is not None:
        query = query.where(c.volunteer_id == k.volunteer_id)
    if k.training_id is not None:
        query = query.where(c.training_id == k.training_id)
    if k.valid_on is not None:
        query = query.where(
            c.passed_on <= k.valid_on, or_(c.expires_on.is_(None), c.expires_on >= k.valid_on)
        )
    if k.expiring_from is not None:
        query = query.where(c.expires_on >= k.expiring_from)
    if k.expiring_to is not None:
        query = query.where(c.expires_on <= k.expiring_to)
    return query


CERTIFICATE_ORDER: dict[str, SortKey] = {
    "PASSED_ON": SortKey(m.Certificate.passed_on, kind="date"),
    "EXPIRES_ON": SortKey(func.coalesce(m.Certificate.expires_on, NEVER), kind="date"),
    "CREATED_AT": SortKey(m.Certificate.created_at, kind="datetime"),
}
