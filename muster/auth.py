"""Credentials: bearer JWTs (HS256 or RS256, issuer, audience and expiry checked) and API keys.

``authenticate`` turns a request's headers into a ``Viewer`` or raises ``Unauthenticated`` with
a message fit for the caller. Tokens carry ``sub``, ``role`` and, by role, ``org`` (the
coordinator's organisation id) or ``vol`` (the volunteer's id).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.services.api_keys import find_api_key, looks_like_key
from muster.settings import Settings
from resolvers.viewer import Role, Viewer

API_KEY_HEADER = "x-api-key"


class Unauthenticated(Exception):
    """No usable credential; the message says what was wrong (never why a key failed)."""


@lru_cache(maxsize=8)
def _pem(value: str) -> str:
    """A PEM given inline or as a path to a file (read once, not on every request)."""
    return value if "-----BEGIN" in value else Path(value).read_text()


def verification_key(settings: Settings) -> str:
    """The key tokens are checked with; refuses to work without one."""
    if settings.jwt_algorithm == "RS256":
        if not settings.jwt_public_key:
            raise Unauthenticated("Tokens cannot be checked: MUSTER_JWT_PUBLIC_KEY is not set.")
        return _pem(settings.jwt_public_key)
    if settings.jwt_secret is None or not settings.jwt_secret.get_secret_value():
        raise Unauthenticated("Tokens cannot be checked: MUSTER_JWT_SECRET is not set.")
    return settings.jwt_secret.get_secret_value()


def issue_token(
    settings: Settings,
    *,
    subject: str,
    role: Role | str,
    organisation_id: int | None = None,
    volunteer_id: int | None = None,
    lifetime: timedelta = timedelta(hours=12),
    private_key: str | None = None,
    now: datetime | None = None,
) -> str:
    """A signed token for ``subject``; RS256 needs ``private_key`` (PEM or path)."""
    role = Role(role)
    Viewer(subject, role, organisation_id, volunteer_id)  # refuses a role without its scope
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + lifetime,
        "role": role.value,
    }
    if organisation_id is not None:
        claims["org"] = organisation_id
    if volunteer_id is not None:
        claims["vol"] = volunteer_id
    if settings.jwt_algorithm == "RS256":
        if not private_key:
            raise ValueError("RS256 tokens are signed with a private key: pass one")
        key = _pem(private_key)
    else:
        key = verification_key(settings)
    return jwt.encode(claims, key, algorithm=settings.jwt_algorithm)


def decode_token(settings: Settings, token: str) -> Viewer:
    """The viewer a token names, after checking signature, issuer, audience and expiry."""
    try:
        claims = jwt.decode(
            token,
            verification_key(settings),
            algorithms=[settings.jwt_algorithm],  # never what the token's header asks for
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=settings.jwt_leeway,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The token has expired; ask for a new one.") from exc
    except jwt.InvalidAudienceError as exc:
        raise Unauthenticated("The token is not meant for this API (audience).") from exc
    except jwt.InvalidIssuerError as exc:
        raise Unauthenticated("The token was not issued by a trusted issuer.") from exc
    except jwt.InvalidSignatureError as exc:
        raise Unauthenticated("The token's signature does not verify.") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise Unauthenticated(f"The token lacks the `{exc.claim}` claim.") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated("The token is not a valid JWT for this API.") from exc
    return _viewer(claims)


def _viewer(claims: Mapping[str, Any]) -> Viewer:
    def ident(name: str) -> int | None:
        value = claims.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise Unauthenticated(f"The token's `{name}` claim must be an integer id.")
        return value

    try:
        role = Role(claims.get("role"))
        return Viewer(str(claims["sub"]), role, ident("org"), ident("vol"))
    except ValueError as exc:
        raise Unauthenticated(f"The token's role and scope are not usable: {exc}.") from exc


def credential(headers: Mapping[str, str]) -> str:
    """The bearer token or API key a request carries; refuses a request without one."""
    key = headers.get(API_KEY_HEADER)
    if key:
        return key.strip()
    authorization = headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if not authorization:
        raise Unauthenticated(
            "Authentication required: send `Authorization: Bearer <token>` or `X-API-Key: <key>`."
        )
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("The Authorization header must read `Bearer <token>`.")
    return value.strip()


async def authenticate(
    headers: Mapping[str, str],
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> Viewer:
    """The caller of a request with ``headers`` (lower-case names)."""
    value = credential(headers)
    if not looks_like_key(value):
        return decode_token(settings, value)
    async with sessionmaker() as session:
        row = await find_api_key(session, value)
    if row is None:
        raise Unauthenticated("The API key is unknown, revoked or expired.")
    return Viewer(
        f"api-key:{row.name}",
        Role(row.role),
        row.organisation_id,
        row.volunteer_id,
        credential="api-key",
    )


async def authorize_metrics(
    headers: Mapping[str, str],
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Let a request read /metrics: the scraper's metrics token, or an admin's credential."""
    if settings.metrics_token is not None:
        expected = settings.metrics_token.get_secret_value()
        _, _, value = headers.get("authorization", "").partition(" ")
        if expected and hmac.compare_digest(value.strip().encode(), expected.encode()):
            return
    viewer = await authenticate(headers, settings, sessionmaker)
    if viewer.role is not Role.ADMIN:
        raise Unauthenticated("Metrics are for admins and the metrics scraper only.")
