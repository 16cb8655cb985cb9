"""What the run mutations need from the server: its solver processes and who is asking."""

from __future__ import annotations

from db import models as m
from db.services import runs as run_service
from db.session import transaction
from resolvers.context import Info
from resolvers.runs.processes import SolverProcesses


def solver_processes(info: Info) -> SolverProcesses:
    """The server's solver processes (made by the app at start-up)."""
    return info.context.request.app.state.solver_processes


async def launch_run(info: Info, *, run_id: int) -> m.RosterRun:
    """Start a queued run's solver process; a run that cannot start is failed, not left queued."""
    try:
        solver_processes(info).launch(run_id)
    except Exception as exc:
        async with transaction(info.context.sessionmaker) as session:
            await run_service.fail_run(
                session, run_id=run_id, error=f"the solver process could not start: {exc}"
            )
    async with info.context.sessionmaker() as session:
        return await run_service.get_run(session, run_id=run_id)


def stop_run(info: Info, *, run_id: int) -> None:
    """Stop a cancelled run's solver process, if this server runs it."""
    solver_processes(info).stop(run_id)


def requester(info: Info) -> str | None:
    """Who is asking, as the audit trail names them."""
    viewer = getattr(info.context, "viewer", None)
    return getattr(viewer, "subject", None)
