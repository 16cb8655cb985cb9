"""Rosters, their assignments, and the optimisation runs that propose them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Entity, enum_column
from db.models.enums import AssignmentStatus, RosterStatus, RunStatus


class RosterRun(Entity):
    """One optimisation run for a scope (an organisation subtree) and a period."""

    __tablename__ = "roster_runs"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("time_limit_seconds > 0", name="time_limit_positive"),
        CheckConstraint(
            "finished_at IS NULL OR finished_at >= started_at", name="finish_after_start"
        ),
        Index("ix_roster_runs_organisation_id_status", "organisation_id", "status"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, "run_status"))
    time_limit_seconds: Mapped[int] = mapped_column(Integer)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[list[Any]] = mapped_column(JSON, default=list)
    problem_size: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    changed_assignments: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # ON_DEMAND (the API) or NIGHTLY (the command line), and who asked for it.
    trigger: Mapped[str] = mapped_column(
        String(32), default="ON_DEMAND", server_default="ON_DEMAND"
    )
    requested_by: Mapped[str | None] = mapped_column(String(200))
    # The solver process and its last sign of life, to tell a dead run from a slow one.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime | None]
    unfilled_heads: Mapped[int | None] = mapped_column(Integer)
    # What a scheduler should know about the run, e.g. pins dropped because they broke a rule.
    notes: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Roster(Entity):
    """The assignments for a scope and period: proposed by a run or edited, then published."""

    __tablename__ = "rosters"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        Index("ix_rosters_organisation_id_status", "organisation_id", "status"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[RosterStatus] = mapped_column(enum_column(RosterStatus, "roster_status"))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_runs.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[datetime | None]


class RosterGap(Entity):
    """Heads of a headcount line a roster leaves unfilled, and why, in a scheduler's words."""

    __tablename__ = "roster_gaps"
    __table_args__ = (
        UniqueConstraint("roster_id", "headcount_line_id"),
        CheckConstraint("missing > 0", name="missing_positive"),
    )

    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"))
    headcount_line_id: Mapped[int] = mapped_column(
        ForeignKey("headcount_lines.id", ondelete="CASCADE"), index=True
    )
    missing: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")


class Assignment(Entity):
    """A volunteer on a shift's headcount line, with the stock their kit comes from."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("roster_id", "shift_id", "volunteer_id"),
        Index("ix_assignments_volunteer_id", "volunteer_id"),
        Index("ix_assignments_shift_id", "shift_id"),
    )

    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    headcount_line_id: Mapped[int] = mapped_column(
        ForeignKey("headcount_lines.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus, "assignment_status")
    )
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    stock_id: Mapped[int | None] = mapped_column(
        ForeignKey("protective_stocks.id", ondelete="RESTRICT"), index=True
    )
