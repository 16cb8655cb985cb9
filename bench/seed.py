"""Time loading reference scenarios into fresh databases, and paging through a big list.

    python bench/seed.py --scenario county --repeat 3 [--postgres-url URL] [--sqlite]

Each repeat migrates a fresh database (a scratch PostgreSQL database, dropped afterwards, or
an SQLite file in a temporary folder), then times `load_scenario` alone, then times reading
every volunteer page by page through the GraphQL API (100 a page). Prints medians.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from machine import describe, peak_rss_mib
from sqlalchemy import text

from db.migrate import upgrade
from db.scenarios.generate import load_scenario
from db.session import create_engine, create_sessionmaker
from muster.app import create_app
from muster.settings import Settings

PAGE = """query($after: String) { volunteers(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id name unit { name } organisation { name } } } }"""


async def _admin(url: str, sql: str) -> None:
    engine = create_engine(url)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(sql))
    await engine.dispose()


async def page_through(url: str) -> tuple[float, int]:
    """Seconds to read every volunteer, 100 a page, and the number of pages."""
    app = create_app(Settings(database_url=url, log_level="WARNING"))
    transport = httpx.ASGITransport(app=app)
    pages, after = 0, None
    started = time.perf_counter()
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        while True:
            body = {"query": PAGE, "variables": {"after": after}}
            data = (await http.post("/graphql", json=body)).json()["data"]["volunteers"]
            pages += 1
            if not data["pageInfo"]["hasNextPage"]:
                break
            after = data["pageInfo"]["endCursor"]
    elapsed = time.perf_counter() - started
    await app.state.engine.dispose()
    return elapsed, pages


async def one_run(url: str, scenario: str, seed: int) -> tuple[float, float, int]:
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    started = time.perf_counter()
    await load_scenario(create_sessionmaker(engine), shape=scenario, seed=seed)
    loaded = time.perf_counter() - started
    await engine.dispose()
    paged, pages = await page_through(url)
    return loaded, paged, pages


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="county", choices=["township", "county", "city"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--sqlite", action="store_true", help="also time the SQLite default")
    args = parser.parse_args()
    print(describe())
    backends = ["postgresql"] + (["sqlite"] if args.sqlite else [])
    for backend in backends:
        loads, pagings, pages = [], [], 0
        for _ in range(args.repeat):
            if backend == "postgresql":
                name = f"muster_bench_{uuid.uuid4().hex[:10]}"
                await _admin(args.postgres_url, f'CREATE DATABASE "{name}"')
                url = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
                try:
                    load, paging, pages = await one_run(url, args.scenario, args.seed)
                finally:
                    await _admin(args.postgres_url, f'DROP DATABASE "{name}" WITH (FORCE)')
            else:
                with tempfile.TemporaryDirectory() as folder:
                    url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
                    load, paging, pages = await one_run(url, args.scenario, args.seed)
            loads.append(load)
            pagings.append(paging)
        print(
            f"{backend:<10} {args.scenario}: load median {statistics.median(loads):.2f} s "
            f"(runs {', '.join(f'{x:.2f}' for x in loads)}); "
            f"all volunteers in {pages} pages of 100: median {statistics.median(pagings):.2f} s "
            f"({1000 * statistics.median(pagings) / pages:.1f} ms a page)"
        )
    print(f"peak memory {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
