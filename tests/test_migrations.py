"""The schema comes from migrations alone, and they match the models on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import Base


async def test_migrations_match_models(engine: AsyncEngine) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


@pytest.mark.parametrize(
    "statement",
    [
        # a shift that ends before it starts
        "INSERT INTO shifts (checkpoint_id, starts_at, ends_at, shift_type, created_at, updated_at)"
        " VALUES (1, '2026-11-24 14:00:00', '2026-11-24 06:00:00', 'DAY', CURRENT_TIMESTAMP,"
        " CURRENT_TIMESTAMP)",
        # a negative stock
        "INSERT INTO protective_stocks (item_id, day, quantity, created_at, updated_at)"
        " VALUES (1, '2026-11-24', -1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        # a dangling foreign key
        "INSERT INTO grids (name, code, organisation_id, latitude, longitude, created_at,"
        " updated_at) VALUES ('g', 'g', 999, 30, 110, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    ],
    ids=["shift-ends-before-start", "negative-stock", "dangling-foreign-key"],
)
async def test_database_refuses_bad_rows(engine: AsyncEngine, statement: str) -> None:
    async with engine.connect() as conn:
        await conn.execute(
            text(
                "INSERT INTO organisations (id, name, code, level, path, created_at, updated_at)"
                " VALUES (1, 'c', 'c', 'CENTRE', '/1/', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO protective_items (id, code, name, created_at, updated_at)"
                " VALUES (1, 'SUIT', 'suit', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        with pytest.raises(IntegrityError):
            await conn.execute(text(statement))
        await conn.rollback()
