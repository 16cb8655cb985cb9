"""Manual roster edits over GraphQL, checked by the optimizer's checker: refused with the
broken rule and its reason and nothing written, or written with the line's gap brought up
to date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from db.session import transaction
from tests.factories import Register, build_register, gid

# Shifts run 09:00-17:00 in the posts' local time (Asia/Shanghai, UTC+8).
DAY_ONE = date(2026, 11, 24)


def morning(day: date) -> datetime:
    """01:00 UTC on ``day``: 09:00 local."""
    return datetime(day.year, day.month, day.day, 1, tzinfo=UTC)


@dataclass
class Post:
    """A checkpoint requiring the register's training, two days of one shift each, and kits."""

    register: Register
    checkpoint: m.Checkpoint
    item: m.ProtectiveItem
    shifts: list[m.Shift] = field(default_factory=list)
    lines: list[m.HeadcountLine] = field(default_factory=list)
    unit_stock: m.ProtectiveStock | None = None  # day one, 1 kit, the register's unit
    city_stock: m.ProtectiveStock | None = None  # day one, 1 kit, the city reserve
    later_stocks: list[m.ProtectiveStock] = field(default_factory=list)  # 5 kits, the unit's

    def volunteer(self, n: int) -> m.Volunteer:
        return self.register.volunteers[n]


async def build_post(
    session: AsyncSession, *, days: int = 2, headcount: int = 2, volunteers_per_station: int = 3
) -> Post:
    """Volunteers 0, 2 and 4 hold a valid certificate (1 and 3: expired on 10 Nov); 0 and 4 are
    agency volunteers of the unit, 2 a social one. Everyone is available all of November."""
    register = await build_register(session, volunteers_per_station=volunteers_per_station)
    item = m.ProtectiveItem(code="SUIT", name="Protective suit set")
    session.add(item)
    checkpoint = m.Checkpoint(
        name="G318 border",
        code="CP-G318",
        kind=CheckpointKind.ROAD_CHECKPOINT,
        organisation_id=register.stations[0].id,
        using_unit_id=register.unit.id,
        latitude=30.85,
        longitude=110.95,
        risk_level=RiskLevel.HIGH,
        priority=1,
    )
    session.add(checkpoint)
    await session.flush()
    await session.execute(
        m.checkpoint_required_trainings.insert(),
        [{"checkpoint_id": checkpoint.id, "training_id": register.training.id}],
    )
    post = Post(register, checkpoint, item)
    for d in range(days):
        starts = morning(DAY_ONE + timedelta(days=d))
        shift = m.Shift(
            checkpoint_id=checkpoint.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            shift_type="DAY",
            kit_item_id=item.id,
        )
        session.add(shift)
        await session.flush()
        line = m.HeadcountLine(shift_id=shift.id, headcount=headcount)
        session.add(line)
        post.shifts.append(shift)
        post.lines.append(line)
    post.unit_stock = m.ProtectiveStock(
        owner_unit_id=register.unit.id, item_id=item.id, day=DAY_ONE, quantity=1
    )
    post.city_stock = m.ProtectiveStock(
        owner_unit_id=None, item_id=item.id, day=DAY_ONE, quantity=1
    )
    session.add_all([post.unit_stock, post.city_stock])
    post.later_stocks = [
        m.ProtectiveStock(
            owner_unit_id=register.unit.id,
            item_id=item.id,
            day=DAY_ONE + timedelta(days=d),
            quantity=5,
        )
        for d in range(1, days)
    ]
    session.add_all(post.later_stocks)
    session.add_all(
        m.Availability(
            volunteer_id=v.id,
            starts_at=datetime(2026, 11, 1, tzinfo=UTC),
            ends_at=datetime(2026, 12, 1, tzinfo=UTC),
        )
        for v in register.volunteers
    )
    await session.flush()
    return post


async def add_roster(
    session: AsyncSession,
    post: Post,
    *,
    status: RosterStatus = RosterStatus.PROPOSED,
    days: int = 2,
) -> m.Roster:
    roster = m.Roster(
        organisation_id=post.register.centre.id,
        period_start=DAY_ONE,
        period_end=DAY_ONE + timedelta(days=days - 1),
        status=status,
    )
    session.add(roster)
    await session.flush()
    return roster


async def place(
    session: AsyncSession,
    roster: m.Roster,
    post: Post,
    volunteer: int,
    *,
    day: int = 0,
    stock: m.ProtectiveStock | None = None,
    pinned: bool = False,
    status: AssignmentStatus = AssignmentStatus.PROPOSED,
) -> m.Assignment:
    """An assignment written directly, as a run would write it."""
    row = m.Assignment(
        roster_id=roster.id,
        shift_id=post.shifts[day].id,
        headcount_line_id=post.lines[day].id,
        volunteer_id=post.volunteer(volunteer).id,
        stock_id=None if stock is None else stock.id,
        pinned=pinned,
        status=status,
    )
    session.add(row)
    await session.flush()
    return row


ASSIGN = """
mutation($input: AssignVolunteerInput!) {
  assignVolunteer(input: $input) {
    assignment { id pinned status volunteer { name } kitStock { id isCityReserve } }
    gap { missing reason }
    userErrors { field code rule message }
  }
}
"""
UNASSIGN = """
mutation($input: UnassignVolunteerInput!) {
  unassignVolunteer(input: $input) {
    deletedId
    gap { missing reason }
    userErrors { field code rule message }
  }
}
"""
PIN = """
mutation($input: PinAssignmentInput!) {
  pinAssignment(input: $input) {
    assignment { id pinned status }
    userErrors { field code rule message }
  }
}
"""


def assign_input(
    roster: m.Roster, post: Post, volunteer: int, *, day: int = 0, **more: object
) -> dict[str, object]:
    return {
        "rosterId": gid("Roster", roster.id),
        "headcountLineId": gid("HeadcountLine", post.lines[day].id),
        "volunteerId": gid("Volunteer", post.volunteer(volunteer).id),
        **more,
    }


async def assignments(sessionmaker, roster_id: int) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        query = select(func.count()).where(m.Assignment.roster_id == roster_id)
        return int(await session.scalar(query) or 0)


async def gap_rows(sessionmaker, roster_id: int) -> dict[int, tuple[int, str]]:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        rows = await session.scalars(select(m.RosterGap).where(m.RosterGap.roster_id == roster_id))
        return {g.headcount_line_id: (g.missing, g.reason) for g in rows}


async def test_an_assignment_breaking_certification_is_refused_with_the_reason(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
    result = await client.execute(ASSIGN, {"input": assign_input(roster, post, 1)})
    payload = result["data"]["assignVolunteer"]
    assert payload["assignment"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "volunteerId"],
            "code": "RULE_BROKEN",
            "rule": "only_eligible_volunteers",
            "message": "Volunteer 002 holds no valid Checkpoint screening certificate on "
            "24 Nov (it expired on 11 Nov)",
        }
    ]
    assert await assignments(sessionmaker, roster.id) == 0
    assert await gap_rows(sessionmaker, roster.id) == {}


async def test_an_assignment_overdrawing_a_stock_is_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
        await place(session, roster, post, 0, stock=post.unit_stock)
    assert post.unit_stock is not None
    unit_stock = gid("ProtectiveStock", post.unit_stock.id)
    result = await client.execute(
        ASSIGN, {"input": assign_input(roster, post, 4, stockId=unit_stock)}
    )
    payload = result["data"]["assignVolunteer"]
    assert payload["assignment"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "volunteerId"],
            "code": "RULE_BROKEN",
            "rule": "no_protection_no_post",
            "message": "unit Health Bureau's Protective suit set stock for 24 Nov would be "
            "overdrawn: 2 kits taken, 1 available",
        }
    ]
    assert await assignments(sessionmaker, roster.id) == 1


async def test_a_valid_assignment_is_written_with_a_stock_and_the_gap_updated(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
        session.add(
            m.RosterGap(
                roster_id=roster.id, headcount_line_id=post.lines[0].id, missing=2, reason="old"
            )
        )
    first = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 0)}))["data"][
        "assignVolunteer"
    ]
    assert first["userErrors"] == []
    # An agency volunteer's kit comes from their own unit before the city reserve.
    assert first["assignment"]["volunteer"]["name"] == "Volunteer 001"
    assert first["assignment"]["kitStock"]["isCityReserve"] is False
    assert first["gap"]["missing"] == 1
    assert "eligible volunteer" in first["gap"]["reason"]
    line = post.lines[0].id
    assert await gap_rows(sessionmaker, roster.id) == {line: (1, first["gap"]["reason"])}
    # The unit's only kit is taken: the next one comes from the city reserve, and the line is full.
    second = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 4)}))["data"][
        "assignVolunteer"
    ]
    assert second["userErrors"] == []
    assert second["assignment"]["kitStock"]["isCityReserve"] is True
    assert second["gap"] is None
    assert await gap_rows(sessionmaker, roster.id) == {}
    assert await assignments(sessionmaker, roster.id) == 2


async def test_no_kit_left_is_refused_in_words(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session, headcount=3)
        roster = await add_roster(session, post)
        await place(session, roster, post, 0, stock=post.unit_stock)
        await place(session, roster, post, 2, stock=post.city_stock)
    payload = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 4)}))["data"][
        "assignVolunteer"
    ]
    assert [(e["code"], e["rule"]) for e in payload["userErrors"]] == [
        ("RULE_BROKEN", "no_protection_no_post")
    ]
    assert payload["userErrors"][0]["message"] == (
        "no Protective suit set left for Volunteer 005 on G318 border 09:00–17:00 on 24 Nov: "
        "their own unit (Health Bureau) or the city reserve may equip them, and none has one"
    )


async def test_an_old_problem_elsewhere_does_not_block_an_unrelated_edit(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
        # Written by hand on day two: the volunteer's certificate has expired.
        await place(session, roster, post, 1, day=1)
    payload = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 0)}))["data"][
        "assignVolunteer"
    ]
    assert payload["userErrors"] == []
    # Even on the line with the old problem, a valid edit goes through.
    again = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 2, day=1)}))["data"][
        "assignVolunteer"
    ]
    assert again["userErrors"] == []


async def test_workload_rules_are_checked(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        # A second checkpoint with a shift overlapping day one's.
        other = m.Checkpoint(
            name="Market patrol",
            code="CP-MKT",
            kind=CheckpointKind.MARKET_PATROL,
            organisation_id=post.register.stations[1].id,
            using_unit_id=post.register.unit.id,
            latitude=30.86,
            longitude=110.96,
            risk_level=RiskLevel.LOW,
            priority=3,
        )
        session.add(other)
        await session.flush()
        shift = m.Shift(
            checkpoint_id=other.id,
            starts_at=morning(DAY_ONE) + timedelta(hours=4),
            ends_at=morning(DAY_ONE) + timedelta(hours=12),
            shift_type="DAY",
        )
        session.add(shift)
        await session.flush()
        line = m.HeadcountLine(shift_id=shift.id, headcount=1)
        session.add(line)
        roster = await add_roster(session, post)
        await place(session, roster, post, 0, stock=post.unit_stock)
    payload = (
        await client.execute(
            ASSIGN,
            {
                "input": assign_input(roster, post, 0)
                | {"headcountLineId": gid("HeadcountLine", line.id)}
            },
        )
    )["data"]["assignVolunteer"]
    rules = {e["rule"]: e["message"] for e in payload["userErrors"]}
    assert set(rules) == {"no_overlapping_shifts", "max_shifts_per_day"}
    assert rules["max_shifts_per_day"] == "Volunteer 001 would work 2 shifts on 24 Nov, at most 1"
    assert rules["no_overlapping_shifts"] == (
        "Volunteer 001 would be on two overlapping shifts: G318 border 09:00–17:00 on 24 Nov "
        "and Market patrol 13:00–21:00 on 24 Nov"
    )


async def test_unassign_refuses_pinned_until_unpinned(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
        kept = await place(session, roster, post, 0, stock=post.unit_stock)
        confirmed = await place(
            session, roster, post, 4, stock=post.city_stock, status=AssignmentStatus.CONFIRMED
        )
    kept_id = gid("Assignment", kept.id)
    pinned = (await client.execute(PIN, {"input": {"assignmentId": kept_id, "pinned": True}}))[
        "data"
    ]["pinAssignment"]
    assert pinned == {
        "assignment": {"id": kept_id, "pinned": True, "status": "PROPOSED"},
        "userErrors": [],
    }
    refused = (await client.execute(UNASSIGN, {"input": {"assignmentId": kept_id}}))["data"][
        "unassignVolunteer"
    ]
    assert refused["deletedId"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "assignmentId"],
            "code": "CONFLICT",
            "rule": None,
            "message": f"Volunteer 001's assignment {kept.id} is pinned: unpin it first "
            "(pinAssignment with pinned: false)",
        }
    ]
    assert await assignments(sessionmaker, roster.id) == 2
    # A confirmed assignment stays like a pinned one; unpinning withdraws the confirmation.
    confirmed_id = gid("Assignment", confirmed.id)
    refused = (await client.execute(UNASSIGN, {"input": {"assignmentId": confirmed_id}}))["data"][
        "unassignVolunteer"
    ]
    assert "is confirmed: unpin it first" in refused["userErrors"][0]["message"]
    unpinned = (
        await client.execute(PIN, {"input": {"assignmentId": confirmed_id, "pinned": False}})
    )["data"]["pinAssignment"]
    assert unpinned["assignment"]["status"] == "PROPOSED"
    for assignment_id in (kept_id,):
        await client.execute(PIN, {"input": {"assignmentId": assignment_id, "pinned": False}})
    gone = (await client.execute(UNASSIGN, {"input": {"assignmentId": kept_id}}))["data"][
        "unassignVolunteer"
    ]
    assert gone["userErrors"] == []
    assert gone["deletedId"] == kept_id
    assert gone["gap"]["missing"] == 1
    assert await gap_rows(sessionmaker, roster.id) == {post.lines[0].id: (1, gone["gap"]["reason"])}
    assert await assignments(sessionmaker, roster.id) == 1


async def test_published_rosters_take_edits_and_archived_ones_refuse(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        published = await add_roster(session, post, status=RosterStatus.PUBLISHED)
        archived = await add_roster(session, post, status=RosterStatus.ARCHIVED)
    done = (await client.execute(ASSIGN, {"input": assign_input(published, post, 0)}))["data"][
        "assignVolunteer"
    ]
    assert done["userErrors"] == []
    refused = (await client.execute(ASSIGN, {"input": assign_input(archived, post, 4)}))["data"][
        "assignVolunteer"
    ]
    assert refused["userErrors"] == [
        {
            "field": ["input", "rosterId"],
            "code": "CONFLICT",
            "rule": None,
            "message": f"roster {archived.id} is archived: edit the roster that replaced it",
        }
    ]
    assert await assignments(sessionmaker, archived.id) == 0


async def test_ids_outside_the_rosters_scope_or_period_are_refused(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session, days=3)
        roster = await add_roster(session, post, days=2)
    payload = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 0, day=2)}))[
        "data"
    ]["assignVolunteer"]
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "headcountLineId"], "OUT_OF_RANGE")
    ]
    # The same volunteer twice on one shift.
    await client.execute(ASSIGN, {"input": assign_input(roster, post, 0)})
    twice = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 0)}))["data"][
        "assignVolunteer"
    ]
    assert [e["code"] for e in twice["userErrors"]] == ["DUPLICATE"]


async def test_a_local_morning_shift_on_the_first_day_takes_edits(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        # 06:00 local on the roster's first day is 22:00 UTC the day before.
        early = m.Shift(
            checkpoint_id=post.checkpoint.id,
            starts_at=morning(DAY_ONE) - timedelta(hours=3),
            ends_at=morning(DAY_ONE) + timedelta(hours=5),
            kit_item_id=post.item.id,
        )
        session.add(early)
        await session.flush()
        line = m.HeadcountLine(shift_id=early.id, headcount=1)
        session.add(line)
        roster = await add_roster(session, post)
    given = assign_input(roster, post, 0) | {"headcountLineId": gid("HeadcountLine", line.id)}
    payload = (await client.execute(ASSIGN, {"input": given}))["data"]["assignVolunteer"]
    assert payload["userErrors"] == []
    pinned = await client.execute(
        PIN, {"input": {"assignmentId": payload["assignment"]["id"], "pinned": True}}
    )
    assert pinned["data"]["pinAssignment"]["userErrors"] == []


async def test_coordinators_edit_rosters_of_their_subtree_only(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
        roster.organisation_id = post.register.sub_centres[0].id
    own = client.as_("coordinator", organisation_id=post.register.sub_centres[0].id)
    done = await own.execute(ASSIGN, {"input": assign_input(roster, post, 0)})
    assert done["data"]["assignVolunteer"]["userErrors"] == [], done
    other = client.as_("coordinator", organisation_id=post.register.sub_centres[1].id)
    refused = await other.execute(ASSIGN, {"input": assign_input(roster, post, 4)})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    volunteer = client.as_("volunteer", volunteer_id=post.volunteer(4).id)
    refused = await volunteer.execute(ASSIGN, {"input": assign_input(roster, post, 4)})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await assignments(sessionmaker, roster.id) == 1


async def test_a_stock_the_supply_rules_forbid_and_a_full_line_are_refused(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        other = m.Unit(
            name="Transport Bureau", kind="AGENCY", organisation_id=post.register.centre.id
        )
        session.add(other)
        await session.flush()
        foreign = m.ProtectiveStock(
            owner_unit_id=other.id, item_id=post.item.id, day=DAY_ONE, quantity=3
        )
        session.add(foreign)
        roster = await add_roster(session, post)
        await place(session, roster, post, 0, stock=post.unit_stock)
    stock = gid("ProtectiveStock", foreign.id)
    payload = (
        await client.execute(ASSIGN, {"input": assign_input(roster, post, 2, stockId=stock)})
    )["data"]["assignVolunteer"]
    assert [(e["rule"], e["message"]) for e in payload["userErrors"]] == [
        (
            "no_protection_no_post",
            "unit Transport Bureau's Protective suit set stock for 24 Nov may not equip "
            "Volunteer 003: only the post's using unit (Health Bureau) or the city reserve",
        )
    ]
    async with transaction(sessionmaker) as session:
        await place(session, roster, post, 4, stock=post.city_stock)
    # A full line is reported before anything else (the checker stops at the roster's shape).
    payload = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 2)}))["data"][
        "assignVolunteer"
    ]
    assert [(e["rule"], e["message"]) for e in payload["userErrors"]] == [
        (
            "headcount_not_exceeded",
            "G318 border 09:00–17:00 on 24 Nov would have 3 people, at most 2 allowed",
        )
    ]
    assert await assignments(sessionmaker, roster.id) == 2


async def test_an_overfilled_line_elsewhere_does_not_switch_the_other_rules_off(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session, headcount=1)
        roster = await add_roster(session, post)
        # Day two's line takes one person; two were put there by hand.
        await place(session, roster, post, 0, day=1, stock=post.later_stocks[0])
        await place(session, roster, post, 4, day=1, stock=post.later_stocks[0])
    payload = (await client.execute(ASSIGN, {"input": assign_input(roster, post, 1)}))["data"][
        "assignVolunteer"
    ]
    assert [e["rule"] for e in payload["userErrors"]] == ["only_eligible_volunteers"]
    # Taking one of the two off is a fix, not a new problem.
    async with sessionmaker() as session:
        extra = await session.scalar(
            select(m.Assignment.id).where(
                m.Assignment.roster_id == roster.id,
                m.Assignment.volunteer_id == post.volunteer(4).id,
            )
        )
    fixed = (await client.execute(UNASSIGN, {"input": {"assignmentId": gid("Assignment", extra)}}))[
        "data"
    ]["unassignVolunteer"]
    assert fixed["userErrors"] == []
    assert fixed["gap"] is None
