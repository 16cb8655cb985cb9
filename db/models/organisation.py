"""The organisation tree, the units that form detachments, and the grids they claim."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Entity, enum_column
from db.models.enums import OrganisationLevel, UnitKind


class Organisation(Entity):
    """A node of the tree: centre → sub-centres → institutes → stations → points."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_organisations_path", "path"),
    )

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[OrganisationLevel] = mapped_column(enum_column(OrganisationLevel, "level"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    # Materialised path of ids ("/1/7/42/"), so a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(512), default="")


class Unit(Entity):
    """A government agency, company or team that forms volunteer detachments."""

    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, "unit_kind"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )


class Grid(Entity):
    """A grid community; a unit may claim it and staff it."""

    __tablename__ = "grids"
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    claimed_by_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
