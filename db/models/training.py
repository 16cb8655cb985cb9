"""Skills, trainings and the certificates volunteers earn by passing them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Entity, enum_column
from db.models.enums import ServiceCategory


class Skill(Entity):
    """A skill a headcount line can ask for, within one of the six service categories."""

    __tablename__ = "skills"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[ServiceCategory] = mapped_column(
        enum_column(ServiceCategory, "service_category")
    )


class Training(Entity):
    """A training course; passing it yields a certificate some posts require."""

    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint("validity_days IS NULL OR validity_days > 0", name="validity_positive"),
    )

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    # Days a certificate stays valid after the pass date; None = does not expire.
    validity_days: Mapped[int | None] = mapped_column(Integer)


class Certificate(Entity):
    """A volunteer's pass of a training, valid from the pass date until expiry."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR expires_on >= passed_on", name="expiry_after_pass"),
        UniqueConstraint("volunteer_id", "training_id", "passed_on"),
    )

    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="RESTRICT"), index=True
    )
    passed_on: Mapped[date]
    expires_on: Mapped[date | None]
