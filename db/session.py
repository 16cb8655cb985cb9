"""Engines and sessions: one engine per database URL, SQLite tuned for an embedded file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    """Whether the URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def _enable_sqlite_integrity(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str, *, echo: bool = False, statement_timeout: float = 0) -> AsyncEngine:
    """An async engine for ``url`` with the pragmas and pool the backend needs.

    ``statement_timeout`` (seconds, 0 for none) makes PostgreSQL cancel longer statements.
    """
    kwargs: dict[str, Any] = {"echo": echo}
    if not is_sqlite(url):
        kwargs |= {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True}
        if statement_timeout > 0:
            milliseconds = str(max(1, round(statement_timeout * 1000)))
            kwargs["connect_args"] = {"server_settings": {"statement_timeout": milliseconds}}
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _enable_sqlite_integrity)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session whose work commits on success and rolls back on any error."""
    async with sessionmaker() as session, session.begin():
        yield session
