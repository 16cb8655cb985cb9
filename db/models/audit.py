"""The audit log: every mutation and every denied access, with ids but never private values."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, utcnow


class AuditEntry(Base):
    """Who did what, when, with what outcome; written once, never changed."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created_at", "created_at"),
        Index("ix_audit_entries_actor_created_at", "actor", "created_at"),
        Index("ix_audit_entries_action_created_at", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))  # the credential's subject
    role: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # MUTATION or ACCESS
    action: Mapped[str] = mapped_column(String(200))  # mutation name, or Type.field read
    operation: Mapped[str | None] = mapped_column(String(200))  # the GraphQL operation name
    outcome: Mapped[str] = mapped_column(String(16))  # OK, REJECTED, DENIED or ERROR
    # Error codes, field paths and reasons; never the values a caller sent or was refused.
    detail: Mapped[str | None] = mapped_column(Text)
    objects: Mapped[list[AuditObject]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="AuditObject.position"
    )


class AuditObject(Base):
    """An object an audit entry concerns, by type name and database id."""

    __tablename__ = "audit_objects"
    __table_args__ = (Index("ix_audit_objects_type_name_object_id", "type_name", "object_id"),)

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("audit_entries.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_name: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int] = mapped_column(Integer)
