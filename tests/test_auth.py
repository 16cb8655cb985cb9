"""Authentication as a caller meets it: 401s that say why, tokens checked for signature,
issuer, audience and expiry, API keys hashed and revocable, health checks open."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from db import models as m
from db.services.api_keys import create_api_key, revoke_api_key
from muster.app import create_app
from muster.auth import issue_token
from muster.settings import Settings
from tests.conftest import TEST_JWT_SECRET, auth_headers, make_token

QUERY = {"query": "{ skills { totalCount } }"}


@asynccontextmanager
async def bare(database_url: str, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends no credential unless told to."""
    defaults = {"database_url": database_url, "environment": "test", "jwt_secret": TEST_JWT_SECRET}
    app = create_app(Settings(**{**defaults, **settings}))
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://muster.test") as http:
            yield http
    finally:
        await app.state.engine.dispose()


@pytest.fixture
async def http(database_url: str, sessionmaker: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with bare(database_url) as client:
        yield client


async def refused(http: httpx.AsyncClient, headers: dict[str, str], fragment: str) -> None:
    response = await http.post("/graphql", json=QUERY, headers=headers)
    assert response.status_code == 401, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert fragment in error["message"], error["message"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in response.json()


async def accepted(http: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await http.post("/graphql", json=QUERY, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"skills": {"totalCount": 0}}


def hs256_keyed_with(key: str) -> str:
    """An admin token signed with HMAC over ``key`` (PyJWT itself refuses to make one)."""

    def part(data: dict[str, Any]) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=")

    claims = {"sub": "s", "role": "admin", "iss": "muster", "aud": "muster-api"}
    body = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims | {"iat": 1, "exp": 2**34})
    signature = hmac.new(key.encode(), body, hashlib.sha256).digest()
    return (body + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_request_without_credentials_is_refused(http: httpx.AsyncClient) -> None:
    await refused(http, {}, "Authentication required")
    await refused(http, {"Authorization": "Basic YWRtaW46YWRtaW4="}, "must read `Bearer")
    await refused(http, bearer("not-a-jwt"), "not a valid JWT")


async def test_health_checks_need_no_credentials(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).status_code == 200
    assert (await http.get("/readyz")).status_code == 200


async def test_bad_tokens_are_refused_each_with_its_reason(http: httpx.AsyncClient) -> None:
    settings = Settings(jwt_secret=TEST_JWT_SECRET)
    long_ago = datetime.now(UTC) - timedelta(days=2)
    expired = issue_token(settings, subject="s", role="admin", now=long_ago)
    await refused(http, bearer(expired), "expired")
    await refused(http, bearer(make_token(jwt_audience="another-api")), "audience")
    await refused(http, bearer(make_token(jwt_issuer="someone-else")), "issuer")
    forged = issue_token(
        Settings(jwt_secret="another-secret-of-32-characters-at-least"), subject="s", role="admin"
    )
    await refused(http, bearer(forged), "signature")
    unsigned = jwt.encode(
        {"sub": "s", "role": "admin", "iss": "muster", "aud": "muster-api", "exp": 9_999_999_999},
        key=None,
        algorithm="none",
    )
    await refused(http, bearer(unsigned), "not a valid JWT")
    no_expiry = jwt.encode(
        {"sub": "s", "role": "admin", "iss": "muster", "aud": "muster-api", "iat": 1},
        TEST_JWT_SECRET,
        algorithm="HS256",
    )
    await refused(http, bearer(no_expiry), "lacks the `exp` claim")
    coordinator_without_org = jwt.encode(
        {
            "sub": "s",
            "role": "coordinator",
            "iss": "muster",
            "aud": "muster-api",
            "iat": 1,
            "exp": 9_999_999_999,
        },
        TEST_JWT_SECRET,
        algorithm="HS256",
    )
    await refused(http, bearer(coordinator_without_org), "needs an organisation")
    await accepted(http, bearer(make_token("scheduler")))


async def test_rs256_tokens_verify_with_the_public_key(
    database_url: str, sessionmaker: Any
) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = Settings(jwt_algorithm="RS256", jwt_public_key=public_pem)
    token = issue_token(settings, subject="s", role="scheduler", private_key=private_pem)
    async with bare(
        database_url, jwt_algorithm="RS256", jwt_public_key=public_pem, jwt_secret=None
    ) as http:
        await accepted(http, bearer(token))
        # The classic confusion: an HS256 token keyed with the public key must not pass.
        await refused(http, bearer(hs256_keyed_with(public_pem)), "not a valid JWT")
        await refused(http, bearer(make_token("admin")), "not a valid JWT")


async def test_api_keys_are_hashed_accepted_and_revocable(
    http: httpx.AsyncClient, sessionmaker: Any
) -> None:
    async with sessionmaker() as session, session.begin():
        made = await create_api_key(session, name="nightly", role="scheduler")
    key = made.key
    async with sessionmaker() as session:
        row = (await session.scalars(select(m.ApiKey))).one()
        stored = [str(getattr(row, c.key)) for c in m.ApiKey.__table__.columns]
    secret = key.split("_", 2)[2]  # mk_<prefix>_<secret>; the secret may hold "_" too
    assert all(secret not in value for value in stored)  # only a hash of it is kept
    await accepted(http, {"X-API-Key": key})
    await accepted(http, bearer(key))
    await refused(http, {"X-API-Key": key[:-2] + "xx"}, "unknown, revoked or expired")
    await refused(http, {"X-API-Key": "mk_000000000000_" + "a" * 43}, "unknown")
    async with sessionmaker() as session, session.begin():
        await revoke_api_key(session, "nightly")
    await refused(http, {"X-API-Key": key}, "unknown, revoked or expired")


async def test_an_expired_api_key_is_refused(http: httpx.AsyncClient, sessionmaker: Any) -> None:
    async with sessionmaker() as session, session.begin():
        made = await create_api_key(
            session,
            name="old",
            role="admin",
            expires_at=datetime.now(UTC) - timedelta(minutes=1),
        )
    await refused(http, {"X-API-Key": made.key}, "expired")


async def test_metrics_need_an_admin_or_the_scrapers_token(
    database_url: str, sessionmaker: Any
) -> None:
    async with bare(database_url, metrics_token="scrape-me-please") as http:
        assert (await http.get("/metrics")).status_code == 401
        volunteer = bearer(make_token("volunteer", volunteer_id=1))
        assert (await http.get("/metrics", headers=volunteer)).status_code == 401
        for headers in (bearer("scrape-me-please"), bearer(make_token("admin"))):
            response = await http.get("/metrics", headers=headers)
            assert response.status_code == 200
            assert "muster_graphql_requests_total" in response.text
        # The scraper's token is no key to the API.
        response = await http.post("/graphql", json=QUERY, headers=bearer("scrape-me-please"))
        assert response.status_code == 401


async def test_graphiql_page_opens_without_a_token(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings(environment="production", jwt_secret="short")


async def test_a_query_over_get_is_no_way_around_authentication(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/graphql", params={"query": "{ skills { totalCount } }"}, headers={"accept": "text/html"}
    )
    assert response.status_code == 401


def test_a_websocket_with_a_bad_token_is_closed(database_url: str) -> None:
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    app = create_app(
        Settings(database_url=database_url, environment="test", jwt_secret=TEST_JWT_SECRET)
    )
    with TestClient(app) as http:
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            http.websocket_connect(
                "/graphql",
                subprotocols=["graphql-transport-ws"],
                headers={"Authorization": "Bearer forged"},
            ),
        ):
            pass
        assert closed.value.code == 4401
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer bad"}})
            assert ws.receive()["type"] == "websocket.close"
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json(
                {"type": "connection_init", "payload": auth_headers("volunteer", volunteer_id=1)}
            )
            assert ws.receive_json()["type"] == "connection_ack"
