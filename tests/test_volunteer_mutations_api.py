"""Creating, editing, deleting and bulk-importing volunteers over GraphQL."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from db import models as m
from db.session import transaction
from tests.factories import build_register, gid, resident_id

CREATE = """
mutation($input: CreateVolunteerInput!) {
  createVolunteer(input: $input) {
    volunteer { id name kind unit { name } skills { code } }
    userErrors { field code message }
  }
}
"""


def volunteer_input(register, **changes):  # type: ignore[no-untyped-def]
    return {
        "name": "Li Na",
        "kind": "AGENCY",
        "organisationId": gid("Organisation", register.stations[0].id),
        "unitId": gid("Unit", register.unit.id),
        "phone": "13912345678",
        "idNumber": resident_id(9001),
        "homeLatitude": 30.85,
        "homeLongitude": 110.95,
        "skillIds": [gid("Skill", register.skill.id)],
    } | changes


async def count(sessionmaker, model) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_create_then_read_through_node(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    result = await client.execute(CREATE, {"input": volunteer_input(register)})
    payload = result["data"]["createVolunteer"]
    assert payload["userErrors"] == []
    assert payload["volunteer"]["unit"] == {"name": "Health Bureau"}
    assert payload["volunteer"]["skills"] == [{"code": "TEMP"}]
    node = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Volunteer { name kind } } }",
        {"id": payload["volunteer"]["id"]},
    )
    assert node["data"]["node"] == {"name": "Li Na", "kind": "AGENCY"}


async def test_agency_volunteer_without_unit_is_refused_and_nothing_written(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    bad = volunteer_input(register, unitId=None, idNumber="420527198503120001")
    result = await client.execute(CREATE, {"input": bad})
    payload = result["data"]["createVolunteer"]
    assert payload["volunteer"] is None
    fields = {tuple(e["field"]): e["code"] for e in payload["userErrors"]}
    assert fields[("input", "unitId")] == "REQUIRED"
    assert fields[("input", "idNumber")] == "INVALID"
    assert await count(sessionmaker, m.Volunteer) == 0


async def test_a_global_id_of_the_wrong_type_is_a_user_error(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    bad = volunteer_input(register, unitId=gid("Skill", register.skill.id))
    payload = (await client.execute(CREATE, {"input": bad}))["data"]["createVolunteer"]
    assert payload["userErrors"] == [
        {"field": ["input", "unitId"], "code": "INVALID", "message": "unitId must be a Unit id"}
    ]


async def test_update_changes_only_given_fields_and_delete_removes(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    volunteer = register.volunteers[0]
    update = """mutation($input: UpdateVolunteerInput!) { updateVolunteer(input: $input) {
        volunteer { name phone skills { code } } userErrors { field code } } }"""
    result = await client.execute(
        update,
        {"input": {"id": gid("Volunteer", volunteer.id), "phone": "13700001111", "skillIds": []}},
    )
    assert result["data"]["updateVolunteer"] == {
        "volunteer": {"name": volunteer.name, "phone": "13700001111", "skills": []},
        "userErrors": [],
    }
    delete = """mutation($id: ID!) { deleteVolunteer(input: {id: $id}) { deletedId
        userErrors { code } } }"""
    result = await client.execute(delete, {"id": gid("Volunteer", volunteer.id)})
    assert result["data"]["deleteVolunteer"]["deletedId"] == gid("Volunteer", volunteer.id)
    again = await client.execute(delete, {"id": gid("Volunteer", volunteer.id)})
    assert again["data"]["deleteVolunteer"]["userErrors"] == [{"code": "NOT_FOUND"}]


IMPORT = """
mutation($text: String!) {
  importVolunteers(input: {text: $text}) { created userErrors { field code message row } }
}
"""


def volunteers_csv(register, rows: int, *, bad_row: int | None = None) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "kind",
            "organisation",
            "unit",
            "phone",
            "id_number",
            "home_latitude",
            "home_longitude",
            "home_grid",
            "skills",
        ]
    )
    for i in range(rows):
        id_number = resident_id(20_000 + i)
        if bad_row is not None and i + 2 == bad_row:  # the header is row 1
            id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
        writer.writerow(
            [
                f"Imported {i:03d}",
                "SOCIAL",
                register.stations[0].code,
                "",
                f"1390000{i:04d}",
                id_number,
                "30.9",
                "110.9",
                "",
                "TEMP",
            ]
        )
    return out.getvalue()


async def test_import_with_one_bad_row_among_500_writes_nothing(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    result = await client.execute(IMPORT, {"text": volunteers_csv(register, 500, bad_row=317)})
    payload = result["data"]["importVolunteers"]
    assert payload["created"] == 0
    assert len(payload["userErrors"]) == 1
    error = payload["userErrors"][0]
    assert (error["row"], error["field"], error["code"]) == (317, ["id_number"], "INVALID")
    assert await count(sessionmaker, m.Volunteer) == 0


async def test_import_of_500_good_rows_writes_them_all(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    result = await client.execute(IMPORT, {"text": volunteers_csv(register, 500)})
    assert result["data"]["importVolunteers"] == {"created": 500, "userErrors": []}
    listed = await client.execute(
        '{ volunteers(filter: {nameContains: "Imported"}) { totalCount } }'
    )
    assert listed["data"]["volunteers"]["totalCount"] == 500
    assert await count(sessionmaker, m.volunteer_skills) == 500


@pytest.mark.parametrize(
    "content", ["not base64!", "非ASCII文本"], ids=["bad-padding", "non-ascii"]
)
async def test_import_refuses_content_that_is_not_base64(client, content: str) -> None:  # type: ignore[no-untyped-def]
    result = await client.execute(
        "mutation($c: String!) { importVolunteers(input: {contentBase64: $c, format: CSV}) {"
        " created userErrors { field code message } } }",
        {"c": content},
    )
    payload = result["data"]["importVolunteers"]
    assert payload["created"] == 0
    assert payload["userErrors"] == [
        {
            "field": ["input", "contentBase64"],
            "code": "INVALID",
            "message": "contentBase64 is not base64",
        }
    ]
