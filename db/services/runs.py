"""Roster runs as records: starting one per scope at a time, its life, and its end.

A run is QUEUED when asked for, RUNNING while a solver process works on it (its heartbeat
proves it alive), then SUCCEEDED with a proposed roster, FAILED or CANCELLED. Only the
SUCCEEDED path writes a roster, in one transaction with the run's final status, so a run that
fails, is cancelled or dies leaves every roster as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Assignment, HeadcountLine, Organisation, Roster, RosterGap, RosterRun
from db.models.base import utcnow
from db.models.enums import AssignmentStatus, RosterStatus, RunStatus
from db.services.errors import ErrorCode, FieldError, NotFound, ValidationFailed

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)
# Serialises run starts on PostgreSQL (any constant; "MUSTER" in ASCII, trimmed to fit).
START_LOCK = 0x4D5553544552
MAX_PROGRESS_POINTS = 500
MAX_DAYS = 31
MAX_TIME_LIMIT = 3600


async def start_run(
    session: AsyncSession,
    *,
    organisation_id: int,
    period_start: date,
    days: int,
    time_limit_seconds: int,
    weights: Mapping[str, int],
    trigger: str,
    requested_by: str | None,
    heartbeat_timeout: float,
) -> RosterRun:
    """A QUEUED run for the scope, refused while a run for an overlapping scope is active."""
    errors = []
    if not 1 <= days <= MAX_DAYS:
        errors.append(FieldError("days", ErrorCode.OUT_OF_RANGE, f"days must be 1 to {MAX_DAYS}"))
    if not 1 <= time_limit_seconds <= MAX_TIME_LIMIT:
        errors.append(
            FieldError(
                "time_limit_seconds",
                ErrorCode.OUT_OF_RANGE,
                f"time_limit_seconds must be 1 to {MAX_TIME_LIMIT}",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    scope = await session.get(Organisation, organisation_id)
    if scope is None:
        raise NotFound("organisation_id", "organisation", organisation_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Two starts for one scope must not both pass the check below.
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": START_LOCK})
    await fail_dead_runs(session, timeout=heartbeat_timeout)
    clash = await active_run_overlapping(session, scope=scope)
    if clash is not None:
        run, other = clash
        raise ValidationFailed(
            [
                FieldError(
                    "organisation_id",
                    ErrorCode.CONFLICT,
                    f"run {run.id} for {other.name} is {run.status.value.lower()}"
                    f" (since {run.created_at:%Y-%m-%d %H:%M} UTC); one run per scope at a"
                    " time: wait for it or cancel it",
                )
            ]
        )
    run = RosterRun(
        organisation_id=organisation_id,
        period_start=period_start,
        period_end=period_start + timedelta(days=days - 1),
        status=RunStatus.QUEUED,
        time_limit_seconds=time_limit_seconds,
        weights=dict(weights),
        progress=[],
        problem_size={},
        objective_terms={},
        notes=[],
        trigger=trigger,
        requested_by=requested_by,
    )
    session.add(run)
    await session.flush()
    return run


async def active_run_overlapping(
    session: AsyncSession, *, scope: Organisation
) -> tuple[RosterRun, Organisation] | None:
    """An active run whose scope contains this one or lies inside it, with that scope."""
    row = (
        await session.execute(
            select(RosterRun, Organisation)
            .join(Organisation, Organisation.id == RosterRun.organisation_id)
            .where(
                RosterRun.status.in_(ACTIVE),
                or_(
                    Organisation.path.startswith(scope.path, autoescape=True),
                    text(":path LIKE organisations.path || '%'").bindparams(path=scope.path),
                ),
            )
            .order_by(RosterRun.id)
            .limit(1)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def fail_dead_runs(session: AsyncSession, *, timeout: float) -> list[int]:
    """Mark FAILED the active runs whose solver has not shown a sign of life for ``timeout``."""
    cutoff = utcnow() - timedelta(seconds=timeout)
    dead = list(
        await session.scalars(
            select(RosterRun.id).where(
                RosterRun.status.in_(ACTIVE),
                or_(
                    RosterRun.heartbeat_at < cutoff,
                    (RosterRun.heartbeat_at.is_(None)) & (RosterRun.created_at < cutoff),
                ),
            )
        )
    )
    if dead:
        await session.execute(
            update(RosterRun)
            .where(RosterRun.id.in_(dead), RosterRun.status.in_(ACTIVE))
            .values(
                status=RunStatus.FAILED,
                finished_at=utcnow(),
                error=f"the solver process stopped answering for over {timeout:g} s",
            )
        )
    return dead


async def claim_run(session: AsyncSession, *, run_id: int, pid: int, host: str) -> RosterRun:
    """The solver process takes a QUEUED run: RUNNING, with its pid and a first heartbeat."""
    run = await session.get(RosterRun, run_id, with_for_update=True)
    if run is None:
        raise LookupError(f"run {run_id} does not exist")
    if run.status != RunStatus.QUEUED:
        raise RuntimeError(f"run {run_id} is {run.status.value}, not QUEUED")
    now = utcnow()
    run.status = RunStatus.RUNNING
    run.pid, run.host = pid, host
    run.started_at = run.heartbeat_at = now
    await session.flush()
    return run


async def beat(
    session: AsyncSession,
    *,
    run_id: int,
    progress: Sequence[Mapping[str, Any]] = (),
    problem_size: Mapping[str, Any] | None = None,
) -> RunStatus:
    """Record a sign of life (and new progress points); the run's status, to see a cancel."""
    run = await session.get(RosterRun, run_id, populate_existing=True)
    if run is None:
        return RunStatus.CANCELLED
    if run.status == RunStatus.RUNNING:
        run.heartbeat_at = utcnow()
        if progress:
            run.progress = [*run.progress, *progress][-MAX_PROGRESS_POINTS:]
            last = progress[-1]
            run.objective, run.bound = last.get("objective"), last.get("bound")
        if problem_size is not None:
            run.problem_size = dict(problem_size)
        await session.flush()
    return run.status


async def fail_run(
    session: AsyncSession, *, run_id: int, error: str, pid: int | None = None
) -> bool:
    """Mark an active run FAILED with the error in words; False if it had already ended.

    With ``pid``, only if that process had the run (or none had claimed it yet).
    """
    statement = update(RosterRun).where(RosterRun.id == run_id, RosterRun.status.in_(ACTIVE))
    if pid is not None:
        statement = statement.where(or_(RosterRun.pid == pid, RosterRun.pid.is_(None)))
    result = await session.execute(
        statement.values(status=RunStatus.FAILED, finished_at=utcnow(), error=error[:2000])
    )
    return bool(result.rowcount)


async def cancel_run(session: AsyncSession, *, run_id: int, by: str | None) -> RosterRun:
    """Cancel a QUEUED or RUNNING run; a finished run is refused with its status.

    One conditional UPDATE: the run's worker may write the row at the same moment (progress,
    its end), which a loaded-then-flushed object would find stale."""
    result = await session.execute(
        update(RosterRun)
        .where(RosterRun.id == run_id, RosterRun.status.in_(ACTIVE))
        .values(
            status=RunStatus.CANCELLED,
            finished_at=utcnow(),
            error=f"cancelled by {by}" if by else "cancelled",
            version=RosterRun.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    run = await session.get(RosterRun, run_id, populate_existing=True)
    if run is None:
        raise NotFound("id", "run", run_id)
    if not result.rowcount:
        raise ValidationFailed(
            [
                FieldError(
                    "id",
                    ErrorCode.CONFLICT,
                    f"run {run_id} has already ended ({run.status.value.lower()})",
                )
            ]
        )
    return run


async def succeed_run(
    session: AsyncSession,
    *,
    run_id: int,
    assignments: Sequence[Mapping[str, int | None]],
    gaps: Sequence[Mapping[str, Any]],
    stats: Mapping[str, Any],
    notes: Sequence[str],
) -> Roster | None:
    """Write the proposed roster and end the run SUCCEEDED, together; None if it was cancelled.

    ``assignments`` hold volunteer_id, headcount_line_id and stock_id; ``gaps`` hold
    headcount_line_id, missing and reason.
    """
    run = await session.get(RosterRun, run_id, with_for_update=True, populate_existing=True)
    if run is None or run.status != RunStatus.RUNNING:
        return None
    roster = Roster(
        organisation_id=run.organisation_id,
        period_start=run.period_start,
        period_end=run.period_end,
        status=RosterStatus.PROPOSED,
        run_id=run.id,
    )
    session.add(roster)
    await session.flush()
    line_ids = {a["headcount_line_id"] for a in assignments}
    shift_of = dict(
        (
            await session.execute(
                select(HeadcountLine.id, HeadcountLine.shift_id).where(
                    HeadcountLine.id.in_(line_ids)
                )
            )
        ).all()
    )
    session.add_all(
        Assignment(
            roster_id=roster.id,
            shift_id=shift_of[a["headcount_line_id"]],
            headcount_line_id=a["headcount_line_id"],
            volunteer_id=a["volunteer_id"],
            stock_id=a["stock_id"],
            status=AssignmentStatus.PROPOSED,
            pinned=bool(a.get("pinned", False)),
        )
        for a in assignments
    )
    session.add_all(
        RosterGap(
            roster_id=roster.id,
            headcount_line_id=g["headcount_line_id"],
            missing=g["missing"],
            reason=g["reason"],
        )
        for g in gaps
    )
    run.status = RunStatus.SUCCEEDED
    run.finished_at = utcnow()
    run.heartbeat_at = run.finished_at
    run.objective = stats.get("objective")
    run.bound = stats.get("bound")
    run.gap = stats.get("gap")
    run.changed_assignments = stats.get("changed_assignments")
    run.unfilled_heads = sum(g["missing"] for g in gaps)
    run.objective_terms = dict(stats.get("terms", {}))
    run.bound_source = stats.get("bound_source")
    run.notes = [*run.notes, *notes]
    await session.flush()
    return roster


async def end_run_without_roster(
    session: AsyncSession, *, run_id: int, notes: Sequence[str]
) -> bool:
    """End a run SUCCEEDED with nothing to plan (no shifts in scope and period)."""
    run = await session.get(RosterRun, run_id, with_for_update=True, populate_existing=True)
    if run is None or run.status != RunStatus.RUNNING:
        return False
    run.status = RunStatus.SUCCEEDED
    run.finished_at = utcnow()
    run.notes = [*run.notes, *notes]
    run.changed_assignments = 0
    run.unfilled_heads = 0
    await session.flush()
    return True


async def get_run(session: AsyncSession, *, run_id: int) -> RosterRun:
    """A run by id, fresh from the database."""
    run = await session.get(RosterRun, run_id, populate_existing=True)
    if run is None:
        raise NotFound("id", "run", run_id)
    return run
