"""Idempotency keys: a retried mutation is answered once, with the first response."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, update

from db import models as m
from db.session import transaction
from tests.factories import build_register, gid, resident_id

CREATE = """mutation($input: CreateVolunteerInput!) { createVolunteer(input: $input) {
    volunteer { id name } userErrors { field code message } } }"""


def volunteer_input(register, serial: int = 9001, name: str = "Li Na") -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "name": name,
        "kind": "SOCIAL",
        "organisationId": gid("Organisation", register.stations[0].id),
        "phone": "13912345678",
        "idNumber": resident_id(serial),
        "homeLatitude": 30.85,
        "homeLongitude": 110.95,
    }


async def post(client, body: dict, key: str | None, **headers: str):  # type: ignore[no-untyped-def,type-arg]
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.http.post(
        "/graphql", json=body, headers={**getattr(client, "headers", {}), **headers}
    )


async def count(sessionmaker, model) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_a_retried_create_is_applied_once_and_answered_the_same(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    body = {"query": CREATE, "variables": {"input": volunteer_input(register)}}
    first = await post(client, body, "create-li-na-1")
    retry = await post(client, body, "create-li-na-1")
    assert first.status_code == retry.status_code == 200
    assert first.json()["data"]["createVolunteer"]["userErrors"] == []
    assert retry.content == first.content
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await count(sessionmaker, m.Volunteer) == 1
    # A new key is a new request.
    other = {"query": CREATE, "variables": {"input": volunteer_input(register, 9002)}}
    assert (await post(client, other, "create-li-na-2")).status_code == 200
    assert await count(sessionmaker, m.Volunteer) == 2


async def test_the_same_key_with_a_different_request_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    body = {"query": CREATE, "variables": {"input": volunteer_input(register)}}
    assert (await post(client, body, "k-1")).status_code == 200
    changed = {"query": CREATE, "variables": {"input": volunteer_input(register, name="Li Li")}}
    refused = await post(client, changed, "k-1")
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert "different request" in error["message"]
    assert await count(sessionmaker, m.Volunteer) == 1


async def test_concurrent_requests_with_one_key_apply_once(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    body = {"query": CREATE, "variables": {"input": volunteer_input(register)}}
    responses = await asyncio.gather(*(post(client, body, "burst") for _ in range(4)))
    created = [
        r for r in responses if r.status_code == 200 and "Idempotent-Replayed" not in r.headers
    ]
    assert len(created) == 1
    assert created[0].json()["data"]["createVolunteer"]["userErrors"] == []
    for response in responses:
        if response is not created[0]:
            # Either told to wait or handed the first answer; never run a second time.
            assert response.status_code == 409 or response.content == created[0].content
    assert await count(sessionmaker, m.Volunteer) == 1


async def test_an_expired_key_runs_the_request_again(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    body = {"query": CREATE, "variables": {"input": volunteer_input(register)}}
    await post(client, body, "old")
    async with transaction(sessionmaker) as session:
        await session.execute(
            update(m.IdempotencyRecord).values(expires_at=m.IdempotencyRecord.created_at)
        )
    again = await post(client, body, "old")
    assert "Idempotent-Replayed" not in again.headers
    # Run a second time: the volunteer exists already, so this time the answer is a refusal.
    errors = again.json()["data"]["createVolunteer"]["userErrors"]
    assert [e["code"] for e in errors] == ["DUPLICATE"]


async def test_queries_and_bad_keys(sessionmaker, client) -> None:
    query = {"query": "{ volunteers { totalCount } }"}
    response = await post(client, query, "q-1")
    assert response.status_code == 200 and "errors" not in response.json()
    assert await count(sessionmaker, m.IdempotencyRecord) == 0  # queries are not kept
    bad = await post(client, query, "x" * 256)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"


async def test_keys_are_per_caller(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    mine = {"query": CREATE, "variables": {"input": volunteer_input(register)}}
    theirs = {"query": CREATE, "variables": {"input": volunteer_input(register, 9002, "Li Li")}}
    # Another caller's key of the same name neither replays my response nor is refused.
    assert (await post(client, mine, "shared-key")).status_code == 200
    other = await post(client.as_("admin", subject="another-admin"), theirs, "shared-key")
    assert other.status_code == 200 and "Idempotent-Replayed" not in other.headers
    assert other.json()["data"]["createVolunteer"]["volunteer"]["name"] == "Li Li"
    assert await count(sessionmaker, m.Volunteer) == 2
