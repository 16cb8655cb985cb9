"""Rosters, assignments and runs over GraphQL: create, edit, delete, list, refuse."""

from __future__ import annotations

from datetime import date

from db import models as m
from db.models.enums import CheckpointKind, RiskLevel, RosterStatus, RunStatus
from db.session import transaction
from tests.factories import at, build_register, gid


async def _post_with_shift(session, register):  # type: ignore[no-untyped-def]
    checkpoint = m.Checkpoint(
        name="G318 border",
        code="CP-1",
        kind=CheckpointKind.ROAD_CHECKPOINT,
        organisation_id=register.stations[0].id,
        using_unit_id=register.unit.id,
        latitude=30.9,
        longitude=110.9,
        risk_level=RiskLevel.HIGH,
        priority=1,
    )
    session.add(checkpoint)
    await session.flush()
    shift = m.Shift(checkpoint_id=checkpoint.id, starts_at=at(24, 6), ends_at=at(24, 14))
    session.add(shift)
    await session.flush()
    line = m.HeadcountLine(shift_id=shift.id, headcount=2)
    session.add(line)
    await session.flush()
    return shift, line


CREATE_ROSTER = """mutation($input: CreateRosterInput!) { createRoster(input: $input) {
    roster { id status periodStart organisation { name } } userErrors { field code message } } }"""
CREATE_ASSIGNMENT = """mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) {
    assignment { id status pinned volunteer { name } shift { id } } userErrors { field code } } }"""


async def test_roster_with_assignments_round_trip(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=2)
        shift, line = await _post_with_shift(session, register)
    roster = (
        await client.execute(
            CREATE_ROSTER,
            {
                "input": {
                    "organisationId": gid("Organisation", register.centre.id),
                    "periodStart": "2026-11-23",
                    "periodEnd": "2026-11-29",
                }
            },
        )
    )["data"]["createRoster"]
    assert roster["userErrors"] == []
    assert roster["roster"]["status"] == "DRAFT"
    volunteer = register.volunteers[0]
    assignment_input = {
        "rosterId": roster["roster"]["id"],
        "shiftId": gid("Shift", shift.id),
        "headcountLineId": gid("HeadcountLine", line.id),
        "volunteerId": gid("Volunteer", volunteer.id),
        "pinned": True,
    }
    created = (await client.execute(CREATE_ASSIGNMENT, {"input": assignment_input}))["data"]
    assert created["createAssignment"]["userErrors"] == []
    assert created["createAssignment"]["assignment"]["volunteer"]["name"] == volunteer.name
    # The same volunteer twice on one shift of one roster is refused.
    again = (await client.execute(CREATE_ASSIGNMENT, {"input": assignment_input}))["data"]
    assert again["createAssignment"]["userErrors"] == [
        {"field": ["input", "volunteerId"], "code": "DUPLICATE"}
    ]
    listed = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Roster { assignments(first: 10) {
            totalCount nodes { pinned status } } } } }""",
        {"id": roster["roster"]["id"]},
    )
    assert listed["data"]["node"]["assignments"] == {
        "totalCount": 1,
        "nodes": [{"pinned": True, "status": "PROPOSED"}],
    }


async def test_roster_period_must_be_ordered_and_shift_inside_it(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
        shift, line = await _post_with_shift(session, register)
    bad = await client.execute(
        CREATE_ROSTER,
        {
            "input": {
                "organisationId": gid("Organisation", register.centre.id),
                "periodStart": "2026-11-29",
                "periodEnd": "2026-11-23",
            }
        },
    )
    assert bad["data"]["createRoster"]["userErrors"][0]["field"] == ["input", "periodEnd"]
    later = (
        await client.execute(
            CREATE_ROSTER,
            {
                "input": {
                    "organisationId": gid("Organisation", register.centre.id),
                    "periodStart": "2026-12-01",
                    "periodEnd": "2026-12-07",
                }
            },
        )
    )["data"]["createRoster"]["roster"]
    outside = await client.execute(
        CREATE_ASSIGNMENT,
        {
            "input": {
                "rosterId": later["id"],
                "shiftId": gid("Shift", shift.id),
                "headcountLineId": gid("HeadcountLine", line.id),
                "volunteerId": gid("Volunteer", register.volunteers[0].id),
            }
        },
    )
    assert outside["data"]["createAssignment"]["userErrors"] == [
        {"field": ["input", "shiftId"], "code": "OUT_OF_RANGE"}
    ]


async def test_published_roster_cannot_be_deleted(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
        roster = m.Roster(
            organisation_id=register.centre.id,
            period_start=date(2026, 11, 23),
            period_end=date(2026, 11, 29),
            status=RosterStatus.PUBLISHED,
        )
        session.add(roster)
    result = await client.execute(
        "mutation($id: ID!) { deleteRoster(input: {id: $id}) { deletedId userErrors { code } } }",
        {"id": gid("Roster", roster.id)},
    )
    assert result["data"]["deleteRoster"] == {
        "deletedId": None,
        "userErrors": [{"code": "CONFLICT"}],
    }
    listed = await client.execute("{ rosters(filter: {statuses: [PUBLISHED]}) { totalCount } }")
    assert listed["data"]["rosters"]["totalCount"] == 1


async def test_roster_runs_are_listed_newest_first(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
        for days, status in ((1, RunStatus.SUCCEEDED), (2, RunStatus.FAILED)):
            session.add(
                m.RosterRun(
                    organisation_id=register.sub_centres[0].id,
                    period_start=date(2026, 11, 22 + days),
                    period_end=date(2026, 11, 29),
                    status=status,
                    time_limit_seconds=60,
                    weights={"unfilled": 10000},
                    created_at=at(20 + days, 0),
                )
            )
    result = await client.execute(
        """query($org: ID!) { rosterRuns(filter: {organisationId: $org}) {
            nodes { status weights periodStart } } }""",
        {"org": gid("Organisation", register.centre.id)},
    )
    assert result["data"]["rosterRuns"]["nodes"] == [
        {"status": "FAILED", "weights": {"unfilled": 10000}, "periodStart": "2026-11-24"},
        {"status": "SUCCEEDED", "weights": {"unfilled": 10000}, "periodStart": "2026-11-23"},
    ]


async def test_a_roster_period_is_in_local_days(client, township, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    """06:00 at the posts (UTC+8) on the first day is 22:00 UTC the day before: still inside."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from tests.conftest import TOWNSHIP_START

    first = datetime(2026, 11, 22, 22, tzinfo=UTC)  # 06:00 local on 23 Nov
    async with sessionmaker() as session:
        shifts = {
            when: await session.scalar(
                select(m.Shift).where(m.Shift.starts_at == when).order_by(m.Shift.id).limit(1)
            )
            for when in (first, first + timedelta(days=1))
        }
        lines = {
            when: await session.scalar(
                select(m.HeadcountLine).where(m.HeadcountLine.shift_id == shift.id).limit(1)
            )
            for when, shift in shifts.items()
        }
        volunteer = await session.scalar(select(m.Volunteer.id).order_by(m.Volunteer.id))
    async with transaction(sessionmaker) as session:
        roster = m.Roster(
            organisation_id=township["centre"],
            period_start=TOWNSHIP_START,
            period_end=TOWNSHIP_START,
            status=RosterStatus.DRAFT,
        )
        session.add(roster)
    codes = []
    for when, shift in shifts.items():
        result = await client.execute(
            CREATE_ASSIGNMENT,
            {
                "input": {
                    "rosterId": gid("Roster", roster.id),
                    "shiftId": gid("Shift", shift.id),
                    "headcountLineId": gid("HeadcountLine", lines[when].id),
                    "volunteerId": gid("Volunteer", volunteer),
                }
            },
        )
        codes.append([e["code"] for e in result["data"]["createAssignment"]["userErrors"]])
    assert codes == [[], ["OUT_OF_RANGE"]]
