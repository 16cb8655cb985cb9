"""Organisations, units and grids over GraphQL: lists, filters, paging, edits, tree moves."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from db import models as m
from db.models.enums import OrganisationLevel
from db.session import transaction
from tests.factories import add_organisation, build_register, gid

ORGANISATIONS = """
query($filter: OrganisationFilter, $orderBy: OrganisationOrder, $first: Int, $after: String) {
  organisations(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id name code level parent { name } }
  }
}
"""

CREATE_ORGANISATION = """
mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) {
    organisation { id name code level parent { name } }
    userErrors { field code message }
  }
}
"""

UPDATE_ORGANISATION = """
mutation($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) {
    organisation { id name code level parent { name } }
    userErrors { field code message }
  }
}
"""

DELETE = """
mutation($input: Delete%sInput!) {
  delete%s(input: $input) { deletedId userErrors { field code message } }
}
"""


async def query(client, document: str, variables: dict[str, Any] | None = None) -> Any:  # type: ignore[no-untyped-def]
    result = await client.execute(document, variables)
    assert "errors" not in result, result
    return result["data"]


def names(connection: dict[str, Any]) -> list[str]:
    return [node["name"] for node in connection["nodes"]]


def errors_by_field(payload: dict[str, Any]) -> dict[tuple[str, ...], str]:
    return {tuple(e["field"]): e["code"] for e in payload["userErrors"]}


async def paths(sessionmaker) -> dict[str, str]:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        rows = await session.execute(select(m.Organisation.name, m.Organisation.path))
        return {name: path for name, path in rows.all()}


async def count(sessionmaker, model) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model))


# Organisations: lists


async def test_filters_organisations(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    centre, sub = register.centre, register.sub_centres[0]

    async def listed(filter_: dict[str, Any]) -> list[str]:
        data = await query(client, ORGANISATIONS, {"filter": filter_})
        return names(data["organisations"])

    assert await listed({"parentId": gid("Organisation", centre.id)}) == ["Sub 0", "Sub 1"]
    assert await listed({"subtreeOf": gid("Organisation", sub.id)}) == [
        "Station 0-0",
        "Station 0-1",
        "Sub 0",
    ]
    assert await listed({"levels": ["CENTRE", "SUB_CENTRE"]}) == ["Centre", "Sub 0", "Sub 1"]
    assert await listed({"nameContains": "Station 1"}) == ["Station 1-0", "Station 1-1"]
    assert await listed(
        {"subtreeOf": gid("Organisation", centre.id), "levels": ["STATION"], "nameContains": "-1"}
    ) == ["Station 0-1", "Station 1-1"]


async def test_pages_organisations_to_the_end_in_code_order(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    everything = [register.centre, *register.sub_centres, *register.stations]
    expected = sorted((o.code for o in everything), reverse=True)
    seen, after = [], None
    while True:
        variables = {"orderBy": {"field": "CODE", "direction": "DESC"}, "first": 3, "after": after}
        connection = (await query(client, ORGANISATIONS, variables))["organisations"]
        assert connection["totalCount"] == len(expected)
        seen += [node["code"] for node in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected


async def test_page_size_above_the_cap_is_refused(client) -> None:
    for field in ("organisations", "units", "grids"):
        result = await client.execute(f"{{ {field}(first: 101) {{ totalCount }} }}")
        assert "`first` must be between 0 and 100" in result["errors"][0]["message"]


@pytest.mark.parametrize("stations", [2, 40])
async def test_statement_count_does_not_grow_with_the_tree(sessionmaker, client, stations) -> None:
    async with transaction(sessionmaker) as session:
        centre = await add_organisation(
            session, name="Centre", level=OrganisationLevel.CENTRE, parent=None
        )
        for s in range(stations):
            await add_organisation(
                session, name=f"Station {s:02d}", level=OrganisationLevel.STATION, parent=centre
            )
    document = """{ organisations(first: 100) { nodes { name parent { name }
        children { name } } } }"""
    data = await query(client, document)
    assert len(data["organisations"]["nodes"]) == stations + 1
    # page + parents + children
    assert len(client.statements) == 3, client.statements


# Organisations: create, update, delete


async def test_creates_a_tree_with_materialised_paths(sessionmaker, client) -> None:
    root = await query(
        client,
        CREATE_ORGANISATION,
        {"input": {"name": "Zigui", "code": "ZG", "level": "CENTRE"}},
    )
    root_id = root["createOrganisation"]["organisation"]["id"]
    sub = await query(
        client,
        CREATE_ORGANISATION,
        {"input": {"name": "Maoping", "code": "ZG-MP", "level": "SUB_CENTRE", "parentId": root_id}},
    )
    payload = sub["createOrganisation"]
    assert payload["userErrors"] == []
    assert payload["organisation"]["parent"] == {"name": "Zigui"}
    point = await query(
        client,
        CREATE_ORGANISATION,
        {
            "input": {
                "name": "  Maoping point 1 ",
                "code": "ZG-MP-1",
                "level": "POINT",
                "parentId": payload["organisation"]["id"],
            }
        },
    )
    assert point["createOrganisation"]["organisation"]["name"] == "Maoping point 1"
    async with sessionmaker() as session:
        rows = (await session.scalars(select(m.Organisation).order_by(m.Organisation.id))).all()
    assert [r.path for r in rows] == [
        f"/{rows[0].id}/",
        f"/{rows[0].id}/{rows[1].id}/",
        f"/{rows[0].id}/{rows[1].id}/{rows[2].id}/",
    ]


async def test_duplicate_code_is_refused_and_nothing_written(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    before = await count(sessionmaker, m.Organisation)
    data = await query(
        client,
        CREATE_ORGANISATION,
        {
            "input": {
                "name": "Another centre",
                "code": register.centre.code,
                "level": "CENTRE",
            }
        },
    )
    payload = data["createOrganisation"]
    assert payload["organisation"] is None
    assert errors_by_field(payload) == {("input", "code"): "DUPLICATE"}
    assert await count(sessionmaker, m.Organisation) == before


async def test_unknown_or_mistyped_parent_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    base = {"name": "Orphan", "code": "ORPHAN", "level": "STATION"}
    unknown = await query(
        client, CREATE_ORGANISATION, {"input": base | {"parentId": gid("Organisation", 99999)}}
    )
    assert errors_by_field(unknown["createOrganisation"]) == {("input", "parentId"): "NOT_FOUND"}
    mistyped = await query(
        client, CREATE_ORGANISATION, {"input": base | {"parentId": gid("Unit", register.unit.id)}}
    )
    assert errors_by_field(mistyped["createOrganisation"]) == {("input", "parentId"): "INVALID"}
    assert await count(sessionmaker, m.Organisation) == 7


async def test_a_level_must_sit_below_its_parents(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    parent = gid("Organisation", register.stations[0].id)
    created = await query(
        client,
        CREATE_ORGANISATION,
        {"input": {"name": "Bad", "code": "BAD", "level": "INSTITUTE", "parentId": parent}},
    )
    assert errors_by_field(created["createOrganisation"]) == {("input", "level"): "INVALID"}
    # A sub-centre cannot become a station while it has stations below it.
    updated = await query(
        client,
        UPDATE_ORGANISATION,
        {"input": {"id": gid("Organisation", register.sub_centres[0].id), "level": "STATION"}},
    )
    assert errors_by_field(updated["updateOrganisation"]) == {("input", "level"): "INVALID"}


async def test_update_changes_only_the_given_fields(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    station = register.stations[0]
    data = await query(
        client,
        UPDATE_ORGANISATION,
        {"input": {"id": gid("Organisation", station.id), "name": "Gaoqiao station"}},
    )
    assert data["updateOrganisation"]["organisation"] == {
        "id": gid("Organisation", station.id),
        "name": "Gaoqiao station",
        "code": station.code,
        "level": "STATION",
        "parent": {"name": "Sub 0"},
    }
    missing = await query(
        client, UPDATE_ORGANISATION, {"input": {"id": gid("Organisation", 99999), "name": "X"}}
    )
    assert errors_by_field(missing["updateOrganisation"]) == {("input", "id"): "NOT_FOUND"}


async def test_moving_a_subtree_rewrites_paths_and_filters_follow(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=2)
        point = await add_organisation(
            session, name="Point 0-0-0", level=OrganisationLevel.POINT, parent=register.stations[0]
        )
    centre, (sub0, sub1) = register.centre, register.sub_centres
    # Sub 0 becomes an institute under Sub 1, taking its stations and point along.
    data = await query(
        client,
        UPDATE_ORGANISATION,
        {
            "input": {
                "id": gid("Organisation", sub0.id),
                "parentId": gid("Organisation", sub1.id),
                "level": "INSTITUTE",
            }
        },
    )
    assert data["updateOrganisation"]["userErrors"] == []
    assert data["updateOrganisation"]["organisation"]["parent"] == {"name": "Sub 1"}
    prefix = f"/{centre.id}/{sub1.id}/{sub0.id}/"
    after = await paths(sessionmaker)
    assert after["Sub 0"] == prefix
    assert after["Station 0-0"] == f"{prefix}{register.stations[0].id}/"
    assert after["Point 0-0-0"] == f"{prefix}{register.stations[0].id}/{point.id}/"
    assert after["Station 1-0"] == f"/{centre.id}/{sub1.id}/{register.stations[2].id}/"

    subtree = await query(
        client, ORGANISATIONS, {"filter": {"subtreeOf": gid("Organisation", sub1.id)}}
    )
    assert names(subtree["organisations"]) == [
        "Point 0-0-0",
        "Station 0-0",
        "Station 0-1",
        "Station 1-0",
        "Station 1-1",
        "Sub 0",
        "Sub 1",
    ]
    volunteers = await query(
        client,
        "query($id: ID!) { volunteers(filter: {organisationId: $id}) { totalCount } }",
        {"id": gid("Organisation", sub1.id)},
    )
    assert volunteers["volunteers"]["totalCount"] == 8

    # Back to the root: a null parent makes a root of it.
    await query(
        client,
        UPDATE_ORGANISATION,
        {"input": {"id": gid("Organisation", sub0.id), "parentId": None}},
    )
    assert (await paths(sessionmaker))["Point 0-0-0"] == (
        f"/{sub0.id}/{register.stations[0].id}/{point.id}/"
    )


async def test_moving_under_its_own_descendant_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    sub0 = register.sub_centres[0]
    before = await paths(sessionmaker)
    for new_parent in (register.stations[1], sub0):
        data = await query(
            client,
            UPDATE_ORGANISATION,
            {
                "input": {
                    "id": gid("Organisation", sub0.id),
                    "parentId": gid("Organisation", new_parent.id),
                    "name": "Renamed",
                }
            },
        )
        payload = data["updateOrganisation"]
        assert payload["organisation"] is None
        assert errors_by_field(payload) == {("input", "parentId"): "CONFLICT"}
    assert await paths(sessionmaker) == before
    node = await query(
        client,
        "query($id: ID!) { node(id: $id) { ... on Organisation { name parent { name } } } }",
        {"id": gid("Organisation", sub0.id)},
    )
    assert node["node"] == {"name": "Sub 0", "parent": {"name": "Centre"}}


async def test_deleting_an_organisation_in_use_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
        empty = await add_organisation(
            session, name="Empty", level=OrganisationLevel.POINT, parent=register.stations[0]
        )
    document = DELETE % ("Organisation", "Organisation")
    for busy, what in ((register.sub_centres[0], "below it"), (register.stations[1], "volunteers")):
        data = await query(client, document, {"input": {"id": gid("Organisation", busy.id)}})
        payload = data["deleteOrganisation"]
        assert payload["deletedId"] is None
        assert errors_by_field(payload) == {("input", "id"): "IN_USE"}
        assert what in payload["userErrors"][0]["message"]
        node = await query(
            client,
            "query($id: ID!) { node(id: $id) { id } }",
            {"id": gid("Organisation", busy.id)},
        )
        assert node["node"] == {"id": gid("Organisation", busy.id)}
    data = await query(client, document, {"input": {"id": gid("Organisation", empty.id)}})
    assert data["deleteOrganisation"] == {
        "deletedId": gid("Organisation", empty.id),
        "userErrors": [],
    }
    assert "Empty" not in await paths(sessionmaker)


# Units


UNITS = """query($filter: UnitFilter, $orderBy: UnitOrder) {
  units(filter: $filter, orderBy: $orderBy) { totalCount nodes { name kind organisation { name } } }
}"""

CREATE_UNIT = """mutation($input: CreateUnitInput!) {
  createUnit(input: $input) { unit { id name kind organisation { name } }
    userErrors { field code message } }
}"""

UPDATE_UNIT = """mutation($input: UpdateUnitInput!) {
  updateUnit(input: $input) { unit { id name kind organisation { name } }
    userErrors { field code message } }
}"""


async def test_units_are_created_listed_updated_and_deleted(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    sub0, sub1 = register.sub_centres
    created = {}
    for name, kind, org in (
        ("Rescue Team", "PROFESSIONAL_TEAM", register.stations[0]),
        ("Water Company", "COMPANY", sub1),
        ("Transport Bureau", "AGENCY", None),
    ):
        unit_input = {"name": name, "kind": kind}
        if org is not None:
            unit_input["organisationId"] = gid("Organisation", org.id)
        data = await query(client, CREATE_UNIT, {"input": unit_input})
        assert data["createUnit"]["userErrors"] == []
        created[name] = data["createUnit"]["unit"]["id"]

    async def listed(filter_: dict[str, Any]) -> list[str]:
        return names((await query(client, UNITS, {"filter": filter_}))["units"])

    assert await listed({"kinds": ["AGENCY"]}) == ["Health Bureau", "Transport Bureau"]
    assert await listed({"organisationId": gid("Organisation", sub0.id)}) == ["Rescue Team"]
    assert await listed({"nameContains": "bureau"}) == ["Health Bureau", "Transport Bureau"]
    descending = await query(client, UNITS, {"orderBy": {"field": "NAME", "direction": "DESC"}})
    assert names(descending["units"])[0] == "Water Company"

    moved = await query(
        client,
        UPDATE_UNIT,
        {"input": {"id": created["Rescue Team"], "organisationId": gid("Organisation", sub1.id)}},
    )
    assert moved["updateUnit"]["unit"] == {
        "id": created["Rescue Team"],
        "name": "Rescue Team",
        "kind": "PROFESSIONAL_TEAM",
        "organisation": {"name": "Sub 1"},
    }
    duplicate = await query(
        client, UPDATE_UNIT, {"input": {"id": created["Rescue Team"], "name": "Health Bureau"}}
    )
    assert errors_by_field(duplicate["updateUnit"]) == {("input", "name"): "DUPLICATE"}

    deleted = await query(
        client, DELETE % ("Unit", "Unit"), {"input": {"id": created["Transport Bureau"]}}
    )
    assert deleted["deleteUnit"]["userErrors"] == []
    assert await count(sessionmaker, m.Unit) == 3


async def test_a_unit_with_volunteers_cannot_be_deleted(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    data = await query(
        client, DELETE % ("Unit", "Unit"), {"input": {"id": gid("Unit", register.unit.id)}}
    )
    assert errors_by_field(data["deleteUnit"]) == {("input", "id"): "IN_USE"}
    assert await count(sessionmaker, m.Unit) == 1


# Grids


GRIDS = """query($filter: GridFilter, $first: Int, $after: String) {
  grids(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { code name organisation { name } claimedBy { name } }
  }
}"""

CREATE_GRID = """mutation($input: CreateGridInput!) {
  createGrid(input: $input) { grid { id code claimedBy { name } }
    userErrors { field code message } }
}"""

UPDATE_GRID = """mutation($input: UpdateGridInput!) {
  updateGrid(input: $input) { grid { id code name latitude claimedBy { name } }
    userErrors { field code message } }
}"""


async def add_grids(client, register) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Six grids over the four stations; even ones claimed by the register's unit."""
    ids = {}
    for i in range(6):
        grid_input = {
            "name": f"Grid {i}",
            "code": f"G{i}",
            "organisationId": gid("Organisation", register.stations[i % 4].id),
            "latitude": round(30.8 + i / 100, 2),
            "longitude": 110.9,
        }
        if i % 2 == 0:
            grid_input["claimedByUnitId"] = gid("Unit", register.unit.id)
        data = await query(client, CREATE_GRID, {"input": grid_input})
        assert data["createGrid"]["userErrors"] == []
        ids[f"G{i}"] = data["createGrid"]["grid"]["id"]
    return ids


async def test_grids_are_filtered_and_paged(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    await add_grids(client, register)

    async def codes(filter_: dict[str, Any]) -> list[str]:
        data = await query(client, GRIDS, {"filter": filter_})
        return [node["code"] for node in data["grids"]["nodes"]]

    assert await codes({"claimed": True}) == ["G0", "G2", "G4"]
    assert await codes({"claimed": False}) == ["G1", "G3", "G5"]
    assert await codes({"claimedByUnitId": gid("Unit", register.unit.id)}) == ["G0", "G2", "G4"]
    sub1 = register.sub_centres[1]
    assert await codes({"organisationId": gid("Organisation", sub1.id)}) == ["G2", "G3"]
    assert await codes({"organisationId": gid("Organisation", sub1.id), "claimed": False}) == ["G3"]

    seen, after = [], None
    while True:
        connection = (await query(client, GRIDS, {"first": 4, "after": after}))["grids"]
        assert connection["totalCount"] == 6
        seen += [node["code"] for node in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == ["G0", "G1", "G2", "G3", "G4", "G5"]


async def test_a_unit_claims_and_unclaims_a_grid(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    ids = await add_grids(client, register)
    claim = await query(
        client,
        UPDATE_GRID,
        {"input": {"id": ids["G1"], "claimedByUnitId": gid("Unit", register.unit.id)}},
    )
    assert claim["updateGrid"]["grid"] == {
        "id": ids["G1"],
        "code": "G1",
        "name": "Grid 1",
        "latitude": 30.81,
        "claimedBy": {"name": "Health Bureau"},
    }
    unclaim = await query(
        client, UPDATE_GRID, {"input": {"id": ids["G0"], "claimedByUnitId": None}}
    )
    assert unclaim["updateGrid"]["grid"]["claimedBy"] is None
    unit = await query(
        client,
        "query($id: ID!) { node(id: $id) { ... on Unit { claimedGrids { code } } } }",
        {"id": gid("Unit", register.unit.id)},
    )
    assert unit["node"]["claimedGrids"] == [{"code": "G1"}, {"code": "G2"}, {"code": "G4"}]


async def test_bad_grids_are_refused_and_nothing_written(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    ids = await add_grids(client, register)
    bad = {
        "name": " ",
        "code": "G0",
        "organisationId": gid("Organisation", register.stations[0].id),
        "latitude": 91.0,
        "longitude": 110.9,
        "claimedByUnitId": gid("Unit", 99999),
    }
    data = await query(client, CREATE_GRID, {"input": bad})
    assert data["createGrid"]["grid"] is None
    assert errors_by_field(data["createGrid"]) == {
        ("input", "name"): "REQUIRED",
        ("input", "code"): "DUPLICATE",
        ("input", "latitude"): "OUT_OF_RANGE",
        ("input", "claimedByUnitId"): "NOT_FOUND",
    }
    update = await query(client, UPDATE_GRID, {"input": {"id": ids["G1"], "longitude": 181.0}})
    assert errors_by_field(update["updateGrid"]) == {("input", "longitude"): "OUT_OF_RANGE"}
    assert await count(sessionmaker, m.Grid) == 6
    deleted = await query(client, DELETE % ("Grid", "Grid"), {"input": {"id": ids["G1"]}})
    assert deleted["deleteGrid"] == {"deletedId": ids["G1"], "userErrors": []}
    assert await count(sessionmaker, m.Grid) == 5


async def test_node_returns_organisations_units_and_grids(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    ids = await add_grids(client, register)
    fields = """__typename id
        ... on Organisation { name }
        ... on Unit { name }
        ... on Grid { code organisation { name } }"""
    document = f"""query($a: ID!, $b: ID!, $c: ID!) {{
        a: node(id: $a) {{ {fields} }} b: node(id: $b) {{ {fields} }} c: node(id: $c) {{ {fields} }}
    }}"""
    wanted = [gid("Organisation", register.centre.id), gid("Unit", register.unit.id), ids["G3"]]
    data = await query(client, document, dict(zip("abc", wanted, strict=True)))
    assert data == {
        "a": {"__typename": "Organisation", "id": wanted[0], "name": "Centre"},
        "b": {"__typename": "Unit", "id": wanted[1], "name": "Health Bureau"},
        "c": {
            "__typename": "Grid",
            "id": wanted[2],
            "code": "G3",
            "organisation": {"name": "Station 1-1"},
        },
    }
