"""Roles and scope: each role's token against each root field, ``node``, nested edges and
mutations; nothing outside the caller's scope comes back or changes by any path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from db import models as m
from resolvers import scope as scope_rules
from resolvers.loaders import BaseLoader, Loaders
from resolvers.mutation_rules import RULES
from resolvers.viewer import Role, Viewer
from tests.factories import Register, build_register, gid


@dataclass
class World:
    """Two sub-centres with a post, a shift, a roster, an assignment and a health report each.

    Volunteer ``mine`` (station 0-0, sub-centre 0) is on the shift of post 0; ``other``
    (station 1-0, sub-centre 1) on that of post 1 and reported unwell.
    """

    register: Register
    mine: m.Volunteer
    other: m.Volunteer
    ids: dict[str, list[str]]  # global ids by type: index 0 in sub-centre 0, 1 in sub-centre 1

    @property
    def sub(self) -> m.Organisation:
        return self.register.sub_centres[0]


async def created(client: Any, mutation: str, field: str, values: dict[str, Any]) -> str:
    """The id of an object created through the API as admin."""
    result = await client.execute(mutation, {"input": values})
    payload = result["data"][field]
    assert payload["userErrors"] == [], payload
    return next(v["id"] for v in payload.values() if isinstance(v, dict))


async def build_world(client: Any, sessionmaker: Any) -> World:
    async with sessionmaker() as session, session.begin():
        register = await build_register(session)
    mine, other = register.volunteers[0], register.volunteers[10]
    ids: dict[str, list[str]] = {k: [] for k in ("Checkpoint", "Shift", "Roster", "Assignment")}
    ids["HealthReport"] = []
    for n, (station, sub, volunteer) in enumerate(
        [
            (register.stations[0], register.sub_centres[0], mine),
            (register.stations[2], register.sub_centres[1], other),
        ]
    ):
        checkpoint = await created(
            client,
            "mutation($input: CreateCheckpointInput!) { createCheckpoint(input: $input) {"
            " checkpoint { id } userErrors { field message } } }",
            "createCheckpoint",
            {
                "name": f"Post {n}",
                "code": f"P{n}",
                "kind": "ROAD_CHECKPOINT",
                "organisationId": gid("Organisation", station.id),
                "usingUnitId": gid("Unit", register.unit.id),
                "latitude": 30.8,
                "longitude": 110.9,
                "riskLevel": "LOW",
            },
        )
        shift_result = await client.execute(
            "mutation($input: CreateShiftInput!) { createShift(input: $input) {"
            " shift { id headcountLines { id } } userErrors { field message } } }",
            {
                "input": {
                    "checkpointId": checkpoint,
                    "startsAt": "2026-11-24T06:00:00Z",
                    "endsAt": "2026-11-24T14:00:00Z",
                    "headcountLines": [{"headcount": 2}],
                }
            },
        )
        shift = shift_result["data"]["createShift"]["shift"]
        roster = await created(
            client,
            "mutation($input: CreateRosterInput!) { createRoster(input: $input) {"
            " roster { id } userErrors { field message } } }",
            "createRoster",
            {
                "organisationId": gid("Organisation", sub.id),
                "periodStart": "2026-11-23",
                "periodEnd": "2026-11-29",
            },
        )
        assignment = await created(
            client,
            "mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) {"
            " assignment { id } userErrors { field message } } }",
            "createAssignment",
            {
                "rosterId": roster,
                "shiftId": shift["id"],
                "headcountLineId": shift["headcountLines"][0]["id"],
                "volunteerId": gid("Volunteer", volunteer.id),
            },
        )
        report = await created(
            client,
            "mutation($input: ReportHealthInput!) { reportHealth(input: $input) {"
            " healthReport { id } userErrors { field message } } }",
            "reportHealth",
            {
                "volunteerId": gid("Volunteer", volunteer.id),
                "day": "2026-11-24",
                "status": "WELL" if n == 0 else "UNWELL",
                "temperature": 36.6 if n == 0 else 38.9,
            },
        )
        for kind, value in zip(
            ("Checkpoint", "Shift", "Roster", "Assignment", "HealthReport"),
            (checkpoint, shift["id"], roster, assignment, report),
            strict=True,
        ):
            ids[kind].append(value)
    return World(register, mine, other, ids)


@pytest.fixture
async def world(client: Any, sessionmaker: Any) -> World:
    return await build_world(client, sessionmaker)


def as_role(client: Any, world: World, role: str) -> Any:
    """The client acting as ``role``: the coordinator of sub-centre 0, or volunteer ``mine``."""
    if role == "coordinator":
        return client.as_("coordinator", organisation_id=world.sub.id)
    if role == "volunteer":
        return client.as_("volunteer", volunteer_id=world.mine.id)
    return client.as_(role)


def forbidden(result: dict[str, Any]) -> list[str]:
    """Messages of the FORBIDDEN errors in a response."""
    return [
        e["message"]
        for e in result.get("errors", [])
        if e.get("extensions", {}).get("code") == "FORBIDDEN"
    ]


# (admin, scheduler, coordinator of sub-centre 0, volunteer ``mine``): how many each sees.
ROOT_FIELDS = {
    "organisations": (7, 7, 3, 1),
    "units": (1, 1, 1, 1),
    "grids": (0, 0, 0, 0),
    "volunteers": (20, 20, 10, 1),
    "skills": (1, 1, 1, 1),
    "trainings": (1, 1, 1, 1),
    "certificates": (20, 20, 10, 1),
    "checkpoints": (2, 2, 1, 1),
    "shifts": (2, 2, 1, 1),
    "healthReports": (2, 2, 1, 1),
    "availabilities": (0, 0, 0, 0),
    "rosters": (2, 2, 1, 1),
    "assignments": (2, 2, 1, 1),
    "rosterRuns": (0, 0, 0, 0),
    "protectiveItems": (0, 0, 0, 0),
    "protectiveStocks": (0, 0, 0, 0),
}
ROLES = ("admin", "scheduler", "coordinator", "volunteer")


async def test_each_role_sees_its_scope_in_every_root_list(client: Any, world: World) -> None:
    for role_index, role in enumerate(ROLES):
        caller = as_role(client, world, role)
        fields = " ".join(
            f"{name}(first: 100) {{ totalCount nodes {{ id }} }}" for name in ROOT_FIELDS
        )
        result = await caller.execute(f"{{ {fields} }}")
        assert "errors" not in result, (role, result)
        for name, expected in ROOT_FIELDS.items():
            got = result["data"][name]
            assert (got["totalCount"], len(got["nodes"])) == (expected[role_index],) * 2, (
                role,
                name,
            )


async def test_the_audit_log_is_for_admins_only(client: Any, world: World) -> None:
    for role in ROLES:
        result = await as_role(client, world, role).execute("{ auditEntries { totalCount } }")
        if role == "admin":
            assert result["data"]["auditEntries"]["totalCount"] > 0
        else:
            assert result["data"] is None and forbidden(result), (role, result)


async def test_node_refuses_every_object_out_of_scope(client: Any, world: World) -> None:
    others = {kind: ids[1] for kind, ids in world.ids.items()}
    others["Volunteer"] = gid("Volunteer", world.other.id)
    others["Organisation"] = gid("Organisation", world.register.sub_centres[1].id)
    for role in ("coordinator", "volunteer"):
        caller = as_role(client, world, role)
        for kind, ident in others.items():
            result = await caller.execute(
                "query($id: ID!) { node(id: $id) { id __typename } }", {"id": ident}
            )
            assert result["data"]["node"] is None, (role, kind)
            assert f"{kind} " in forbidden(result)[0], (role, kind, result)
    for role in ("admin", "scheduler"):
        for kind, ident in others.items():
            result = await as_role(client, world, role).execute(
                "query($id: ID!) { node(id: $id) { id __typename } }", {"id": ident}
            )
            assert result["data"]["node"] == {"id": ident, "__typename": kind}


async def test_node_serves_objects_in_scope(client: Any, world: World) -> None:
    mine = {kind: ids[0] for kind, ids in world.ids.items()}
    mine["Volunteer"] = gid("Volunteer", world.mine.id)
    for role in ("coordinator", "volunteer"):
        caller = as_role(client, world, role)
        for kind, ident in mine.items():
            result = await caller.execute("query($id: ID!) { node(id: $id) { id } }", {"id": ident})
            assert "errors" not in result, (role, kind, result)
            assert result["data"] == {"node": {"id": ident}}, (role, kind)


async def test_nested_edges_keep_to_the_scope(client: Any, world: World) -> None:
    query = """{ units { nodes { organisation { name } claimedGrids { id } } }
      shifts { nodes { checkpoint { name organisation { name } } headcountLines { id } } }
      rosters { nodes { assignments {
        totalCount nodes { volunteer { name } shift { id } } } } } }"""
    coordinator = await as_role(client, world, "coordinator").execute(query)
    # The unit runs the sub-centre's post but belongs to the centre: its parent is refused.
    assert coordinator["data"]["units"]["nodes"][0]["organisation"] is None
    assert "Organisation" in forbidden(coordinator)[0]
    rosters = coordinator["data"]["rosters"]["nodes"]
    assert [r["assignments"]["totalCount"] for r in rosters] == [1]
    names = {a["volunteer"]["name"] for r in rosters for a in r["assignments"]["nodes"]}
    assert names == {world.mine.name}
    assert [s["checkpoint"]["name"] for s in coordinator["data"]["shifts"]["nodes"]] == ["Post 0"]


async def test_checkpoint_shift_assignment_volunteer_chain_is_cut(
    client: Any, world: World
) -> None:
    # A volunteer asks for every post's shifts: only their own shift and post come back.
    result = await as_role(client, world, "volunteer").execute(
        "{ checkpoints { nodes { name shifts { id headcountLines { id } } } } }"
    )
    assert "errors" not in result
    posts = result["data"]["checkpoints"]["nodes"]
    assert [p["name"] for p in posts] == ["Post 0"]
    assert [s["id"] for s in posts[0]["shifts"]] == [world.ids["Shift"][0]]


async def test_aliases_do_not_widen_the_scope(client: Any, world: World) -> None:
    result = await as_role(client, world, "volunteer").execute(
        "query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id }"
        ' c: volunteers { totalCount } d: volunteers(filter: {nameContains: "Volunteer"})'
        " { totalCount } }",
        {"a": gid("Volunteer", world.mine.id), "b": gid("Volunteer", world.other.id)},
    )
    assert result["data"]["a"] == {"id": gid("Volunteer", world.mine.id)}
    assert result["data"]["b"] is None
    assert result["data"]["c"]["totalCount"] == result["data"]["d"]["totalCount"] == 1


UPDATE_VOLUNTEER = """mutation($input: UpdateVolunteerInput!) { updateVolunteer(input: $input) {
  volunteer { name } userErrors { field code } } }"""


async def test_coordinator_cannot_change_anything_outside_the_subtree(
    client: Any, world: World, sessionmaker: Any
) -> None:
    coordinator = as_role(client, world, "coordinator")
    other, stations = world.other, world.register.stations
    attempts = [
        (UPDATE_VOLUNTEER, {"id": gid("Volunteer", other.id), "name": "Renamed"}),
        # Moving one of their own volunteers out of the subtree.
        (
            UPDATE_VOLUNTEER,
            {
                "id": gid("Volunteer", world.mine.id),
                "organisationId": gid("Organisation", stations[2].id),
            },
        ),
        (
            "mutation($input: DeleteShiftInput!) { deleteShift(input: $input) { deletedId } }",
            {"id": world.ids["Shift"][1]},
        ),
        (
            "mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {"
            " organisation { id } } }",
            {"name": "Rogue", "code": "rogue", "level": "CENTRE"},
        ),
        (
            "mutation($input: CreateSkillInput!) { createSkill(input: $input) { skill { id } } }",
            {"code": "X", "name": "X", "category": "CARE_GUARDING"},
        ),
    ]
    for mutation, values in attempts:
        result = await coordinator.execute(mutation, {"input": values})
        assert result["data"] is None and forbidden(result), (values, result)
    async with sessionmaker() as session:
        names = set((await session.scalars(select(m.Volunteer.name))).all())
        assert "Renamed" not in names
        assert await session.scalar(select(func.count()).select_from(m.Shift)) == 2
        mine = await session.get(m.Volunteer, world.mine.id)
        assert mine is not None and mine.organisation_id == stations[0].id
        assert await session.scalar(select(func.count()).select_from(m.Skill)) == 1


async def test_coordinator_changes_what_is_in_the_subtree(client: Any, world: World) -> None:
    result = await as_role(client, world, "coordinator").execute(
        UPDATE_VOLUNTEER,
        {
            "input": {
                "id": gid("Volunteer", world.mine.id),
                "name": "Renamed",
                "organisationId": gid("Organisation", world.register.stations[1].id),
            }
        },
    )
    assert result["data"]["updateVolunteer"] == {
        "volunteer": {"name": "Renamed"},
        "userErrors": [],
    }


async def test_volunteers_report_for_themselves_only(client: Any, world: World) -> None:
    volunteer = as_role(client, world, "volunteer")
    mutation = """mutation($input: CreateAvailabilityInput!) { createAvailability(input: $input) {
      availability { id } userErrors { field code } } }"""
    window = {"startsAt": "2026-11-25T06:00:00Z", "endsAt": "2026-11-25T18:00:00Z"}
    own = await volunteer.execute(
        mutation, {"input": {"volunteerId": gid("Volunteer", world.mine.id), **window}}
    )
    assert own["data"]["createAvailability"]["userErrors"] == []
    theirs = await volunteer.execute(
        mutation, {"input": {"volunteerId": gid("Volunteer", world.other.id), **window}}
    )
    assert theirs["data"] is None and forbidden(theirs)
    shift = await volunteer.execute(
        "mutation($input: DeleteShiftInput!) { deleteShift(input: $input) { deletedId } }",
        {"input": {"id": world.ids["Shift"][0]}},
    )
    assert "may not do this" in forbidden(shift)[0]


async def test_a_mutation_without_a_rule_is_for_admins_only(
    client: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(RULES, "createSkill")
    mutation = """mutation { createSkill(input: {code: "X", name: "X", category: CARE_GUARDING})
      { skill { code } } }"""
    refused = await as_role(client, world, "scheduler").execute(mutation)
    assert "needs: admin" in forbidden(refused)[0]
    allowed = await client.execute(mutation)
    assert allowed["data"]["createSkill"]["skill"] == {"code": "X"}


async def test_a_table_without_a_scope_rule_is_hidden(
    client: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(scope_rules.RULES, m.Checkpoint)
    scheduler = as_role(client, world, "scheduler")
    result = await scheduler.execute("{ checkpoints { totalCount } }")
    assert result["data"]["checkpoints"]["totalCount"] == 0
    node = await scheduler.execute(
        "query($id: ID!) { node(id: $id) { id } }", {"id": world.ids["Checkpoint"][0]}
    )
    assert node["data"]["node"] is None and forbidden(node)
    admin = await client.execute("{ checkpoints { totalCount } }")
    assert admin["data"]["checkpoints"]["totalCount"] == 2


class EveryVolunteerLoader(BaseLoader):
    """A loader with its own query that forgets the viewer's scope."""

    async def fetch(self, session: Any, keys: list[int]) -> list[Any]:
        rows = (await session.scalars(select(m.Volunteer).order_by(m.Volunteer.id))).all()
        return [list(rows) for _ in keys]


async def test_a_loader_that_forgets_the_scope_is_screened(
    sessionmaker: Any, client: Any, world: World
) -> None:
    viewer = Viewer("v", Role.VOLUNTEER, volunteer_id=world.mine.id)
    rows = await Loaders(sessionmaker, viewer).get(EveryVolunteerLoader).load(1)
    assert [r.id for r in rows] == [world.mine.id]
    everyone = (
        await Loaders(sessionmaker, Viewer("s", Role.SCHEDULER)).get(EveryVolunteerLoader).load(1)
    )
    assert len(everyone) == 20
    nobody = await Loaders(sessionmaker, None).get(EveryVolunteerLoader).load(1)
    assert nobody == []


async def test_a_scoped_list_costs_the_same_statements_at_3_and_10_items(
    client: Any, world: World
) -> None:
    coordinator = as_role(client, world, "coordinator")
    query = """query($n: Int!) { volunteers(first: $n) { totalCount nodes { name phone
      organisation { name } unit { name } certificates { expiresOn } healthReports { day } } } }"""
    counts = []
    for size in (3, 10):
        result = await coordinator.execute(query, {"n": size})
        assert "errors" not in result and len(result["data"]["volunteers"]["nodes"]) == size
        counts.append(len(coordinator.statements))
    assert counts[0] == counts[1], counts


def test_every_root_field_has_had_its_scope_reviewed() -> None:
    """A new root field fails here until it is added to the role tests above."""
    from schema import schema

    reviewed = set(ROOT_FIELDS) | {"node", "auditEntries", "mySchedule"}
    fields = set(schema._schema.query_type.fields)
    assert fields - reviewed == set(), "add the new root fields to ROOT_FIELDS"
