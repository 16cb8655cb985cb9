"""Loading a reference scenario into an empty register, in one transaction."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Base
from db.models.base import utcnow
from db.scenarios.build import build_rows
from db.scenarios.rows import TableRows
from db.scenarios.shapes import Shape, shape_named
from db.scenarios.timetable import default_start
from db.session import transaction


@dataclass(frozen=True)
class ScenarioSummary:
    """What a load wrote: rows per table and the local days the scenario covers."""

    shape: str
    seed: int
    start: date
    # The last local day, inclusive; its night shift ends at 06:00 the day after.
    end: date
    counts: dict[str, int]


async def load_scenario(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    shape: str | Shape,
    seed: int,
    start: date | None = None,
) -> ScenarioSummary:
    """Write the scenario into an empty migrated database, all or nothing."""
    resolved = shape if isinstance(shape, Shape) else shape_named(name=shape)
    start = start or default_start()
    async with transaction(sessionmaker) as session:
        await refuse_if_populated(session=session)
        # Building is pure CPU work; a thread keeps the event loop answering meanwhile.
        rows = await asyncio.to_thread(build_rows, shape=resolved, seed=seed, start=start)
        await insert_rows(session=session, rows=rows)
    return ScenarioSummary(
        shape=resolved.name,
        seed=seed,
        start=start,
        end=start + timedelta(days=resolved.days - 1),
        counts={name: len(table_rows) for name, table_rows in rows.items()},
    )


def scenario_tables() -> list[Table]:
    """The tables a scenario fills, parents before children."""
    names = {"roster_runs", "rosters", "assignments"}
    return [table for table in Base.metadata.sorted_tables if table.name not in names]


async def refuse_if_populated(*, session: AsyncSession) -> None:
    """Raise ValueError unless every table a scenario fills is empty."""
    populated = []
    for table in scenario_tables():
        if (await session.execute(select(1).select_from(table).limit(1))).first():
            populated.append(table.name)
    if populated:
        raise ValueError(
            "a scenario loads only into an empty register, but these tables hold rows: "
            + ", ".join(populated)
        )


async def insert_rows(*, session: AsyncSession, rows: TableRows) -> None:
    """Bulk-insert ``rows`` with their own ids, then move PostgreSQL's id sequences past them."""
    now = utcnow()
    for table in scenario_tables():
        table_rows = rows.get(table.name)
        if not table_rows:
            continue
        if "created_at" in table.c:
            # One timestamp for the whole load: the rows were created together.
            table_rows = [{**row, "created_at": now, "updated_at": now} for row in table_rows]
        await session.execute(insert(table), table_rows)
    if session.get_bind().dialect.name == "postgresql":
        await _advance_sequences(session=session, rows=rows)


async def _advance_sequences(*, session: AsyncSession, rows: TableRows) -> None:
    """Set each id sequence to the largest id the load wrote."""
    # Explicit ids leave the serial sequences at 1; later inserts would collide without this.
    for table in scenario_tables():
        table_rows = rows.get(table.name)
        if table_rows and "id" in table.c:
            await session.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last_id)"),
                {"table": table.name, "last_id": max(row["id"] for row in table_rows)},
            )
