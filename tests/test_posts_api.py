"""Checkpoints and shifts over GraphQL: checked writes, filters, coverage, statement counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from db.session import transaction
from tests.factories import Register, at, build_register, gid


@dataclass
class Posts:
    register: Register
    kit: m.ProtectiveItem
    checkpoints: list[m.Checkpoint] = field(default_factory=list)
    shifts: list[m.Shift] = field(default_factory=list)


async def add_posts(
    session: AsyncSession, register: Register, *, days: int = 3, shifts_per_day: int = 2
) -> Posts:
    """A checkpoint at the first station of each sub-centre, with shifts from 23 November:
    06:00, 14:00 and 22:00 UTC, eight hours each.

    Every shift has one line of two people with the register's skill, and one of one anyone.
    """
    kit = m.ProtectiveItem(code="SUIT", name="Protective suit set")
    session.add(kit)
    await session.flush()
    posts = Posts(register, kit)
    for n, station in enumerate([register.stations[0], register.stations[2]]):
        checkpoint = m.Checkpoint(
            name=f"Checkpoint {n}",
            code=f"CP-{n}",
            kind=CheckpointKind.ROAD_CHECKPOINT,
            organisation_id=station.id,
            using_unit_id=register.unit.id,
            latitude=30.8 + n,
            longitude=110.9,
            risk_level=RiskLevel.HIGH,
            priority=n + 1,
        )
        session.add(checkpoint)
        posts.checkpoints.append(checkpoint)
    await session.flush()
    for checkpoint in posts.checkpoints:
        for day in range(days):
            for s in range(shifts_per_day):
                starts_at = at(23, 6) + timedelta(days=day, hours=8 * s)
                shift = m.Shift(
                    checkpoint_id=checkpoint.id,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=8),
                    shift_type=("DAY", "EVENING", "NIGHT")[s],
                    kit_item_id=kit.id,
                )
                session.add(shift)
                posts.shifts.append(shift)
    await session.flush()
    for shift in posts.shifts:
        session.add_all(
            [
                m.HeadcountLine(shift_id=shift.id, skill_id=register.skill.id, headcount=2),
                m.HeadcountLine(shift_id=shift.id, skill_id=None, headcount=1),
            ]
        )
    await session.flush()
    return posts


async def count(sessionmaker, model: type[m.Base]) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


CREATE_SHIFT = """
mutation($input: CreateShiftInput!) {
  createShift(input: $input) {
    shift { id startsAt endsAt shiftType kitItem { code }
            headcountLines { headcount maxOverCover skill { code } } }
    userErrors { field code message }
  }
}
"""


def shift_input(posts: Posts, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "checkpointId": gid("Checkpoint", posts.checkpoints[0].id),
        "startsAt": "2026-11-30T06:00:00+00:00",
        "endsAt": "2026-11-30T14:00:00+00:00",
        "kitItemId": gid("ProtectiveItem", posts.kit.id),
        "headcountLines": [
            {"skillId": gid("Skill", posts.register.skill.id), "headcount": 2},
            {"headcount": 1, "maxOverCover": 1},
        ],
    }
    return values | changes


async def test_a_shift_ending_before_it_starts_is_refused_and_nothing_is_written(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=0)
    result = await client.execute(
        CREATE_SHIFT,
        {"input": shift_input(posts, endsAt="2026-11-30T05:00:00+00:00")},
    )
    payload = result["data"]["createShift"]
    assert payload["shift"] is None
    assert [(e["field"], e["code"], e["message"]) for e in payload["userErrors"]] == [
        (["input", "endsAt"], "OUT_OF_RANGE", "endsAt must be after startsAt")
    ]
    listed = await client.execute("{ shifts { totalCount } }")
    assert listed["data"]["shifts"]["totalCount"] == 0
    assert await count(sessionmaker, m.Shift) == 0
    assert await count(sessionmaker, m.HeadcountLine) == 0


async def test_a_shift_is_created_with_its_headcount_lines(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=0)
    result = await client.execute(CREATE_SHIFT, {"input": shift_input(posts, shiftType="night")})
    payload = result["data"]["createShift"]
    assert payload["userErrors"] == []
    shift = payload["shift"]
    assert shift["shiftType"] == "NIGHT"
    assert shift["kitItem"] == {"code": "SUIT"}
    assert shift["headcountLines"] == [
        {"headcount": 2, "maxOverCover": 0, "skill": {"code": "TEMP"}},
        {"headcount": 1, "maxOverCover": 1, "skill": None},
    ]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"endsAt": "2026-12-01T07:00:00+00:00"}, "endsAt", "OUT_OF_RANGE"),  # 25 hours
        ({"headcountLines": [{"headcount": 0}]}, "headcountLines", "OUT_OF_RANGE"),
        ({"headcountLines": []}, "headcountLines", "REQUIRED"),
        (
            {"headcountLines": [{"headcount": 1}, {"headcount": 2}]},
            "headcountLines",
            "DUPLICATE",
        ),
        ({"startsAt": "2026-11-30T06:00:00"}, "startsAt", "INVALID"),  # no UTC offset
        ({"kitItemId": gid("ProtectiveItem", 999999)}, "kitItemId", "NOT_FOUND"),
    ],
)
async def test_bad_shifts_are_refused_with_typed_errors(
    sessionmaker, client, changes, field, code
) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=0)
    result = await client.execute(CREATE_SHIFT, {"input": shift_input(posts, **changes)})
    payload = result["data"]["createShift"]
    assert payload["shift"] is None
    assert (["input", field], code) in [(e["field"], e["code"]) for e in payload["userErrors"]]
    assert await count(sessionmaker, m.Shift) == 0
    assert await count(sessionmaker, m.HeadcountLine) == 0


UPDATE_SHIFT = """
mutation($input: UpdateShiftInput!) {
  updateShift(input: $input) {
    shift { endsAt headcountLines { id headcount skill { code } } }
    userErrors { field code message }
  }
}
"""


async def test_updating_lines_keeps_matching_lines_and_refuses_dropping_staffed_ones(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=1)
        shift = posts.shifts[0]
        skilled_line = await session.scalar(
            select(m.HeadcountLine).where(
                m.HeadcountLine.shift_id == shift.id, m.HeadcountLine.skill_id.is_not(None)
            )
        )
        await add_assignments(session, posts, shift, skilled_line, [AssignmentStatus.CONFIRMED])
    skill = gid("Skill", posts.register.skill.id)
    result = await client.execute(
        UPDATE_SHIFT, {"input": {"id": gid("Shift", shift.id), "shiftType": None}}
    )
    errors = result["data"]["updateShift"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "shiftType"], "REQUIRED")]
    result = await client.execute(
        UPDATE_SHIFT,
        {"input": {"id": gid("Shift", shift.id), "headcountLines": [{"headcount": 3}]}},
    )
    payload = result["data"]["updateShift"]
    assert payload["shift"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "headcountLines"], "IN_USE")
    ]
    result = await client.execute(
        UPDATE_SHIFT,
        {
            "input": {
                "id": gid("Shift", shift.id),
                "endsAt": "2026-11-23T15:00:00+00:00",
                "headcountLines": [{"skillId": skill, "headcount": 4}],
            }
        },
    )
    payload = result["data"]["updateShift"]
    assert payload["userErrors"] == []
    assert payload["shift"]["endsAt"].startswith("2026-11-23T15:00:00")
    assert payload["shift"]["headcountLines"] == [
        {"id": gid("HeadcountLine", skilled_line.id), "headcount": 4, "skill": {"code": "TEMP"}}
    ]
    assert await count(sessionmaker, m.Assignment) == 1


LIST = """
query($filter: ShiftFilter, $order: ShiftOrder, $first: Int, $after: String) {
  shifts(filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id startsAt checkpoint { code } }
  }
}
"""


async def test_shifts_filtered_by_days_checkpoint_and_organisation_subtree(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=3, shifts_per_day=3)
    register = posts.register

    days = {"days": {"from": "2026-11-24", "to": "2026-11-25"}}
    result = await client.execute(LIST, {"filter": days, "first": 100})
    nodes = result["data"]["shifts"]["nodes"]
    assert len(nodes) == 12  # 2 checkpoints x 2 days x 3 shifts
    assert all(n["startsAt"][:10] in ("2026-11-24", "2026-11-25") for n in nodes)
    assert [n["startsAt"] for n in nodes] == sorted(n["startsAt"] for n in nodes)

    # In China Standard Time 23 November ends at 16:00 UTC, so the 22:00 shifts fall on the 24th.
    local = {"days": {"from": "2026-11-23", "to": "2026-11-23"}, "timeZone": "Asia/Shanghai"}
    result = await client.execute(LIST, {"filter": local})
    assert sorted(n["startsAt"][:16] for n in result["data"]["shifts"]["nodes"]) == [
        "2026-11-23T06:00",
        "2026-11-23T06:00",
        "2026-11-23T14:00",
        "2026-11-23T14:00",
    ]

    by_checkpoint = {"checkpointId": gid("Checkpoint", posts.checkpoints[1].id)}
    result = await client.execute(LIST, {"filter": by_checkpoint, "first": 100})
    assert result["data"]["shifts"]["totalCount"] == 9
    assert {n["checkpoint"]["code"] for n in result["data"]["shifts"]["nodes"]} == {"CP-1"}

    subtree = {
        "organisationId": gid("Organisation", register.sub_centres[0].id),
        "startsFrom": "2026-11-23T12:00:00+00:00",
        "startsBefore": "2026-11-25T00:00:00+00:00",
    }
    result = await client.execute(LIST, {"filter": subtree, "first": 100})
    connection = result["data"]["shifts"]
    assert connection["totalCount"] == 5  # 14:00 and 22:00 on the 23rd, all three on the 24th
    assert {n["checkpoint"]["code"] for n in connection["nodes"]} == {"CP-0"}

    centre = {"organisationId": gid("Organisation", register.centre.id)}
    result = await client.execute(LIST, {"filter": centre})
    assert result["data"]["shifts"]["totalCount"] == 18

    unknown = await client.execute(LIST, {"filter": {"timeZone": "Mars/Olympus"}})
    assert "unknown time zone" in unknown["errors"][0]["message"]


async def test_shifts_ordered_by_priority_page_through(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=3)
    order = {"field": "PRIORITY", "direction": "DESC"}
    seen, after = [], None
    while True:
        result = await client.execute(LIST, {"order": order, "first": 4, "after": after})
        connection = result["data"]["shifts"]
        seen += [n["checkpoint"]["code"] for n in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == ["CP-1"] * 6 + ["CP-0"] * 6
    assert len(posts.shifts) == 12


async def add_assignments(
    session: AsyncSession,
    posts: Posts,
    shift: m.Shift,
    line: m.HeadcountLine,
    statuses: list[AssignmentStatus],
    *,
    roster_status: RosterStatus = RosterStatus.PUBLISHED,
    first: int = 0,
) -> None:
    """One roster of ``roster_status`` with an assignment per status, a volunteer each
    (from the register's ``first`` volunteer on: nobody holds two overlapping shifts)."""
    roster = m.Roster(
        organisation_id=posts.register.centre.id,
        period_start=date(2026, 11, 23),
        period_end=date(2026, 11, 29),
        status=roster_status,
    )
    session.add(roster)
    await session.flush()
    session.add_all(
        m.Assignment(
            roster_id=roster.id,
            shift_id=shift.id,
            headcount_line_id=line.id,
            volunteer_id=volunteer.id,
            status=status,
        )
        for volunteer, status in zip(posts.register.volunteers[first:], statuses, strict=False)
    )
    await session.flush()


COVERAGE = """
query($coverage: CoverageStatus) {
  shifts(filter: {coverage: $coverage}, first: 100) {
    nodes { id coverage { required filled status } }
  }
}
"""


async def test_coverage_counts_non_cancelled_assignments_of_published_rosters(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=1)
        lines = {
            (line.shift_id, line.skill_id): line
            for line in await session.scalars(select(m.HeadcountLine))
        }
        skill = posts.register.skill.id
        staffed, short, over, drafted = posts.shifts[:4]
        confirmed = AssignmentStatus.CONFIRMED
        for n, shift in enumerate((staffed, over)):
            await add_assignments(
                session, posts, shift, lines[shift.id, skill], [confirmed] * 2, first=3 * n
            )
            await add_assignments(
                session, posts, shift, lines[shift.id, None], [confirmed], first=3 * n + 2
            )
        # One person beyond the line's headcount, with no over-cover allowed.
        extra = m.Roster(
            organisation_id=posts.register.centre.id,
            period_start=date(2026, 11, 23),
            period_end=date(2026, 11, 23),
            status=RosterStatus.PUBLISHED,
        )
        session.add(extra)
        await session.flush()
        session.add(
            m.Assignment(
                roster_id=extra.id,
                shift_id=over.id,
                headcount_line_id=lines[over.id, None].id,
                volunteer_id=posts.register.volunteers[6].id,
                status=AssignmentStatus.PROPOSED,
            )
        )
        # Cancelled people and draft rosters do not count.
        await add_assignments(
            session,
            posts,
            short,
            lines[short.id, skill],
            [confirmed, AssignmentStatus.CANCELLED, AssignmentStatus.CANCELLED],
            first=7,
        )
        await add_assignments(session, posts, short, lines[short.id, None], [confirmed], first=10)
        await add_assignments(
            session,
            posts,
            drafted,
            lines[drafted.id, skill],
            [confirmed] * 2,
            roster_status=RosterStatus.DRAFT,
        )
        await add_assignments(session, posts, drafted, lines[drafted.id, None], [confirmed])

    async def listed(status: str) -> dict[str, dict[str, object]]:
        result = await client.execute(COVERAGE, {"coverage": status})
        assert "errors" not in result, result
        return {n["id"]: n["coverage"] for n in result["data"]["shifts"]["nodes"]}

    assert await listed("STAFFED") == {
        gid("Shift", staffed.id): {"required": 3, "filled": 3, "status": "STAFFED"}
    }
    assert await listed("OVERSTAFFED") == {
        gid("Shift", over.id): {"required": 3, "filled": 4, "status": "OVERSTAFFED"}
    }
    understaffed = await listed("UNDERSTAFFED")
    assert understaffed[gid("Shift", short.id)] == {
        "required": 3,
        "filled": 2,
        "status": "UNDERSTAFFED",
    }
    assert understaffed[gid("Shift", drafted.id)]["filled"] == 1
    assert len(understaffed) == 2


async def test_shifts_needing_a_skill(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=1)
        other = m.Skill(code="GUIDE", name="Guidance", category="PUBLICITY_GUIDANCE")
        session.add(other)
        await session.flush()
        session.add(m.HeadcountLine(shift_id=posts.shifts[0].id, skill_id=other.id, headcount=1))
    result = await client.execute(
        LIST, {"filter": {"needsSkillId": gid("Skill", other.id)}, "first": 100}
    )
    assert [n["id"] for n in result["data"]["shifts"]["nodes"]] == [
        gid("Shift", posts.shifts[0].id)
    ]


NESTED = """
query($first: Int) {
  shifts(first: $first) {
    totalCount
    nodes {
      id startsAt endsAt shiftType
      checkpoint { code }
      headcountLines { headcount skill { code } }
      kitItem { code }
      coverage { required filled status }
    }
  }
}
"""


@pytest.mark.parametrize("size", [10, 100])
async def test_statement_count_does_not_grow_with_page_size(sessionmaker, client, size) -> None:
    async with transaction(sessionmaker) as session:
        await add_posts(session, await build_register(session), days=17, shifts_per_day=3)
    result = await client.execute(NESTED, {"first": size})
    assert "errors" not in result, result
    assert len(result["data"]["shifts"]["nodes"]) == size
    # page + count + checkpoint + headcount lines + skill + kit item + coverage
    assert len(client.statements) == 7, client.statements


CREATE_CHECKPOINT = """
mutation($input: CreateCheckpointInput!) {
  createCheckpoint(input: $input) {
    checkpoint { id code priority organisation { name } usingUnit { name }
                 requiredTrainings { code } }
    userErrors { field code message }
  }
}
"""


def checkpoint_input(register: Register, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Border gate",
        "code": "GATE-1",
        "kind": "ROAD_CHECKPOINT",
        "organisationId": gid("Organisation", register.stations[1].id),
        "usingUnitId": gid("Unit", register.unit.id),
        "latitude": 30.9,
        "longitude": 110.8,
        "riskLevel": "HIGH",
        "priority": 1,
        "requiredTrainingIds": [gid("Training", register.training.id)],
    }
    return values | changes


async def test_checkpoints_are_created_and_filtered(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=1)
    register = posts.register
    result = await client.execute(CREATE_CHECKPOINT, {"input": checkpoint_input(register)})
    payload = result["data"]["createCheckpoint"]
    assert payload["userErrors"] == []
    created = payload["checkpoint"]
    assert created["requiredTrainings"] == [{"code": "SCREEN"}]
    assert created["usingUnit"] == {"name": "Health Bureau"}

    query = """query($filter: CheckpointFilter) { checkpoints(filter: $filter, first: 100) {
        totalCount nodes { code } } }"""

    async def codes(filter_: dict[str, object]) -> list[str]:
        result = await client.execute(query, {"filter": filter_})
        assert "errors" not in result, result
        return [n["code"] for n in result["data"]["checkpoints"]["nodes"]]

    training = gid("Training", register.training.id)
    assert await codes({"requiresTrainingId": training}) == ["GATE-1"]
    assert await codes({"maxPriority": 1}) == ["GATE-1", "CP-0"]
    assert await codes({"organisationId": gid("Organisation", register.sub_centres[1].id)}) == [
        "CP-1"
    ]
    assert await codes({"near": {"latitude": 31.8, "longitude": 110.9, "km": 5}}) == ["CP-1"]
    assert await codes({"kinds": ["HOTLINE"]}) == []
    assert await codes({"riskLevels": ["HIGH"], "usingUnitId": gid("Unit", register.unit.id)})

    duplicate = await client.execute(CREATE_CHECKPOINT, {"input": checkpoint_input(register)})
    errors = duplicate["data"]["createCheckpoint"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "code"], "DUPLICATE")]


async def test_a_checkpoint_with_bad_values_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    bad = checkpoint_input(
        register,
        code="GATE-2",
        priority=6,
        latitude=91.0,
        requiredTrainingIds=[gid("Training", 999999)],
    )
    result = await client.execute(CREATE_CHECKPOINT, {"input": bad})
    payload = result["data"]["createCheckpoint"]
    assert payload["checkpoint"] is None
    assert sorted((e["field"][1], e["code"]) for e in payload["userErrors"]) == [
        ("latitude", "OUT_OF_RANGE"),
        ("priority", "OUT_OF_RANGE"),
        ("requiredTrainingIds", "NOT_FOUND"),
    ]
    assert await count(sessionmaker, m.Checkpoint) == 0


async def test_checkpoint_update_shifts_window_and_delete(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=3)
    checkpoint = gid("Checkpoint", posts.checkpoints[0].id)
    update = """mutation($input: UpdateCheckpointInput!) { updateCheckpoint(input: $input) {
        checkpoint { priority requiredTrainings { code }
          shifts(from: "2026-11-24T00:00:00Z", to: "2026-11-25T00:00:00Z") { startsAt } }
        userErrors { field code } } }"""
    training = gid("Training", posts.register.training.id)
    result = await client.execute(
        update, {"input": {"id": checkpoint, "priority": 5, "requiredTrainingIds": [training]}}
    )
    payload = result["data"]["updateCheckpoint"]
    assert payload["userErrors"] == []
    assert payload["checkpoint"]["priority"] == 5
    assert payload["checkpoint"]["requiredTrainings"] == [{"code": "SCREEN"}]
    assert [s["startsAt"][:13] for s in payload["checkpoint"]["shifts"]] == [
        "2026-11-24T06",
        "2026-11-24T14",
    ]

    delete = """mutation($id: ID!) { deleteCheckpoint(input: {id: $id}) {
        deletedId userErrors { code } } }"""
    result = await client.execute(delete, {"id": checkpoint})
    assert result["data"]["deleteCheckpoint"] == {"deletedId": checkpoint, "userErrors": []}
    assert await count(sessionmaker, m.Shift) == 6  # the other checkpoint's


async def test_a_shift_staffed_in_a_published_roster_cannot_be_deleted(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        posts = await add_posts(session, await build_register(session), days=1)
        shift = posts.shifts[0]
        line = await session.scalar(
            select(m.HeadcountLine).where(m.HeadcountLine.shift_id == shift.id)
        )
        await add_assignments(session, posts, shift, line, [AssignmentStatus.CONFIRMED])
    delete = """mutation($id: ID!) { deleteShift(input: {id: $id}) {
        deletedId userErrors { field code } } }"""
    result = await client.execute(delete, {"id": gid("Shift", shift.id)})
    assert result["data"]["deleteShift"] == {
        "deletedId": None,
        "userErrors": [{"field": ["input", "id"], "code": "IN_USE"}],
    }
    free = gid("Shift", posts.shifts[1].id)
    result = await client.execute(delete, {"id": free})
    assert result["data"]["deleteShift"]["deletedId"] == free
