"""Fixtures: the suite runs once per database backend, each run on a database of its own."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.migrate import upgrade
from db.models import Base
from db.session import create_engine, create_sessionmaker

POSTGRES_ADMIN_URL = os.environ.get(
    "MUSTER_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]
# Tests sign their tokens with this secret; the ``app`` fixture verifies with it.
TEST_JWT_SECRET = "muster-test-secret-0123456789abcdef"


def make_token(
    role: str = "admin",
    *,
    organisation_id: int | None = None,
    volunteer_id: int | None = None,
    subject: str | None = None,
    **settings: object,
) -> str:
    """A bearer token for tests (``settings`` override e.g. ``jwt_audience``)."""
    from muster.auth import issue_token
    from muster.settings import Settings

    return issue_token(
        Settings(jwt_secret=TEST_JWT_SECRET, **settings),  # type: ignore[arg-type]
        subject=subject or f"test-{role}",
        role=role,
        organisation_id=organisation_id,
        volunteer_id=volunteer_id,
    )


def auth_headers(role: str = "admin", **scope: int | None) -> dict[str, str]:
    """Request headers authenticating as ``role`` (with ``organisation_id``/``volunteer_id``)."""
    return {"Authorization": f"Bearer {make_token(role, **scope)}"}


def _postgres_unavailable(reason: str) -> None:
    # In CI a missing PostgreSQL is a failure, never a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {reason}")


async def _admin_execute(sql: str) -> None:
    engine = create_engine(POSTGRES_ADMIN_URL)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
async def database_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A freshly migrated database for this test run, dropped afterwards."""
    if backend == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "muster.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
        yield url
        return
    name = f"muster_test_{uuid.uuid4().hex[:12]}"
    try:
        await _admin_execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # any connection failure means "unavailable"
        _postgres_unavailable(f"{type(exc).__name__}: {exc}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def _empty_all_tables(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{t}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            # Organisations point at their parents; order within one table is unknown.
            await conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in tables:
                await conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
async def sessionmaker(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an empty register; every table is emptied after the test."""
    yield create_sessionmaker(engine)
    await _empty_all_tables(engine)


@pytest.fixture
def repo_root() -> Iterator[Path]:
    yield Path(__file__).resolve().parents[1]


@pytest.fixture
async def app(database_url: str, sessionmaker: async_sessionmaker[AsyncSession]):  # type: ignore[no-untyped-def]
    """The service bound to the test database (tables emptied after each test)."""
    from muster.app import create_app
    from muster.settings import Settings

    application = create_app(
        Settings(database_url=database_url, environment="test", jwt_secret=TEST_JWT_SECRET)
    )
    yield application
    await application.state.solver_processes.close()
    await application.state.engine.dispose()


@pytest.fixture
async def client(app):  # type: ignore[no-untyped-def]
    """An HTTP client talking to the app in-process, authenticated as an admin;
    ``client.as_(role=..., organisation_id=..., volunteer_id=...)`` acts as someone else."""
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://muster.test", headers=auth_headers("admin")
    ) as http:
        yield GraphQLClient(http, app)


class GraphQLClient:
    """Posts GraphQL documents and counts the SQL statements each one issues."""

    def __init__(self, http, app, headers: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        self.http = http
        self.app = app
        self.headers = headers or {}
        self.statements: list[str] = []
        event.listen(
            app.state.engine.sync_engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_a: self.statements.append(statement),
        )

    def as_(
        self,
        role: str = "volunteer",
        *,
        organisation_id: int | None = None,
        volunteer_id: int | None = None,
        subject: str | None = None,
    ) -> GraphQLClient:
        """The same client acting as another caller (ids are database ids)."""
        token = make_token(
            role, organisation_id=organisation_id, volunteer_id=volunteer_id, subject=subject
        )
        return GraphQLClient(self.http, self.app, headers={"Authorization": f"Bearer {token}"})

    async def execute(self, query: str, variables: dict | None = None) -> dict:  # type: ignore[type-arg]
        self.statements.clear()
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.status_code in (200, 400), response.text
        return response.json()


# The township scenario's first day, for tests of roster runs.
TOWNSHIP_START = date(2026, 11, 23)


@pytest.fixture
async def township(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """The township scenario; the ids of its centre and of one sub-centre."""
    from sqlalchemy import select

    from db import models as m
    from db.scenarios.generate import load_scenario

    await load_scenario(sessionmaker, shape="township", seed=1, start=TOWNSHIP_START)
    async with sessionmaker() as session:
        centre = await session.scalar(
            select(m.Organisation.id).where(m.Organisation.parent_id.is_(None))
        )
        sub = await session.scalar(
            select(m.Organisation.id).where(m.Organisation.parent_id == centre).limit(1)
        )
    return {"centre": centre, "sub": sub}
