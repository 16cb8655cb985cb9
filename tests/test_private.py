"""Phone numbers, ID numbers and health reports: only those who need them read them, by any
path (direct field, node, alias, nested edge, filter); others get null and FORBIDDEN."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import true

from db import models as m
from resolvers import scope as scope_rules
from tests.factories import gid
from tests.test_scope import World, as_role, build_world, forbidden


@pytest.fixture
async def world(client: Any, sessionmaker: Any) -> World:
    return await build_world(client, sessionmaker)


def leaks(result: dict[str, Any], volunteer: m.Volunteer) -> bool:
    text = repr(result)
    return volunteer.phone in text or volunteer.id_number in text


async def test_a_volunteer_cannot_read_anothers_phone_by_any_path(
    client: Any, world: World
) -> None:
    volunteer = as_role(client, world, "volunteer")
    other = world.other
    other_id = gid("Volunteer", other.id)
    paths = [
        # direct field, through the list and its filter
        ("{ volunteers(filter: {nameContains: $name}) { nodes { phone idNumber } } }", False),
        # node, and node behind an alias
        ("{ node(id: $id) { ... on Volunteer { phone idNumber } } }", True),
        ("{ x: node(id: $id) { ... on Volunteer { p: phone i: idNumber } } }", True),
        # nested edges: their health report, their assignment, rosters and shifts
        ("{ node(id: $report) { ... on HealthReport { volunteer { phone } } } }", True),
        ("{ node(id: $assignment) { ... on Assignment { volunteer { phone } } } }", True),
        ("{ rosters { nodes { assignments { nodes { volunteer { phone } } } } } }", False),
        ("{ healthReports { nodes { volunteer { phone idNumber } } } }", False),
        ("{ shifts { nodes { headcountLines { shift { id } } } } }", False),
    ]
    variables = {
        "name": other.name,
        "id": other_id,
        "report": world.ids["HealthReport"][1],
        "assignment": world.ids["Assignment"][1],
    }
    for body, refused in paths:
        used = {k: v for k, v in variables.items() if f"${k}" in body}
        declared = ", ".join(f"${k}: {'String' if k == 'name' else 'ID'}!" for k in used)
        query = f"query({declared}) {body}" if used else body
        result = await volunteer.execute(query, used)
        assert not leaks(result, other), (body, result)
        assert bool(forbidden(result)) is refused, (body, result)


async def test_a_volunteer_reads_their_own_private_data(client: Any, world: World) -> None:
    result = await as_role(client, world, "volunteer").execute(
        "query($id: ID!) { node(id: $id) { ... on Volunteer { phone idNumber"
        " healthReports { status temperature } } } }",
        {"id": gid("Volunteer", world.mine.id)},
    )
    assert result["data"]["node"] == {
        "phone": world.mine.phone,
        "idNumber": world.mine.id_number,
        "healthReports": [{"status": "WELL", "temperature": 36.6}],
    }


async def test_a_coordinator_reads_private_data_within_the_subtree_only(
    client: Any, world: World
) -> None:
    coordinator = as_role(client, world, "coordinator")
    query = "query($id: ID!) { node(id: $id) { ... on Volunteer { phone } } }"
    own = await coordinator.execute(query, {"id": gid("Volunteer", world.mine.id)})
    assert own["data"]["node"] == {"phone": world.mine.phone}
    theirs = await coordinator.execute(query, {"id": gid("Volunteer", world.other.id)})
    assert theirs["data"]["node"] is None and forbidden(theirs)
    assert not leaks(theirs, world.other)


async def test_private_fields_are_refused_even_where_the_volunteer_is_visible(
    client: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Were volunteers ever shown their team-mates, phones would still stay private.
    monkeypatch.setitem(
        scope_rules.RULES,
        m.Volunteer,
        scope_rules.ScopeRule(volunteer=lambda _own: true(), coordinator=lambda _root: true()),
    )
    result = await as_role(client, world, "volunteer").execute(
        "{ volunteers(first: 100) { nodes { id name phone healthReports { day } } } }"
    )
    nodes = result["data"]["volunteers"]["nodes"]
    assert len(nodes) == 20
    mine = gid("Volunteer", world.mine.id)
    for node in nodes:
        if node["id"] == mine:
            assert node["phone"] == world.mine.phone
        else:
            assert node["phone"] is None and node["healthReports"] is None
    assert not leaks(result, world.other)
    messages = forbidden(result)
    assert len(messages) == 2 * 19 and "`phone` is private" in messages[0]


async def test_filters_do_not_reveal_anothers_health(client: Any, world: World) -> None:
    unwell = """{ volunteers(filter: {health: {on: "2026-11-24", status: UNWELL}}) { totalCount }
      healthReports(filter: {status: UNWELL}) { totalCount } }"""
    expected = {
        "admin": (1, 1),
        "scheduler": (1, 1),
        "coordinator": (0, 0),  # the unwell volunteer is in the other sub-centre
        "volunteer": (0, 0),
    }
    for role, (volunteers, reports) in expected.items():
        result = await as_role(client, world, role).execute(unwell)
        data = result["data"]
        counts = (data["volunteers"]["totalCount"], data["healthReports"]["totalCount"])
        assert counts == (volunteers, reports), role
    other_side = client.as_("coordinator", organisation_id=world.register.sub_centres[1].id)
    data = (await other_side.execute(unwell))["data"]
    assert data["volunteers"]["totalCount"] == data["healthReports"]["totalCount"] == 1
