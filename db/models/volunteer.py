"""Volunteers, their skills, availability windows and daily health reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Entity, enum_column
from db.models.enums import HealthStatus, VolunteerKind

volunteer_skills = Table(
    "volunteer_skills",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_volunteer_skills_skill_id", "skill_id"),
)


class Volunteer(Entity):
    """A person who can be put on a post."""

    __tablename__ = "volunteers"
    __table_args__ = (
        # An agency volunteer is equipped by their own unit, so must have one.
        CheckConstraint("kind <> 'AGENCY' OR unit_id IS NOT NULL", name="agency_has_unit"),
        CheckConstraint("home_latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("home_longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[VolunteerKind] = mapped_column(enum_column(VolunteerKind, "volunteer_kind"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    home_grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grids.id", ondelete="SET NULL"), index=True
    )
    home_latitude: Mapped[float] = mapped_column(Float)
    home_longitude: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str] = mapped_column(String(32), unique=True)


class Availability(Entity):
    """A window in which a volunteer can serve."""

    __tablename__ = "availabilities"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_availabilities_volunteer_id_starts_at", "volunteer_id", "starts_at"),
    )

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]


class HealthReport(Entity):
    """A volunteer's report on one day; the latest report of the day counts."""

    __tablename__ = "health_reports"
    __table_args__ = (
        CheckConstraint(
            "temperature IS NULL OR temperature BETWEEN 30 AND 45", name="temperature_range"
        ),
        Index("ix_health_reports_volunteer_id_day", "volunteer_id", "day"),
    )

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    day: Mapped[date]
    reported_at: Mapped[datetime]
    status: Mapped[HealthStatus] = mapped_column(enum_column(HealthStatus, "health_status"))
    temperature: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
