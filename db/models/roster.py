"""Rosters, their assignments, and the optimisation runs that propose them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    false,
    func,
    literal,
    select,
    text,
)
from sqlalchemy import inspect as inspect_state
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, Session, mapped_column

from db.models.base import Entity, enum_column
from db.models.enums import AssignmentStatus, RosterStatus, RunStatus
from db.models.post import Shift


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
    # The objective term by term, and how the bound was proven (CP-SAT, a flow relaxation...).
    objective_terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    bound_source: Mapped[str | None] = mapped_column(Text)
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


# Name of the PostgreSQL exclusion constraint: no volunteer on two overlapping active shifts.
NO_OVERLAP = "ex_assignments_no_overlap"


class Assignment(Entity):
    """A volunteer on a shift's headcount line, with the stock their kit comes from.

    ``starts_at``, ``ends_at`` and ``active`` copy the shift's window and whether the roster is
    published and the assignment not cancelled (kept by the flush hook below), so that
    PostgreSQL can refuse overlapping active assignments of one volunteer by itself.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("roster_id", "shift_id", "volunteer_id"),
        Index("ix_assignments_volunteer_id", "volunteer_id"),
        Index("ix_assignments_shift_id", "shift_id"),
        # Deferred, so one transaction can swap a published roster for another.
        ExcludeConstraint(
            ("volunteer_id", "="),
            (func.tstzrange(text("starts_at"), text("ends_at")), "&&"),
            name=NO_OVERLAP,
            using="gist",
            where=text("active"),
            deferrable=True,
            initially="DEFERRED",
        ).ddl_if(dialect="postgresql"),
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
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


def _load(session: Session, model: type[Any], ids: set[Any]) -> dict[Any, Any]:
    """Rows by id, a few hundred ids a statement."""
    wanted, found = sorted(i for i in ids if i is not None), {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found |= {r.id: r for r in session.scalars(select(model).where(model.id.in_(chunk)))}
    return found


def _changed(row: object, *keys: str) -> bool:
    state = inspect_state(row)
    return any(state.attrs[k].history.has_changes() for k in keys)


@event.listens_for(Session, "before_flush")
def _copy_windows_and_activity(session: Session, _context: object, _instances: object) -> None:
    """Keep each assignment's copied window and ``active`` flag right, whichever code writes.

    New or re-pointed assignments read their shift and roster; a roster whose status changes
    and a shift whose window moves update their assignments in place.
    """
    dirty = list(session.dirty)  # each access builds a new set: read it once
    rows = [row for row in session.new if isinstance(row, Assignment)] + [
        row
        for row in dirty
        if isinstance(row, Assignment) and _changed(row, "shift_id", "roster_id", "status")
    ]
    rosters = [r for r in dirty if isinstance(r, Roster) and _changed(r, "status")]
    shifts = [s for s in dirty if isinstance(s, Shift) and _changed(s, "starts_at", "ends_at")]
    if not (rows or rosters or shifts):
        return
    connection: Connection = session.connection()
    table = Assignment.__table__
    for roster in rosters:
        published = roster.status == RosterStatus.PUBLISHED
        connection.execute(
            table.update()
            .where(table.c.roster_id == roster.id)
            .values(active=and_(literal(published), table.c.status != AssignmentStatus.CANCELLED))
        )
    for shift in shifts:
        connection.execute(
            table.update()
            .where(table.c.shift_id == shift.id)
            .values(starts_at=shift.starts_at, ends_at=shift.ends_at)
        )
    with session.no_autoflush:
        shifts_by_id = _load(session, Shift, {row.shift_id for row in rows})
        rosters_by_id = _load(session, Roster, {row.roster_id for row in rows})
        for row in rows:
            shift = shifts_by_id.get(row.shift_id)
            roster = rosters_by_id.get(row.roster_id)
            if shift is not None:
                row.starts_at, row.ends_at = shift.starts_at, shift.ends_at
            row.active = bool(
                roster is not None
                and roster.status == RosterStatus.PUBLISHED
                and row.status != AssignmentStatus.CANCELLED
            )
