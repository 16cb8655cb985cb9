"""Progress of a command-line run: a bar on a terminal, structured log lines otherwise."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

import structlog
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

log = structlog.get_logger("muster.optimize")
# Without a terminal, one line every this many seconds is enough for a cron log.
LOG_EVERY_SECONDS = 10.0


class RunProgress:
    """Shows a run's solve against its time limit."""

    def __init__(self, console: Console, *, limit: int) -> None:
        self._limit = limit
        self._last_log = 0.0
        self._bar: Progress | None = None
        if console.is_terminal:
            self._bar = Progress(
                TextColumn("solving"),
                BarColumn(),
                TextColumn("{task.completed:.0f}/{task.total:.0f} s"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self._task = self._bar.add_task("solve", total=limit)

    def update(self, point: dict[str, Any]) -> None:
        """A heartbeat of the run: seconds spent so far."""
        seconds = min(float(point.get("seconds", 0.0)), self._limit)
        if self._bar is not None:
            self._bar.update(self._task, completed=seconds)
        elif time.monotonic() - self._last_log >= LOG_EVERY_SECONDS:
            self._last_log = time.monotonic()
            log.info("solving", seconds=round(seconds), limit=self._limit)

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
