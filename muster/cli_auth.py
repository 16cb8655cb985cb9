"""``muster token`` and ``muster apikey``: credentials for operators and machine callers, and
the demo's ready-made GraphiQL access."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import quote

import typer
from pydantic import SecretStr
from rich.console import Console

from muster.settings import Settings, get_settings
from resolvers.viewer import Role

token_app = typer.Typer(help="Bearer tokens (JWT) for people.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for machine callers.", no_args_is_help=True)
console = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", envvar="MUSTER_DATABASE_URL", help="SQLAlchemy async URL."),
]
RoleOption = Annotated[Role, typer.Option(help="admin, scheduler, coordinator or volunteer.")]
OrgOption = Annotated[
    str | None,
    typer.Option("--org", help="Coordinator's organisation: code, id or global id."),
]
VolunteerOption = Annotated[
    str | None,
    typer.Option("--volunteer", help="Volunteer's id, global id or resident ID number."),
]
DURATION = re.compile(r"^(\d+)([mhd])$")


def parse_expiry(value: str, *, now: datetime | None = None) -> timedelta:
    """``30m``, ``12h``, ``7d`` or an ISO date-time, as a lifetime from now."""
    now = now or datetime.now(UTC)
    if match := DURATION.match(value.strip()):
        amount, unit = int(match[1]), match[2]
        return timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: amount})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter("use 30m, 12h, 7d or an ISO date-time") from exc
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment <= now:
        raise typer.BadParameter("the expiry is in the past")
    return moment - now


def _global_id(value: str, type_name: str) -> int | None:
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except ValueError:
        return None
    kind, _, ident = decoded.partition(":")
    return int(ident) if kind == type_name and ident.isdigit() else None


async def _lookup(settings: Settings, model: str, value: str) -> int:
    """The database id of an organisation (by code) or volunteer (by ID number)."""
    from sqlalchemy import select

    from db import models as m
    from db.session import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            if model == "Organisation":
                query = select(m.Organisation.id).where(m.Organisation.code == value)
            else:
                query = select(m.Volunteer.id).where(m.Volunteer.id_number == value)
            found = await session.scalar(query)
    finally:
        await engine.dispose()
    if found is None:
        raise typer.BadParameter(f"no {model.lower()} {value!r} in {settings.database_url}")
    return int(found)


def resolve_id(settings: Settings, model: str, value: str | None) -> int | None:
    """An id given as a number, a global id, or a code / ID number looked up in the database."""
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    if (ident := _global_id(value, model)) is not None:
        return ident
    return asyncio.run(_lookup(settings, model, value))


def _settings(database_url: str | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"database_url": database_url}) if database_url else settings


def _scope(role: Role, org: int | None, volunteer: int | None) -> None:
    if role is Role.COORDINATOR and org is None:
        raise typer.BadParameter("a coordinator needs --org")
    if role is Role.VOLUNTEER and volunteer is None:
        raise typer.BadParameter("a volunteer needs --volunteer")


@token_app.command("create")
def token_create(
    role: RoleOption,
    org: OrgOption = None,
    volunteer: VolunteerOption = None,
    expires: Annotated[str, typer.Option(help="30m, 12h, 7d or an ISO date-time.")] = "12h",
    subject: Annotated[
        str | None,
        typer.Option(help="Who the token is for (its `sub`); by default the role and scope."),
    ] = None,
    private_key: Annotated[
        str | None,
        typer.Option(envvar="MUSTER_JWT_PRIVATE_KEY", help="RS256: PEM private key or its path."),
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Print a signed token (alone on stdout) for a role and scope."""
    from muster.auth import Unauthenticated, issue_token

    settings = _settings(database_url)
    organisation_id = resolve_id(settings, "Organisation", org)
    volunteer_id = resolve_id(settings, "Volunteer", volunteer)
    _scope(role, organisation_id, volunteer_id)
    lifetime = parse_expiry(expires)
    if subject is None:  # distinct per scope, so two callers never share idempotency keys
        scope = {Role.COORDINATOR: organisation_id, Role.VOLUNTEER: volunteer_id}.get(role)
        subject = role.value if scope is None else f"{role.value}-{scope}"
    try:
        token = issue_token(
            settings,
            subject=subject,
            role=role,
            organisation_id=organisation_id if role is Role.COORDINATOR else None,
            volunteer_id=volunteer_id if role is Role.VOLUNTEER else None,
            lifetime=lifetime,
            private_key=private_key,
        )
    except (Unauthenticated, ValueError) as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from exc
    console.print(f"[green]{role.value} token for {subject}, valid {lifetime}.")
    print(token)


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Option(help="A unique name, e.g. nightly-roster.")],
    role: RoleOption = Role.SCHEDULER,
    org: OrgOption = None,
    volunteer: VolunteerOption = None,
    expires: Annotated[
        str | None, typer.Option(help="30m, 12h, 7d or an ISO date-time; none by default.")
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Make an API key and print it once (alone on stdout); only its hash is stored."""
    from sqlalchemy.exc import IntegrityError

    from db.services.api_keys import create_api_key

    settings = _settings(database_url)
    organisation_id = resolve_id(settings, "Organisation", org)
    volunteer_id = resolve_id(settings, "Volunteer", volunteer)
    _scope(role, organisation_id, volunteer_id)
    expires_at = datetime.now(UTC) + parse_expiry(expires) if expires else None

    async def run() -> str:
        async with _transaction(settings) as session:
            made = await create_api_key(
                session,
                name=name,
                role=role.value,
                organisation_id=organisation_id if role is Role.COORDINATOR else None,
                volunteer_id=volunteer_id if role is Role.VOLUNTEER else None,
                expires_at=expires_at,
            )
            return made.key

    try:
        key = asyncio.run(run())
    except IntegrityError as exc:
        console.print(f"[red]An API key named {name!r} exists already (or its scope is unknown).")
        raise typer.Exit(2) from exc
    console.print(
        f"[green]API key {name!r} ({role.value}). Store it now: it is not shown again. "
        "Send it as `X-API-Key: <key>`."
    )
    print(key)


@apikey_app.command("revoke")
def apikey_revoke(name: str, database_url: DatabaseOption = None) -> None:
    """Revoke the API key called NAME: it stops working at once."""
    from db.services.api_keys import revoke_api_key

    async def run() -> bool:
        async with _transaction(_settings(database_url)) as session:
            return await revoke_api_key(session, name) is not None

    if not asyncio.run(run()):
        console.print(f"[red]No API key named {name!r}.")
        raise typer.Exit(2)
    console.print(f"[green]API key {name!r} revoked.")


@apikey_app.command("list")
def apikey_list(database_url: DatabaseOption = None) -> None:
    """List API keys (names, roles, state; never the keys)."""
    from db.services.api_keys import list_api_keys

    async def run() -> list[tuple[str, ...]]:
        async with _transaction(_settings(database_url)) as session:
            return [
                (
                    k.name,
                    k.role,
                    "revoked" if k.revoked_at else "live",
                    k.expires_at.isoformat() if k.expires_at else "-",
                )
                for k in await list_api_keys(session)
            ]

    for row in asyncio.run(run()):
        print("\t".join(row))


class _transaction:
    """One transaction on the settings' database, its engine disposed afterwards."""

    def __init__(self, settings: Settings) -> None:
        from db.session import create_engine, create_sessionmaker

        self.engine = create_engine(settings.database_url)
        self.sessionmaker = create_sessionmaker(self.engine)

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        from db.session import transaction

        self._tx = transaction(self.sessionmaker)
        return await self._tx.__aenter__()

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._tx.__aexit__(*exc)  # type: ignore[arg-type]
        finally:
            await self.engine.dispose()


def demo_access(settings: Settings, url: str) -> Settings:
    """The demo's settings with a secret of its own, and a scheduler token printed with a
    GraphiQL link that carries it. Demo only: the API still checks every request."""
    from muster.auth import issue_token

    if settings.environment != "demo":
        return settings
    if settings.jwt_algorithm != "HS256" or settings.jwt_secret is None:
        secret = SecretStr(secrets.token_urlsafe(32))
        settings = settings.model_copy(update={"jwt_algorithm": "HS256", "jwt_secret": secret})
    token = issue_token(
        settings, subject="demo-scheduler", role=Role.SCHEDULER, lifetime=timedelta(hours=24)
    )
    headers = json.dumps({"Authorization": f"Bearer {token}"})
    print(
        "\nEvery request needs a credential. This demo's scheduler token (valid 24 h, this run "
        f"only):\n\n  {token}\n\nGraphiQL with the token already in its Headers tab:\n\n"
        f"  {url}?headers={quote(headers)}\n\n"
        f'Or from a shell: curl -H "Authorization: Bearer $TOKEN" ...\n',
        flush=True,
    )
    return settings
