"""The ``muster`` command: serve, migrate, seed, import, export the schema, run the demo."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from muster.cli_auth import apikey_app, demo_access, token_app
from muster.settings import Settings, get_settings

app = typer.Typer(help="Muster: volunteer register and shift rostering.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(apikey_app, name="apikey")
console = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", envvar="MUSTER_DATABASE_URL", help="SQLAlchemy async URL."),
]


class Scenario(StrEnum):
    township = "township"
    county = "county"
    city = "city"


class ImportKind(StrEnum):
    volunteers = "volunteers"
    certificates = "certificates"


def _settings(database_url: str | None, **overrides: object) -> Settings:
    settings = get_settings()
    changes = {"database_url": database_url} if database_url else {}
    return settings.model_copy(update=changes | overrides)


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOption = None, revision: str = "head") -> None:
    """Apply migrations (the only way a database gets its schema)."""
    from db.migrate import upgrade

    url = _settings(database_url).database_url
    upgrade(url, revision)
    console.print(f"[green]Database at {_redacted(url)} is at revision {revision}.")


@db_app.command("downgrade")
def db_downgrade(revision: str, database_url: DatabaseOption = None) -> None:
    """Revert migrations down to REVISION (``base`` empties the schema)."""
    from db.migrate import downgrade

    downgrade(_settings(database_url).database_url, revision)


@app.command()
def seed(
    scenario: Annotated[Scenario, typer.Option(help="Which reference shape.")] = Scenario.township,
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 1,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Load a reference scenario into an empty, migrated database."""
    from db.scenarios.generate import load_scenario

    url = _settings(database_url).database_url
    first_day = date.fromisoformat(start) if start else None

    async def run() -> None:
        async with _sessionmaker(url) as sessionmaker:
            summary = await load_scenario(
                sessionmaker, shape=scenario.value, seed=seed, start=first_day
            )
        console.print(
            f"[green]Loaded {summary.shape} (seed {summary.seed}), "
            f"{summary.start} to {summary.end}:"
        )
        for table, count in summary.counts.items():
            console.print(f"  {table:<32} {count:>9,}")

    try:
        asyncio.run(run())
    except ValueError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from exc


@app.command("import")
def import_file(
    kind: Annotated[ImportKind, typer.Argument(help="What the file lists.")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .xlsx")],
    database_url: DatabaseOption = None,
) -> None:
    """Import volunteers or certificates from CSV or Excel: every row or none."""
    from db.services.errors import ValidationFailed
    from db.services.imports import import_certificates, import_volunteers
    from db.session import transaction

    url = _settings(database_url).database_url
    importer = import_volunteers if kind is ImportKind.volunteers else import_certificates
    file_format = "xlsx" if path.suffix.lower() in {".xlsx", ".xlsm"} else "csv"

    async def run() -> int:
        async with _sessionmaker(url) as sessionmaker, transaction(sessionmaker) as session:
            result = await importer(session, data=path.read_bytes(), file_format=file_format)
        return result.created

    try:
        created = asyncio.run(run())
    except ValidationFailed as exc:
        console.print(f"[red]{path.name}: nothing imported; {len(exc.errors)} problem(s):")
        for error in exc.errors:
            where = f"row {error.row}, " if error.row else ""
            console.print(f"  {where}{error.field}: {error.message}")
        raise typer.Exit(2) from exc
    console.print(f"[green]Imported {created} {kind.value} from {path.name}.")


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql"),
) -> None:
    """Write the GraphQL schema as SDL (checked in as schema.graphql)."""
    from schema.sdl import schema_sdl

    output.write_text(schema_sdl())
    console.print(f"[green]Wrote {output}.")


@app.command()
def optimize(
    from_: Annotated[
        str, typer.Option("--from", help="First local day: YYYY-MM-DD, today or tomorrow.")
    ] = "tomorrow",
    days: Annotated[int, typer.Option(help="Days to plan.")] = 7,
    scope: Annotated[
        str | None, typer.Option(help="Organisation code or id (default: the whole centre).")
    ] = None,
    time_limit: Annotated[int, typer.Option(help="Solver time limit in seconds.")] = 60,
    publish: Annotated[bool, typer.Option(help="Publish the roster if the run succeeds.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Build the roster of the coming days (for cron). Exit 0 ok, 1 failed, 2 invalid input,
    3 nothing to do."""
    from muster.optimize import ExitCode, local_today, parse_day

    settings = _settings(database_url)
    try:
        start = parse_day(from_, today=local_today(settings))
    except ValueError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(ExitCode.INVALID) from exc
    report = asyncio.run(
        _optimize(
            settings, start=start, days=days, scope=scope, time_limit=time_limit, publish=publish
        )
    )
    raise typer.Exit(report.code)


async def _optimize(settings: Settings, **options: Any) -> Any:
    """Run once from the command line and say how it ended."""
    from muster.optimize import ExitCode, run_from_command
    from muster.progress import RunProgress

    async with _sessionmaker(settings.database_url) as sessionmaker:
        with RunProgress(console, limit=options["time_limit"]) as progress:
            report = await run_from_command(
                sessionmaker, settings=settings, on_progress=progress.update, **options
            )
    colour = "green" if report.code == ExitCode.OK else "yellow"
    if report.code in (ExitCode.FAILED, ExitCode.INVALID):
        colour = "red"
    published = " and published" if report.published else ""
    where = f"run {report.run_id}" if report.run_id else "no run"
    roster = f", roster {report.roster_id}{published}" if report.roster_id else ""
    console.print(f"[{colour}]{where}{roster}: {report.message}")
    return report


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(envvar="MUSTER_HOST")] = None,
    port: Annotated[int | None, typer.Option(envvar="MUSTER_PORT")] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Serve the API, GraphiQL at /graphql."""
    settings = _settings(database_url)
    _serve(settings, host=host or settings.host, port=port or settings.port)


@app.command()
def demo(
    path: Annotated[Path, typer.Option(help="The demo's SQLite file (made anew).")] = Path(
        "muster-demo.db"
    ),
    seed: int = 1,
    host: str = "127.0.0.1",
    port: int = 8000,
    serve_api: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    time_limit: Annotated[int, typer.Option(help="Seconds to build the roster.")] = 20,
) -> None:
    """A demo township in an embedded SQLite file, its week's roster built and published,
    served with GraphiQL."""
    from db.migrate import upgrade
    from db.scenarios.generate import load_scenario
    from muster.optimize import ExitCode, local_today

    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{path.resolve()}"
    upgrade(url)

    settings = _settings(url, environment="demo", graphiql=True)
    # The coming week, from tomorrow at the posts.
    start = local_today(settings) + timedelta(days=1)

    async def load() -> None:
        async with _sessionmaker(url) as sessionmaker:
            summary = await load_scenario(sessionmaker, shape="township", seed=seed, start=start)
        console.print(
            f"[green]Demo township loaded into {path}: "
            f"{summary.counts.get('volunteers', 0)} volunteers, "
            f"{summary.counts.get('checkpoints', 0)} posts, "
            f"{summary.counts.get('shifts', 0)} shifts from {summary.start} to {summary.end}."
        )
        console.print(f"Building the week's roster ({time_limit} s)...")
        report = await _optimize(
            settings,
            start=start,
            days=7,
            scope=None,
            time_limit=time_limit,
            publish=True,
            trigger="DEMO",
        )
        if report.code != ExitCode.OK:
            raise typer.Exit(report.code)

    asyncio.run(load())
    _print_guide(f"http://{host}:{port}/graphql", tomorrow=start)
    if serve_api:
        _serve(settings, host=host, port=port)


DEMO_QUERIES = (
    "{ rosters(first: 1, filter: {statuses: [PUBLISHED]}) { nodes { periodStart periodEnd"
    " run { status objective bound gap unfilledHeads }"
    " gaps(first: 5) { nodes { missing reason checkpoint { name } } }"
    " dispatchList { day kits item { name } checkpoint { name } } } } }",
    "{ rosterRuns(first: 1) { nodes { status problemSize objectiveTerms boundSource notes } } }",
    "{ volunteers(first: 5, filter: {kinds: [SOCIAL]}) { totalCount nodes { name } } }",
    "{ shifts(first: 5) { nodes { startsAt checkpoint { name } headcountLines { headcount } } } }",
    "{ protectiveStocks(first: 5, filter: {cityReserve: true}) { nodes { day quantity } } }",
)


def _print_guide(url: str, *, tomorrow: date) -> None:
    print(f"\nGraphiQL: {url}\n\nTry (the roster starts {tomorrow}):")
    for query in DEMO_QUERIES:
        print(f"  {query}")
    print(flush=True)


def _serve(settings: Settings, *, host: str, port: int) -> None:
    import uvicorn

    from muster.app import create_app

    settings = demo_access(settings, f"http://{host}:{port}/graphql")  # demo only: a token
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class _sessionmaker:
    """An engine for one command, disposed at the end."""

    def __init__(self, url: str) -> None:
        from db.session import create_engine, create_sessionmaker

        self.engine = create_engine(url)
        self.sessionmaker = create_sessionmaker(self.engine)

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        return self.sessionmaker

    async def __aexit__(self, *exc: object) -> None:
        await self.engine.dispose()
