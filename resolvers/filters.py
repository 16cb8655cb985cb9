"""SQL conditions shared by many lists: organisation subtrees, distance, validity on a day."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.sql.elements import ColumnElement

from db import models as m

KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320


def in_subtree(organisation_column: Any, root_id: int) -> ColumnElement[bool]:
    """Rows whose organisation is ``root_id`` or below it (a prefix match on the path)."""
    root_path = select(m.Organisation.path).where(m.Organisation.id == root_id).scalar_subquery()
    subtree = select(m.Organisation.id).where(m.Organisation.path.startswith(root_path))
    return organisation_column.in_(subtree)


def squared_km(
    latitude_column: Any, longitude_column: Any, *, latitude: float, longitude: float
) -> ColumnElement[float]:
    """Squared distance in km² on a local flat projection: exact enough within a county,
    and plain arithmetic, so SQLite needs no math extension."""
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
    dx = (longitude_column - longitude) * kx
    dy = (latitude_column - latitude) * KM_PER_DEGREE_LATITUDE
    return dx * dx + dy * dy


def within_km(
    latitude_column: Any, longitude_column: Any, *, latitude: float, longitude: float, km: float
) -> ColumnElement[bool]:
    """Rows within ``km`` of a point; a bounding box first so an index can help."""
    dlat = km / KM_PER_DEGREE_LATITUDE
    dlon = km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * max(math.cos(math.radians(latitude)), 1e-6))
    return and_(
        latitude_column.between(latitude - dlat, latitude + dlat),
        longitude_column.between(longitude - dlon, longitude + dlon),
        squared_km(latitude_column, longitude_column, latitude=latitude, longitude=longitude)
        <= km * km,
    )


def certificate_valid_on(training_id: int, day: date) -> ColumnElement[bool]:
    """Volunteers holding a certificate of ``training_id`` valid on ``day``."""
    c = m.Certificate
    return exists().where(
        c.volunteer_id == m.Volunteer.id,
        c.training_id == training_id,
        c.passed_on <= day,
        or_(c.expires_on.is_(None), c.expires_on >= day),
    )


def unwell_on(day: date) -> ColumnElement[bool]:
    """Volunteers whose latest health report of ``day`` says unwell."""
    r = m.HealthReport.__table__.alias("r")
    later = m.HealthReport.__table__.alias("later")
    return exists().where(
        r.c.volunteer_id == m.Volunteer.id,
        r.c.day == day,
        r.c.status == "UNWELL",
        ~exists().where(
            later.c.volunteer_id == r.c.volunteer_id,
            later.c.day == day,
            later.c.reported_at > r.c.reported_at,
        ),
    )
