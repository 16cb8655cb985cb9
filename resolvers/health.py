"""Which health reports and availability windows a list returns, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from db import models as m
from db.models.enums import HealthStatus
from resolvers.filters import in_subtree
from resolvers.pagination import SortKey
from resolvers.posts import Days, day_between


@dataclass(frozen=True, kw_only=True)
class HealthReportCriteria:
    """Every criterion is optional; given ones all apply."""

    volunteer_id: int | None = None
    organisation_id: int | None = None  # the volunteer's organisation or anywhere below it
    days: Days | None = None
    status: HealthStatus | None = None


def health_reports_query(criteria: HealthReportCriteria) -> Select[Any]:
    """Health reports matching ``criteria``."""
    report = m.HealthReport
    c = criteria
    query = select(report)
    if c.volunteer_id is not None:
        query = query.where(report.volunteer_id == c.volunteer_id)
    if c.organisation_id is not None:
        volunteers = select(m.Volunteer.id).where(
            in_subtree(m.Volunteer.organisation_id, c.organisation_id)
        )
        query = query.where(report.volunteer_id.in_(volunteers))
    if c.days is not None:
        query = query.where(*day_between(report.day, c.days))
    if c.status is not None:
        query = query.where(report.status == c.status)
    return query


HEALTH_REPORT_ORDER: dict[str, SortKey] = {
    "DAY": SortKey(m.HealthReport.day, kind="date"),
    "REPORTED_AT": SortKey(m.HealthReport.reported_at, kind="datetime"),
    "ID": SortKey(m.HealthReport.id, kind="int"),
}


@dataclass(frozen=True, kw_only=True)
class AvailabilityCriteria:
    """Every criterion is optional; given ones all apply."""

    volunteer_id: int | None = None
    # Windows sharing some time with [overlaps_from, overlaps_to); either end may be open.
    overlaps_from: datetime | None = None
    overlaps_to: datetime | None = None


def availabilities_query(criteria: AvailabilityCriteria) -> Select[Any]:
    """Availability windows matching ``criteria``."""
    window = m.Availability
    c = criteria
    query = select(window)
    if c.volunteer_id is not None:
        query = query.where(window.volunteer_id == c.volunteer_id)
    if c.overlaps_from is not None:
        query = query.where(window.ends_at > c.overlaps_from)
    if c.overlaps_to is not None:
        query = query.where(window.starts_at < c.overlaps_to)
    return query


AVAILABILITY_ORDER: dict[str, SortKey] = {
    "STARTS_AT": SortKey(m.Availability.starts_at, kind="datetime"),
    "ENDS_AT": SortKey(m.Availability.ends_at, kind="datetime"),
    "ID": SortKey(m.Availability.id, kind="int"),
}
