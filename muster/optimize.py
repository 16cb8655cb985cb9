"""The roster run from the command line: the nightly job, and the demo's first roster.

The run is recorded like one started over the API (same checks, one run per scope at a
time, same proposed roster), but solved in this process, with a progress bar on a terminal
and structured log lines otherwise.
"""

from __future__ import annotations

import enum
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Organisation
from db.services import runs as run_service
from db.services.errors import ErrorCode, FieldError, ValidationFailed
from db.services.publishing import publish_roster
from db.session import transaction
from muster.settings import Settings
from resolvers.runs.execute import Outcome, execute_run
from schema.runs.inputs import weights_from

log = structlog.get_logger("muster.optimize")


class ExitCode(enum.IntEnum):
    """What `muster optimize` tells cron."""

    OK = 0
    FAILED = 1
    INVALID = 2
    NOTHING_TO_DO = 3


@dataclass(frozen=True)
class Report:
    """How a command-line run ended."""

    code: ExitCode
    message: str
    run_id: int | None = None
    roster_id: int | None = None
    published: bool = False


def parse_day(text: str, *, today: date) -> date:
    """``today``, ``tomorrow`` or an ISO date."""
    words = {"today": today, "tomorrow": today + timedelta(days=1)}
    if text in words:
        return words[text]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--from must be YYYY-MM-DD, today or tomorrow, not {text!r}") from None


def local_today(settings: Settings) -> date:
    """Today at the posts."""
    return datetime.now(settings.zone).date()


async def run_from_command(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    settings: Settings,
    start: date,
    days: int,
    scope: str | None,
    time_limit: int,
    publish: bool,
    trigger: str = "NIGHTLY",
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> Report:
    """Start, solve and (optionally) publish one run; never raises for a user's mistake."""
    try:
        async with transaction(sessionmaker) as session:
            organisation_id = await _scope_id(session, scope)
            run = await run_service.start_run(
                session,
                organisation_id=organisation_id,
                period_start=start,
                days=days,
                time_limit_seconds=time_limit,
                weights=weights_from(None),
                trigger=trigger,
                requested_by=f"{os.environ.get('USER', 'cron')}@{socket.gethostname()}",
                heartbeat_timeout=settings.run_heartbeat_timeout,
            )
            run_id = run.id
    except ValidationFailed as exc:
        conflict = any(e.code == ErrorCode.CONFLICT for e in exc.errors)
        return Report(ExitCode.FAILED if conflict else ExitCode.INVALID, str(exc))
    log.info("run started", run_id=run_id, start=str(start), days=days, time_limit=time_limit)
    result = await execute_run(
        sessionmaker,
        run_id=run_id,
        zone=settings.zone,
        pid=os.getpid(),
        host=socket.gethostname(),
        workers=settings.run_workers,
        on_progress=on_progress,
    )
    if result.outcome == Outcome.NOTHING_TO_DO:
        return Report(ExitCode.NOTHING_TO_DO, result.message, run_id)
    if result.outcome != Outcome.SUCCEEDED or result.roster_id is None:
        return Report(ExitCode.FAILED, f"{result.outcome.lower()}: {result.message}", run_id)
    if publish:
        try:
            async with transaction(sessionmaker) as session:
                await publish_roster(session, roster_id=result.roster_id, zone=settings.zone)
        except ValidationFailed as exc:
            return Report(ExitCode.FAILED, f"publishing failed: {exc}", run_id, result.roster_id)
    return Report(ExitCode.OK, result.message, run_id, result.roster_id, publish)


async def _scope_id(session: AsyncSession, scope: str | None) -> int:
    """The scope by code or id; without one, the single root of the organisation tree."""
    if scope is None:
        roots = list(
            await session.scalars(select(Organisation.id).where(Organisation.parent_id.is_(None)))
        )
        if len(roots) != 1:
            raise ValidationFailed(
                [_invalid("scope", f"{len(roots)} root organisations: give --scope")]
            )
        return roots[0]
    found = await session.scalar(
        select(Organisation.id).where(
            (Organisation.code == scope)
            | (Organisation.id == (int(scope) if scope.isdigit() else -1))
        )
    )
    if found is None:
        raise ValidationFailed([_invalid("scope", f"no organisation with code or id {scope!r}")])
    return found


def _invalid(field: str, message: str) -> FieldError:
    return FieldError(field, ErrorCode.INVALID, message)
