"""``muster token create`` and ``muster apikey ...`` as an operator runs them."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from db.services.api_keys import find_api_key
from db.session import create_engine, create_sessionmaker
from muster.cli import app
from muster.settings import get_settings
from tests.conftest import TEST_JWT_SECRET

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    monkeypatch.setenv("MUSTER_JWT_SECRET", TEST_JWT_SECRET)
    get_settings.cache_clear()
    path = tmp_path / "auth.db"
    url = f"sqlite+aiosqlite:///{path}"
    assert runner.invoke(app, ["db", "upgrade", "--database-url", url]).exit_code == 0
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO organisations (id, name, code, level, path, created_at, updated_at)"
            " VALUES (7, 'Station 7', 'st-7', 'STATION', '/7/', CURRENT_TIMESTAMP,"
            " CURRENT_TIMESTAMP)"
        )
    yield url, path
    get_settings.cache_clear()


def claims(token: str) -> dict[str, object]:
    return jwt.decode(token, TEST_JWT_SECRET, algorithms=["HS256"], audience="muster-api")


def test_token_create_signs_a_token_for_a_role_and_scope(database: tuple[str, Path]) -> None:
    url, _ = database
    result = runner.invoke(
        app,
        [
            "token",
            "create",
            "--role",
            "coordinator",
            "--org",
            "st-7",
            "--expires",
            "2h",
            "--subject",
            "ana",
            "--database-url",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    found = claims(token)
    assert (found["sub"], found["role"], found["org"]) == ("ana", "coordinator", 7)
    assert 7000 < int(found["exp"]) - int(found["iat"]) <= 7200  # type: ignore[call-overload]
    missing = runner.invoke(app, ["token", "create", "--role", "volunteer"])
    assert missing.exit_code == 2 and "--volunteer" in missing.output
    unknown = runner.invoke(
        app, ["token", "create", "--role", "coordinator", "--org", "nowhere", "--database-url", url]
    )
    assert unknown.exit_code == 2 and "nowhere" in unknown.output


def test_token_create_needs_a_secret(
    database: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MUSTER_JWT_SECRET")
    get_settings.cache_clear()
    result = runner.invoke(app, ["token", "create", "--role", "admin"])
    assert result.exit_code == 2 and "MUSTER_JWT_SECRET" in result.output


def test_apikey_create_shows_the_key_once_and_revoke_stops_it(
    database: tuple[str, Path],
) -> None:
    url, path = database
    made = runner.invoke(
        app, ["apikey", "create", "--name", "nightly", "--role", "scheduler", "--database-url", url]
    )
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("mk_") and "not shown again" in made.output
    with sqlite3.connect(path) as conn:
        stored = conn.execute("SELECT * FROM api_keys").fetchall()
    secret = key.split("_", 2)[2]  # mk_<prefix>_<secret>; the secret may hold "_" too
    assert len(stored) == 1 and secret not in repr(stored)

    async def live() -> bool:
        engine = create_engine(url)
        async with create_sessionmaker(engine)() as session:
            found = await find_api_key(session, key)
        await engine.dispose()
        return found is not None

    assert asyncio.run(live())
    listed = runner.invoke(app, ["apikey", "list", "--database-url", url])
    assert "nightly\tscheduler\tlive" in listed.stdout and key not in listed.stdout
    again = runner.invoke(app, ["apikey", "create", "--name", "nightly", "--database-url", url])
    assert again.exit_code == 2 and "exists already" in again.output
    assert runner.invoke(app, ["apikey", "revoke", "nightly", "--database-url", url]).exit_code == 0
    assert not asyncio.run(live())
    assert runner.invoke(app, ["apikey", "revoke", "nobody", "--database-url", url]).exit_code == 2


def test_the_demo_prints_a_ready_token_and_graphiql_link(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from urllib.parse import unquote

    from muster.auth import decode_token
    from muster.cli_auth import demo_access
    from muster.settings import Settings

    url = "http://127.0.0.1:8000/graphql"
    settings = demo_access(Settings(environment="demo"), url)
    printed = capsys.readouterr().out
    link = next(line.strip() for line in printed.splitlines() if line.strip().startswith(url))
    token = unquote(link.split("?headers=", 1)[1]).split("Bearer ", 1)[1].split('"')[0]
    assert decode_token(settings, token).role.value == "scheduler"
    # Anywhere but the demo, nothing is made up and nothing printed.
    production = Settings(environment="production")
    assert demo_access(production, url) is production
    assert capsys.readouterr().out == ""
