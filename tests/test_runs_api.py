"""Roster runs end to end: start, watch, refuse a second, cancel, kill, publish, re-plan."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models as m
from db.models.enums import HealthStatus, RosterStatus, RunStatus
from matching import check
from muster.optimize import ExitCode, run_from_command
from muster.settings import Settings
from resolvers.roster_problem import planning_for_roster
from tests.factories import gid

START = date(2026, 11, 23)
SETTINGS = Settings(environment="test")

START_RUN = """
mutation($org: ID!, $limit: Int!, $days: Int!) {
  startRosterRun(input: {organisationId: $org, from: "2026-11-23", days: $days,
                         timeLimitSeconds: $limit, weights: {travel: 2}}) {
    run { id status periodStart periodEnd timeLimitSeconds weights }
    userErrors { field code message }
  }
}
"""
RUN = """
query($id: ID!) {
  node(id: $id) {
    ... on RosterRun {
      status error progress problemSize objective bound gap boundSource objectiveTerms
      unfilledHeads changedAssignments heartbeatAt notes trigger
      rosters { id status }
    }
  }
}
"""
PUBLISH = """
mutation($run: ID!) {
  publishRoster(input: {runId: $run}) {
    roster { id status periodStart periodEnd }
    replaced { id status }
    userErrors { field code message }
  }
}
"""
CANCEL = """
mutation($id: ID!) {
  cancelRosterRun(input: {id: $id}) { run { status error } userErrors { code message } }
}
"""


async def start(client, org: int, *, limit: int, days: int = 1) -> dict:  # type: ignore[no-untyped-def]
    result = await client.execute(
        START_RUN, {"org": gid("Organisation", org), "limit": limit, "days": days}
    )
    return result["data"]["startRosterRun"]


async def wait_for(client, run_id: str, *statuses: str, timeout: float = 120) -> dict:  # type: ignore[no-untyped-def]
    """Poll the run over the API until it reaches one of ``statuses``."""
    deadline = time.monotonic() + timeout
    while True:
        run = (await client.execute(RUN, {"id": run_id}))["data"]["node"]
        if run["status"] in statuses:
            return run
        assert time.monotonic() < deadline, f"run still {run['status']}: {run}"
        await asyncio.sleep(0.3)


async def published_assignments(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> dict[int, set[tuple[int, int]]]:
    """Published roster id → its (volunteer, headcount line) pairs."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(m.Roster.id, m.Assignment.volunteer_id, m.Assignment.headcount_line_id)
            .join(m.Assignment, m.Assignment.roster_id == m.Roster.id)
            .where(m.Roster.status == RosterStatus.PUBLISHED)
        )
    out: dict[int, set[tuple[int, int]]] = {}
    for roster_id, volunteer, line in rows:
        out.setdefault(roster_id, set()).add((volunteer, line))
    return out


async def checker_verdict(sessionmaker: async_sessionmaker[AsyncSession], roster_id: int) -> list:  # type: ignore[type-arg]
    """The optimizer's independent checker on a roster as stored in the register."""
    async with sessionmaker() as session:
        roster = await session.get(m.Roster, roster_id)
        assert roster is not None
        planning, plan = await planning_for_roster(session, roster=roster, zone=SETTINGS.zone)
    return check(planning.problem, plan)


async def test_a_run_is_started_watched_refused_twice_and_published(
    client, township, sessionmaker
) -> None:  # type: ignore[no-untyped-def]
    asked = time.monotonic()
    first = await start(client, township["centre"], limit=3)
    # The mutation answers at once; the solve goes on in its own process.
    assert time.monotonic() - asked < 5
    assert first["userErrors"] == []
    run = first["run"]
    assert run["status"] == "QUEUED"
    assert run["periodStart"] == run["periodEnd"] == "2026-11-23"
    assert run["weights"]["travel"] == 2 and run["weights"]["unfilled_head"] == 10_000

    # One run per scope at a time, and a scope inside an active run's scope is busy too.
    for org in (township["centre"], township["sub"]):
        second = await start(client, org, limit=3)
        assert second["run"] is None
        [error] = second["userErrors"]
        assert error["code"] == "CONFLICT" and "one run per scope" in error["message"]

    done = await wait_for(client, run["id"], "SUCCEEDED", "FAILED")
    assert done["status"] == "SUCCEEDED", done["error"]
    assert done["heartbeatAt"] and done["problemSize"]["heads"] > 0
    assert done["objective"] is not None
    # A bound is only given with the way it was proven.
    assert done["bound"] is None or done["boundSource"]
    assert set(done["objectiveTerms"]) >= {"cover", "travel", "fairness"}
    [proposed] = done["rosters"]
    assert proposed["status"] == "PROPOSED"

    published = (await client.execute(PUBLISH, {"run": run["id"]}))["data"]["publishRoster"]
    assert published["userErrors"] == []
    assert published["roster"]["status"] == "PUBLISHED" and published["replaced"] == []
    roster_id = int(_db_id(published["roster"]["id"]))
    assert await checker_verdict(sessionmaker, roster_id) == []
    # Gaps are stored with their reasons and add up to the run's unfilled heads.
    async with sessionmaker() as session:
        gaps = list(
            await session.scalars(select(m.RosterGap).where(m.RosterGap.roster_id == roster_id))
        )
    assert sum(g.missing for g in gaps) == done["unfilledHeads"]
    assert all(g.reason for g in gaps)

    again = (await client.execute(PUBLISH, {"run": run["id"]}))["data"]["publishRoster"]
    assert again["roster"] is None and again["userErrors"][0]["code"] == "CONFLICT"


async def test_a_killed_solver_fails_its_run_and_keeps_the_published_roster(
    client, township, sessionmaker
) -> None:  # type: ignore[no-untyped-def]
    report = await run_from_command(
        sessionmaker,
        settings=SETTINGS,
        start=START,
        days=1,
        scope=None,
        time_limit=3,
        publish=True,
    )
    assert report.code == ExitCode.OK, report.message
    before = await published_assignments(sessionmaker)

    run = (await start(client, township["centre"], limit=120))["run"]
    await wait_for(client, run["id"], "RUNNING")
    async with sessionmaker() as session:
        pid = (await session.get(m.RosterRun, int(_db_id(run["id"])))).pid  # type: ignore[union-attr]
    assert pid and pid != os.getpid()
    os.kill(pid, signal.SIGKILL)
    failed = await wait_for(client, run["id"], "FAILED", timeout=30)
    assert "killed" in failed["error"] and failed["rosters"] == []
    assert await published_assignments(sessionmaker) == before

    # The scope is free again and the next run succeeds.
    retry = (await start(client, township["centre"], limit=3))["run"]
    assert (await wait_for(client, retry["id"], "SUCCEEDED", "FAILED"))["status"] == "SUCCEEDED"


async def test_a_cancelled_run_writes_no_roster(client, township) -> None:  # type: ignore[no-untyped-def]
    run = (await start(client, township["centre"], limit=120))["run"]
    await wait_for(client, run["id"], "RUNNING")
    cancelled = (await client.execute(CANCEL, {"id": run["id"]}))["data"]["cancelRosterRun"]
    assert cancelled["userErrors"] == [] and cancelled["run"]["status"] == "CANCELLED"
    await asyncio.sleep(1.5)  # the process is stopped; nothing it did survives
    final = await wait_for(client, run["id"], "CANCELLED")
    assert final["rosters"] == []
    again = (await client.execute(CANCEL, {"id": run["id"]}))["data"]["cancelRosterRun"]
    assert again["userErrors"][0]["code"] == "CONFLICT"


async def test_replanning_after_a_volunteer_reports_unwell_changes_only_what_it_must(
    township, sessionmaker
) -> None:  # type: ignore[no-untyped-def]
    first = await run_from_command(
        sessionmaker,
        settings=SETTINGS,
        start=START,
        days=1,
        scope=None,
        time_limit=4,
        publish=True,
    )
    assert first.code == ExitCode.OK, first.message
    async with sessionmaker() as session, session.begin():
        assignments = list(
            await session.scalars(
                select(m.Assignment)
                .where(m.Assignment.roster_id == first.roster_id)
                .order_by(m.Assignment.id)
            )
        )
        unwell, pinned = assignments[0], assignments[-1]
        pinned.pinned = True
        session.add(
            m.HealthReport(
                volunteer_id=unwell.volunteer_id,
                day=START,
                reported_at=datetime.fromisoformat("2026-11-23T15:00:00+00:00"),  # 23:00 local
                status=HealthStatus.UNWELL,
            )
        )
    old = {(a.volunteer_id, a.headcount_line_id) for a in assignments}

    second = await run_from_command(
        sessionmaker,
        settings=SETTINGS,
        start=START,
        days=1,
        scope=None,
        time_limit=4,
        publish=True,
    )
    assert second.code == ExitCode.OK, second.message
    async with sessionmaker() as session:
        run = await session.get(m.RosterRun, second.run_id)
        new_rows = list(
            await session.scalars(
                select(m.Assignment).where(m.Assignment.roster_id == second.roster_id)
            )
        )
        first_roster = await session.get(m.Roster, first.roster_id)
    new = {(a.volunteer_id, a.headcount_line_id) for a in new_rows}
    assert first_roster.status == RosterStatus.ARCHIVED  # type: ignore[union-attr]
    assert unwell.volunteer_id not in {v for v, _ in new}
    assert (pinned.volunteer_id, pinned.headcount_line_id) in new
    assert any(a.pinned for a in new_rows if a.volunteer_id == pinned.volunteer_id)
    published_lines = {line for _, line in old}
    assert run.changed_assignments == sum(  # type: ignore[union-attr]
        1 for _, line in old ^ new if line in published_lines
    )
    assert len(old & new) >= 0.8 * len(old)
    assert await checker_verdict(sessionmaker, second.roster_id) == []  # type: ignore[arg-type]


async def test_the_command_says_nothing_to_do_and_refuses_bad_input(township, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    idle = await run_from_command(
        sessionmaker,
        settings=SETTINGS,
        start=date(2031, 1, 1),
        days=2,
        scope=None,
        time_limit=3,
        publish=True,
    )
    assert idle.code == ExitCode.NOTHING_TO_DO
    for options in ({"days": 0}, {"time_limit": 0}, {"scope": "no-such-org"}):
        bad = await run_from_command(
            sessionmaker,
            settings=SETTINGS,
            start=START,
            publish=False,
            **({"days": 1, "scope": None, "time_limit": 3} | options),  # type: ignore[arg-type]
        )
        assert bad.code == ExitCode.INVALID, options
    async with sessionmaker() as session:
        assert await session.scalar(select(m.Roster.id).limit(1)) is None


def _db_id(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def test_a_run_whose_heartbeat_stopped_is_failed_and_frees_its_scope(
    client, township, sessionmaker
) -> None:  # type: ignore[no-untyped-def]
    # A run left RUNNING by a server that went down: its last heartbeat is ten minutes old.
    async with sessionmaker() as session, session.begin():
        stale = m.RosterRun(
            organisation_id=township["centre"],
            period_start=START,
            period_end=START,
            status=RunStatus.RUNNING,
            time_limit_seconds=60,
            weights={},
            progress=[],
            problem_size={},
            objective_terms={},
            notes=[],
            pid=999_999,
            heartbeat_at=datetime.now(UTC) - timedelta(minutes=10),
        )
        session.add(stale)
    fresh = await start(client, township["centre"], limit=2)
    assert fresh["userErrors"] == []
    failed = (await client.execute(RUN, {"id": gid("RosterRun", stale.id)}))["data"]["node"]
    assert failed["status"] == "FAILED" and "stopped answering" in failed["error"]
    await wait_for(client, fresh["run"]["id"], "SUCCEEDED", "FAILED")
