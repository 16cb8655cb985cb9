"""The ``muster`` command as an operator uses it, on a scratch SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from muster.cli import app
from schema.sdl import schema_sdl
from tests.factories import resident_id

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "cli.db"
    url = f"sqlite+aiosqlite:///{path}"
    result = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    return url, path


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_seed_loads_the_township_once(database: tuple[str, Path]) -> None:
    url, path = database
    result = runner.invoke(
        app, ["seed", "--scenario", "township", "--seed", "3", "--database-url", url]
    )
    assert result.exit_code == 0, result.output
    assert count(path, "volunteers") == 300
    again = runner.invoke(app, ["seed", "--database-url", url])
    assert again.exit_code == 2
    assert count(path, "volunteers") == 300


def test_import_reports_bad_rows_and_writes_nothing(
    database: tuple[str, Path], tmp_path: Path
) -> None:
    url, path = database
    runner.invoke(app, ["seed", "--database-url", url])
    before = count(path, "volunteers")
    with sqlite3.connect(path) as conn:
        org = conn.execute("SELECT code FROM organisations LIMIT 1").fetchone()[0]
    good_id, bad_id = resident_id(1), resident_id(2)[:-1] + "Y"
    bad = tmp_path / "people.csv"
    bad.write_text(
        "name,kind,organisation,phone,id_number,home_latitude,home_longitude\n"
        f"Zhang Wei,SOCIAL,{org},13900000001,{good_id},30.9,110.9\n"
        f"Wang Fang,SOCIAL,{org},13900000002,{bad_id},30.9,110.9\n"
    )
    result = runner.invoke(app, ["import", "volunteers", str(bad), "--database-url", url])
    assert result.exit_code == 2
    assert "row 3" in result.output and "id_number" in result.output
    assert count(path, "volunteers") == before


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    out = tmp_path / "schema.graphql"
    result = runner.invoke(app, ["export-schema", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == schema_sdl()
