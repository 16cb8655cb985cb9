"""The audit log: every mutation and every refused access, with who, what, when, the outcome
and the ids, never the private values; admins read it through ``auditEntries``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from db import models as m
from tests.factories import gid
from tests.test_scope import World, as_role, build_world, forbidden

ENTRIES = """query($filter: AuditEntryFilter) { auditEntries(filter: $filter, first: 100) {
  totalCount nodes { at actor role kind action operation outcome detail objectIds } } }"""


@pytest.fixture
async def world(client: Any, sessionmaker: Any) -> World:
    return await build_world(client, sessionmaker)


async def entries(client: Any, **filter: Any) -> list[dict[str, Any]]:
    result = await client.execute(ENTRIES, {"filter": filter})
    assert "errors" not in result, result
    return result["data"]["auditEntries"]["nodes"]


async def stored_text(sessionmaker: Any) -> str:
    """Every value of every audit row, as one text to search."""
    async with sessionmaker() as session:
        rows = (await session.scalars(select(m.AuditEntry))).all()
        return repr([[getattr(r, c.key) for c in m.AuditEntry.__table__.columns] for r in rows])


async def test_a_mutation_is_recorded_without_the_values_it_wrote(
    client: Any, world: World, sessionmaker: Any
) -> None:
    volunteer_id = gid("Volunteer", world.mine.id)
    result = await client.execute(
        """mutation ChangePhone($input: UpdateVolunteerInput!) { updateVolunteer(input: $input)
        { volunteer { id } userErrors { code } } }""",
        {"input": {"id": volunteer_id, "phone": "13911112222", "idNumber": world.mine.id_number}},
    )
    assert result["data"]["updateVolunteer"]["userErrors"] == []
    [entry] = await entries(client, actions=["updateVolunteer"])
    assert entry["actor"] == "test-admin" and entry["role"] == "admin"
    assert (entry["kind"], entry["outcome"], entry["operation"]) == (
        "MUTATION",
        "OK",
        "ChangePhone",
    )
    assert entry["objectIds"] == [volunteer_id]
    text = await stored_text(sessionmaker)
    assert "13911112222" not in text and world.mine.id_number not in text
    by_object = await entries(client, objectId=volunteer_id)
    actions = [e["action"] for e in by_object]  # newest first
    assert actions == ["updateVolunteer", "reportHealth", "createAssignment"]


async def test_a_refused_read_is_recorded_without_the_refused_value(
    client: Any, world: World, sessionmaker: Any
) -> None:
    other = gid("Volunteer", world.other.id)
    result = await as_role(client, world, "volunteer").execute(
        "query Peek($id: ID!) { node(id: $id) { ... on Volunteer { phone } } }", {"id": other}
    )
    assert forbidden(result)
    [entry] = await entries(client, kinds=["ACCESS"], actor="test-volunteer")
    assert (entry["action"], entry["outcome"], entry["operation"]) == (
        "Query.node",
        "DENIED",
        "Peek",
    )
    assert entry["objectIds"] == [other] and entry["role"] == "volunteer"
    assert world.other.phone not in await stored_text(sessionmaker)


async def test_a_refused_mutation_and_a_rejected_one_are_recorded(
    client: Any, world: World
) -> None:
    coordinator = as_role(client, world, "coordinator")
    other = gid("Volunteer", world.other.id)
    refused = await coordinator.execute(
        """mutation($id: ID!) { updateVolunteer(input: {id: $id, name: "X"})
        { volunteer { id } } }""",
        {"id": other},
    )
    assert forbidden(refused)
    [denied] = await entries(client, outcomes=["DENIED"])
    assert denied["action"] == "Mutation.updateVolunteer"
    assert denied["objectIds"] == [other] and denied["actor"] == "test-coordinator"
    rejected = await coordinator.execute(
        """mutation($checkpoint: ID!) { createShift(input: {checkpointId: $checkpoint,
        startsAt: "2026-11-24T14:00:00Z", endsAt: "2026-11-24T06:00:00Z",
        headcountLines: [{headcount: 1}]}) { shift { id } userErrors { code } } }""",
        {"checkpoint": world.ids["Checkpoint"][0]},
    )
    assert rejected["data"]["createShift"]["userErrors"] == [{"code": "OUT_OF_RANGE"}]
    [entry] = await entries(client, outcomes=["REJECTED"])
    assert entry["action"] == "createShift"
    assert entry["detail"] == "input.endsAt: OUT_OF_RANGE"
    assert entry["objectIds"] == [world.ids["Checkpoint"][0]]


async def test_entries_filter_by_actor_action_object_and_time(client: Any, world: World) -> None:
    everything = await entries(client)
    assert len(everything) >= 10  # the world was built by an admin, one mutation at a time
    assert [e["at"] for e in everything] == sorted((e["at"] for e in everything), reverse=True)
    assert {e["actor"] for e in everything} == {"test-admin"}
    first, last = everything[-1]["at"], everything[0]["at"]
    assert len(await entries(client, since=first, until=last)) == len(everything) - sum(
        e["at"] == last for e in everything
    )
    assert await entries(client, actor="nobody") == []
    shifts = await entries(client, actions=["createShift"])
    assert len(shifts) == 2 and all(e["outcome"] == "OK" for e in shifts)
    roster = world.ids["Roster"][1]
    about = await entries(client, objectId=roster)
    assert {e["action"] for e in about} == {"createRoster", "createAssignment"}


def test_a_subscription_refused_over_websocket_is_recorded(
    database_url: str, sessionmaker: Any
) -> None:
    import asyncio
    import time

    from starlette.testclient import TestClient

    from db.models.enums import OrganisationLevel
    from muster.app import create_app
    from muster.settings import Settings
    from tests.conftest import TEST_JWT_SECRET, auth_headers
    from tests.factories import add_organisation
    from tests.test_run_subscription import SUBSCRIBE, _queued_run

    async def centre() -> int:
        from db.session import create_engine, create_sessionmaker

        engine = create_engine(database_url)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                org = await add_organisation(
                    session, name="Centre", level=OrganisationLevel.CENTRE, parent=None
                )
                return org.id
        finally:
            await engine.dispose()

    async def stored() -> list[Any]:
        from db.session import create_engine, create_sessionmaker

        engine = create_engine(database_url)  # this thread's loop, not the fixture's
        try:
            async with create_sessionmaker(engine)() as session:
                return list((await session.scalars(select(m.AuditEntry))).all())
        finally:
            await engine.dispose()

    run_id = asyncio.run(_queued_run(database_url, asyncio.run(centre())))
    app = create_app(
        Settings(database_url=database_url, environment="test", jwt_secret=TEST_JWT_SECRET)
    )
    run = gid("RosterRun", run_id)
    with (
        TestClient(app) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        volunteer = auth_headers("volunteer", volunteer_id=1)
        ws.send_json({"type": "connection_init", "payload": volunteer})
        assert ws.receive_json()["type"] == "connection_ack"
        subscribe = {
            "query": f"subscription Watch {SUBSCRIBE.strip()[12:]}",
            "variables": {"id": run},
        }
        ws.send_json({"id": "1", "type": "subscribe", "payload": subscribe})
        reply = ws.receive_json()
        assert reply["type"] in ("error", "next"), reply
        assert "outside your scope" in repr(reply)
        # Stored as the operation ends, just after the reply: wait for it a little.
        for _ in range(50):
            if entries := asyncio.run(stored()):
                break
            time.sleep(0.1)

    [entry] = entries
    assert (entry.kind, entry.outcome, entry.action, entry.operation) == (
        "ACCESS",
        "DENIED",
        "Subscription.rosterRun",
        "Watch",
    )
    assert [(o.type_name, o.object_id) for o in entry.objects] == [("RosterRun", run_id)]
