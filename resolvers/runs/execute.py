"""One run from start to end: claim it, plan, solve with progress, write the proposed roster.

The same code serves the solver process the API starts and the nightly command, which runs it
in its own process. Nothing is written but the run's own record until the roster is complete
and checked; it is then written in one transaction with the run's final status.
"""

from __future__ import annotations

import asyncio
import enum
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db.models.enums import RunStatus
from db.services import runs as run_service
from db.session import transaction
from matching import Placement, Problem, Progress, Roster, Weights, solve, why_not
from resolvers.roster_problem import planning_for

log = structlog.get_logger("muster.runs")
# Seconds between heartbeats (and progress writes): well under the dead-run timeout.
BEAT_SECONDS = 1.0


class Outcome(enum.StrEnum):
    """How a run ended, as the command line reports it."""

    SUCCEEDED = "SUCCEEDED"
    NOTHING_TO_DO = "NOTHING_TO_DO"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class RunResult:
    """The end of a run: outcome, the proposed roster's id, and what to tell the scheduler."""

    outcome: Outcome
    roster_id: int | None = None
    message: str = ""


ProgressHook = Callable[[dict[str, Any]], None]


async def execute_run(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    run_id: int,
    zone: ZoneInfo,
    pid: int,
    host: str,
    workers: int = 2,
    on_progress: ProgressHook | None = None,
) -> RunResult:
    """Carry a QUEUED run to its end; every failure is recorded on the run, never raised."""
    async with transaction(sessionmaker) as session:
        run = await run_service.claim_run(session, run_id=run_id, pid=pid, host=host)
        organisation_id, start = run.organisation_id, run.period_start
        days = (run.period_end - run.period_start).days + 1
        time_limit, weights = run.time_limit_seconds, Weights(**run.weights)
    try:
        async with sessionmaker() as session:
            planning = await planning_for(
                session,
                organisation_id=organisation_id,
                start=start,
                days=days,
                zone=zone,
                weights=weights,
            )
        names = {str(v["id"]): v["name"] for v in planning.rows["volunteers"]}
        problem, notes = keep_valid_pins(planning.problem, names=names)
        if not problem.slots:
            async with transaction(sessionmaker) as session:
                await run_service.end_run_without_roster(
                    session, run_id=run_id, notes=[*notes, "no shifts to staff in scope and period"]
                )
            return RunResult(Outcome.NOTHING_TO_DO, message="no shifts to staff")
        size = problem_size(problem)
        await _beat(sessionmaker, run_id=run_id, problem_size=size)
        roster = await _solve_with_heartbeat(
            sessionmaker,
            run_id=run_id,
            problem=problem,
            time_limit=time_limit,
            workers=workers,
            on_progress=on_progress,
        )
        if roster is None:
            return RunResult(Outcome.CANCELLED, message="the run was stopped before it finished")
        pinned = set(problem.pinned)
        stats = roster.stats
        assert stats is not None
        async with transaction(sessionmaker) as session:
            written = await run_service.succeed_run(
                session,
                run_id=run_id,
                assignments=[
                    {
                        "volunteer_id": int(a.volunteer),
                        "headcount_line_id": int(a.slot),
                        "stock_id": None if a.stock is None else int(a.stock),
                        "pinned": a in pinned,
                    }
                    for a in roster.assignments
                ],
                gaps=[
                    {"headcount_line_id": int(u.slot), "missing": u.missing, "reason": u.reason}
                    for u in roster.unfilled
                ],
                stats={
                    "objective": stats.objective,
                    "bound": stats.bound,
                    "gap": stats.gap,
                    "changed_assignments": changed(problem.previous, roster.assignments),
                    "terms": stats.terms,
                    "bound_source": stats.bound_source,
                },
                notes=notes,
            )
        if written is None:
            return RunResult(Outcome.CANCELLED, message="the run was cancelled")
        missing = sum(u.missing for u in roster.unfilled)
        return RunResult(
            Outcome.SUCCEEDED,
            roster_id=written.id,
            message=f"{len(roster.assignments)} assignments, {missing} heads unfilled",
        )
    except Exception as exc:  # the run records every failure; the caller decides what to say
        log.exception("run failed", run_id=run_id)
        message = f"{type(exc).__name__}: {exc}"
        async with transaction(sessionmaker) as session:
            await run_service.fail_run(session, run_id=run_id, error=message)
        return RunResult(Outcome.FAILED, message=message)


def keep_valid_pins(problem: Problem, *, names: dict[str, str]) -> tuple[Problem, list[str]]:
    """Drop pins that now break a rule (say, the volunteer reported unwell), each with a note."""
    volunteers = {v.id for v in problem.volunteers}
    slots = {s.id for s in problem.slots}
    kept: list[Placement] = []
    notes: list[str] = []
    for pin in problem.pinned:
        who = names.get(pin.volunteer, f"volunteer {pin.volunteer}")
        if pin.volunteer not in volunteers or pin.slot not in slots:
            notes.append(f"pinned assignment of {who} dropped: outside the run's scope")
            continue
        reasons = why_not(problem, volunteer=pin.volunteer, slot=pin.slot)
        if reasons:
            notes.append(f"pinned assignment of {who} dropped: {'; '.join(reasons)}")
            continue
        kept.append(pin)
    return replace(problem, pinned=tuple(kept)), notes


def changed(previous: tuple[Placement, ...], assignments: tuple[Placement, ...]) -> int:
    """Placements added or removed on the slots the published roster staffed (kits aside).

    The same count the objective's ``changes`` term weighs; new days are not changes.
    """
    before = {(p.volunteer, p.slot) for p in previous}
    after = {(p.volunteer, p.slot) for p in assignments}
    published = {slot for _, slot in before}
    return sum(1 for _, slot in before ^ after if slot in published)


def problem_size(problem: Problem) -> dict[str, int]:
    """The figures a scheduler reads to judge a run's size."""
    return {
        "volunteers": len(problem.volunteers),
        "posts": len(problem.posts),
        "slots": len(problem.slots),
        "heads": sum(s.headcount for s in problem.slots),
        "stocks": len(problem.stocks),
        "pinned": len(problem.pinned),
        "previous": len(problem.previous),
    }


async def _solve_with_heartbeat(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    run_id: int,
    problem: Problem,
    time_limit: int,
    workers: int,
    on_progress: ProgressHook | None,
) -> Roster | None:
    """Solve in a daemon thread while beating and recording progress; None if the run was
    cancelled or failed meanwhile."""
    loop = asyncio.get_running_loop()
    points: list[dict[str, Any]] = []
    started = time.monotonic()

    def progress(p: Progress) -> None:
        point = {"seconds": round(p.time_s, 2), "objective": p.objective, "bound": p.bound}
        loop.call_soon_threadsafe(points.append, point)

    result: Future[Roster] = Future()

    def work() -> None:
        try:
            result.set_result(
                solve(problem, time_limit_s=time_limit, workers=workers, on_progress=progress)
            )
        except BaseException as exc:
            result.set_exception(exc)

    # A daemon thread: a cancelled run's process may exit without waiting for the solver.
    threading.Thread(target=work, name=f"solve-run-{run_id}", daemon=True).start()
    waiting = asyncio.wrap_future(result)
    while True:
        done, _ = await asyncio.wait({waiting}, timeout=BEAT_SECONDS)
        fresh, points[:] = points[:], []
        if on_progress is not None:
            on_progress({"seconds": round(time.monotonic() - started, 1), "limit": time_limit})
        status = await _beat(sessionmaker, run_id=run_id, progress=fresh)
        if status != RunStatus.RUNNING:
            return None
        if done:
            return waiting.result()


async def _beat(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    run_id: int,
    progress: list[dict[str, Any]] | None = None,
    problem_size: dict[str, int] | None = None,
) -> RunStatus:
    for attempt in range(3):
        try:
            async with transaction(sessionmaker) as session:
                return await run_service.beat(
                    session, run_id=run_id, progress=progress or (), problem_size=problem_size
                )
        except StaleDataError:
            # A cancel (or a watcher's verdict) changed the run meanwhile: read it again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
