"""API keys for machine callers: only a hash of each key is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, utcnow

ROLES = ("admin", "scheduler", "coordinator", "volunteer")


class ApiKey(Base):
    """A long-lived credential with a role and scope, e.g. for the nightly roster job."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
        CheckConstraint("role <> 'coordinator' OR organisation_id IS NOT NULL", name="org_scope"),
        CheckConstraint("role <> 'volunteer' OR volunteer_id IS NOT NULL", name="volunteer_scope"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The key's public part, to find the row; the secret part is only ever hashed.
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
