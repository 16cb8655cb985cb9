"""Health reports and availability windows over GraphQL: checked writes and filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from db import models as m
from db.models.enums import HealthStatus
from db.session import transaction
from schema import schema
from tests.factories import at, build_register, gid

# The health root fields join the schema in schema/build.py; until then these cannot run.
pytestmark = pytest.mark.skipif(
    "reportHealth" not in schema.as_str(),
    reason="add HealthQueries and HealthMutations to schema/build.py",
)

REPORT = """
mutation($input: ReportHealthInput!) {
  reportHealth(input: $input) {
    healthReport { id day status temperature reportedAt note volunteer { name } }
    userErrors { field code message }
  }
}
"""

REPORTS = """
query($filter: HealthReportFilter, $first: Int) {
  healthReports(filter: $filter, first: $first) {
    totalCount
    nodes { day status temperature volunteer { name } }
  }
}
"""


async def report_count(sessionmaker) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        query = select(func.count()).select_from(m.HealthReport)
        return int(await session.scalar(query) or 0)


async def test_a_temperature_out_of_range_is_refused_and_nothing_is_written(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    volunteer = gid("Volunteer", register.volunteers[0].id)
    report = {"volunteerId": volunteer, "day": "2026-11-24", "status": "WELL", "temperature": 46.2}
    result = await client.execute(REPORT, {"input": report})
    payload = result["data"]["reportHealth"]
    assert payload["healthReport"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "temperature"], "OUT_OF_RANGE")
    ]
    assert await report_count(sessionmaker) == 0


async def test_a_report_is_recorded_now_unless_a_time_is_given(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    volunteer = register.volunteers[0]
    before = datetime.now(UTC)
    report = {
        "volunteerId": gid("Volunteer", volunteer.id),
        "day": "2026-11-24",
        "status": "UNWELL",
        "temperature": 38.3,
        "note": "  cough  ",
    }
    result = await client.execute(REPORT, {"input": report})
    payload = result["data"]["reportHealth"]
    assert payload["userErrors"] == []
    saved = payload["healthReport"]
    assert (saved["status"], saved["temperature"], saved["note"]) == ("UNWELL", 38.3, "cough")
    assert saved["volunteer"] == {"name": volunteer.name}
    assert datetime.fromisoformat(saved["reportedAt"]) >= before.replace(microsecond=0)

    update = """mutation($input: UpdateHealthReportInput!) { updateHealthReport(input: $input) {
        healthReport { status temperature } userErrors { field code } } }"""
    result = await client.execute(
        update, {"input": {"id": saved["id"], "status": "WELL", "temperature": None}}
    )
    assert result["data"]["updateHealthReport"] == {
        "healthReport": {"status": "WELL", "temperature": None},
        "userErrors": [],
    }
    delete = """mutation($id: ID!) { deleteHealthReport(input: {id: $id}) { deletedId } }"""
    result = await client.execute(delete, {"id": saved["id"]})
    assert result["data"]["deleteHealthReport"]["deletedId"] == saved["id"]
    assert await report_count(sessionmaker) == 0


async def test_reports_filtered_by_subtree_days_and_status(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=2)
        for i, volunteer in enumerate(register.volunteers):
            for day in (23, 24, 25):
                unwell = i % 4 == 0 and day == 24
                session.add(
                    m.HealthReport(
                        volunteer_id=volunteer.id,
                        day=date(2026, 11, day),
                        reported_at=at(day, 7),
                        status=HealthStatus.UNWELL if unwell else HealthStatus.WELL,
                        temperature=38.1 if unwell else 36.5,
                    )
                )
    sub = register.sub_centres[0]
    in_sub = [
        v for v in register.volunteers if v.organisation_id in {s.id for s in register.stations[:2]}
    ]
    filter_ = {
        "organisationId": gid("Organisation", sub.id),
        "days": {"from": "2026-11-24", "to": "2026-11-25"},
    }
    result = await client.execute(REPORTS, {"filter": filter_, "first": 100})
    connection = result["data"]["healthReports"]
    assert connection["totalCount"] == 2 * len(in_sub)
    assert {n["volunteer"]["name"] for n in connection["nodes"]} == {v.name for v in in_sub}
    assert {n["day"] for n in connection["nodes"]} == {"2026-11-24", "2026-11-25"}

    unwell = await client.execute(REPORTS, {"filter": {"status": "UNWELL"}})
    names = [n["volunteer"]["name"] for n in unwell["data"]["healthReports"]["nodes"]]
    assert names == [v.name for i, v in enumerate(register.volunteers) if i % 4 == 0]

    one = gid("Volunteer", register.volunteers[1].id)
    result = await client.execute(REPORTS, {"filter": {"volunteerId": one}})
    assert result["data"]["healthReports"]["totalCount"] == 3


CREATE_WINDOW = """
mutation($input: CreateAvailabilityInput!) {
  createAvailability(input: $input) {
    availability { id startsAt endsAt volunteer { name } }
    userErrors { field code }
  }
}
"""


async def test_an_availability_ending_before_it_starts_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    window = {
        "volunteerId": gid("Volunteer", register.volunteers[0].id),
        "startsAt": "2026-11-24T14:00:00+00:00",
        "endsAt": "2026-11-24T06:00:00+00:00",
    }
    result = await client.execute(CREATE_WINDOW, {"input": window})
    assert result["data"]["createAvailability"] == {
        "availability": None,
        "userErrors": [{"field": ["input", "endsAt"], "code": "OUT_OF_RANGE"}],
    }
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(m.Availability)) == 0


async def test_availabilities_filtered_by_volunteer_and_overlap(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    first, second = register.volunteers[:2]
    for volunteer, (start, end) in (
        (first, (at(24, 6), at(24, 14))),
        (first, (at(25, 6), at(25, 22))),
        (second, (at(24, 12), at(24, 20))),
    ):
        window = {
            "volunteerId": gid("Volunteer", volunteer.id),
            "startsAt": start.isoformat(),
            "endsAt": end.isoformat(),
        }
        result = await client.execute(CREATE_WINDOW, {"input": window})
        assert result["data"]["createAvailability"]["userErrors"] == []

    query = """query($filter: AvailabilityFilter) { availabilities(filter: $filter) {
        totalCount nodes { startsAt volunteer { name } } } }"""
    overlaps = {"overlaps": {"from": at(24, 13).isoformat(), "to": at(24, 18).isoformat()}}
    result = await client.execute(query, {"filter": overlaps})
    nodes = result["data"]["availabilities"]["nodes"]
    assert [(n["volunteer"]["name"], n["startsAt"][:13]) for n in nodes] == [
        (first.name, "2026-11-24T06"),
        (second.name, "2026-11-24T12"),
    ]
    # A window ending exactly when the range starts does not overlap it.
    touching = {
        "overlaps": {"from": at(24, 14).isoformat()},
        "volunteerId": gid("Volunteer", first.id),
    }
    result = await client.execute(query, {"filter": touching})
    assert [n["startsAt"][:13] for n in result["data"]["availabilities"]["nodes"]] == [
        "2026-11-25T06"
    ]


@pytest.mark.parametrize("size", [10, 100])
async def test_statement_count_does_not_grow_with_page_size(sessionmaker, client, size) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=30)
        session.add_all(
            m.HealthReport(
                volunteer_id=v.id,
                day=date(2026, 11, 24),
                reported_at=at(24, 7),
                status=HealthStatus.WELL,
            )
            for v in register.volunteers
        )
    query = """query($first: Int) { healthReports(first: $first) {
        totalCount nodes { day volunteer { name organisation { name } } } } }"""
    result = await client.execute(query, {"first": size})
    assert len(result["data"]["healthReports"]["nodes"]) == size
    # page + count + volunteer + organisation
    assert len(client.statements) == 4, client.statements
