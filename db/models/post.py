"""Posts (checkpoints), the shifts they run and each shift's headcount lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Entity, enum_column
from db.models.enums import CheckpointKind, RiskLevel

checkpoint_required_trainings = Table(
    "checkpoint_required_trainings",
    Base.metadata,
    Column("checkpoint_id", ForeignKey("checkpoints.id", ondelete="CASCADE"), primary_key=True),
    Column("training_id", ForeignKey("trainings.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_checkpoint_required_trainings_training_id", "training_id"),
)


class Checkpoint(Entity):
    """A post to staff: road checkpoint, grid gate, testing station, patrol or hotline."""

    __tablename__ = "checkpoints"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 5", name="priority_range"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[CheckpointKind] = mapped_column(enum_column(CheckpointKind, "checkpoint_kind"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    # The unit that runs the post; it equips the social volunteers serving there.
    using_unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grids.id", ondelete="SET NULL"), index=True
    )
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    risk_level: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel, "risk_level"))
    # 1 = most important to cover.
    priority: Mapped[int] = mapped_column(Integer, default=3)


class Shift(Entity):
    """A time window at a post, with the protective kit everyone on it must wear."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_shifts_checkpoint_id_starts_at", "checkpoint_id", "starts_at"),
        Index("ix_shifts_starts_at", "starts_at"),
    )

    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # Shift type (e.g. DAY, EVENING, NIGHT) for succession rules and per-type caps.
    shift_type: Mapped[str] = mapped_column(String(32), default="DAY")
    kit_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("protective_items.id", ondelete="RESTRICT"), index=True
    )


class HeadcountLine(Entity):
    """How many people a shift needs, optionally with a skill; over-cover up to a limit."""

    __tablename__ = "headcount_lines"
    __table_args__ = (
        CheckConstraint("headcount > 0", name="headcount_positive"),
        CheckConstraint("max_over_cover >= 0", name="over_cover_not_negative"),
        UniqueConstraint("shift_id", "skill_id"),
    )

    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int | None] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT"), index=True
    )
    headcount: Mapped[int] = mapped_column(Integer)
    max_over_cover: Mapped[int] = mapped_column(Integer, default=0)
