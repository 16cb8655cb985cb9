"""Solver processes: the API starts each run in a process of its own and watches it.

A separate process keeps the server's event loop answering while CP-SAT works, and a crash of
the solver cannot take the server down. When a process ends without having finished its run
(killed, out of memory, crashed), the watcher marks the run FAILED; a server that itself dies
leaves runs whose heartbeat stops, and those are failed by the next start (see
``db.services.runs.fail_dead_runs``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
from multiprocessing.process import BaseProcess
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.services import runs as run_service
from db.session import create_engine, create_sessionmaker, transaction
from resolvers.runs.execute import execute_run

log = structlog.get_logger("muster.runs")


def solver_process_main(database_url: str, run_id: int, time_zone: str, workers: int) -> None:
    """Entry point of a solver process: its own engine, one run, then exit."""

    async def main() -> None:
        engine = create_engine(database_url)
        try:
            result = await execute_run(
                create_sessionmaker(engine),
                run_id=run_id,
                zone=ZoneInfo(time_zone),
                pid=os.getpid(),
                host=socket.gethostname(),
                workers=workers,
            )
            log.info("run ended", run_id=run_id, outcome=result.outcome, message=result.message)
        finally:
            await engine.dispose()

    asyncio.run(main())


class SolverProcesses:
    """The solver processes this server started, by run id."""

    def __init__(
        self,
        *,
        database_url: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        time_zone: str,
        workers: int,
    ) -> None:
        self._database_url = database_url
        self._sessionmaker = sessionmaker
        self._time_zone = time_zone
        self._workers = workers
        self._processes: dict[int, BaseProcess] = {}
        self._watchers: set[asyncio.Task[None]] = set()
        # spawn, not fork: a fork of a running event loop and its connections is unsafe.
        self._context = multiprocessing.get_context("spawn")

    def launch(self, run_id: int) -> int:
        """Start the solver process of a QUEUED run; its pid."""
        process = self._context.Process(
            target=solver_process_main,
            args=(self._database_url, run_id, self._time_zone, self._workers),
            name=f"muster-run-{run_id}",
        )
        process.start()
        self._processes[run_id] = process
        watcher = asyncio.get_running_loop().create_task(self._watch(run_id, process))
        self._watchers.add(watcher)
        watcher.add_done_callback(self._watchers.discard)
        log.info("run started", run_id=run_id, pid=process.pid)
        assert process.pid is not None
        return process.pid

    def stop(self, run_id: int) -> bool:
        """Stop a run's process (after it was marked CANCELLED); False if none is running."""
        process = self._processes.get(run_id)
        if process is None or not process.is_alive():
            return False
        process.terminate()
        return True

    async def close(self) -> None:
        """Stop every running solver (the server is going down); their runs are failed."""
        for process in self._processes.values():
            if process.is_alive():
                process.terminate()
        if self._watchers:
            await asyncio.gather(*self._watchers, return_exceptions=True)

    async def _watch(self, run_id: int, process: BaseProcess) -> None:
        await asyncio.to_thread(process.join)
        self._processes.pop(run_id, None)
        code = process.exitcode
        if code is not None and code < 0:
            why = f"the solver process was killed ({signal.Signals(-code).name})"
        else:
            why = f"the solver process ended (exit code {code}) before finishing the run"
        async with transaction(self._sessionmaker) as session:
            if await run_service.fail_run(session, run_id=run_id, error=why, pid=process.pid):
                log.warning("run failed", run_id=run_id, error=why)
