"""Roster queries over GraphQL: gaps with reasons, the kit dispatch list, a volunteer's schedule,
a checkpoint's day, per-line coverage; each list costs the same statements at 10 and 100."""

from __future__ import annotations

from datetime import timedelta

from db import models as m
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from db.session import transaction
from tests.factories import build_register, gid
from tests.test_roster_edits import DAY_ONE, add_roster, build_post, morning, place

DISPATCH = """
query($id: ID!) {
  node(id: $id) {
    ... on Roster {
      dispatchList {
        day kits fromCityReserve
        ownerUnit { name } item { name } checkpoint { name } stock { id }
      }
    }
  }
}
"""


async def test_the_dispatch_list_sums_kits_per_stock_day_and_checkpoint(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session, headcount=5)
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
        patrol = m.Shift(
            checkpoint_id=other.id,
            starts_at=morning(DAY_ONE + timedelta(days=1)),
            ends_at=morning(DAY_ONE + timedelta(days=1)) + timedelta(hours=8),
            kit_item_id=post.item.id,
        )
        session.add(patrol)
        await session.flush()
        patrol_line = m.HeadcountLine(shift_id=patrol.id, headcount=1)
        session.add(patrol_line)
        await session.flush()
        day_two = post.later_stocks[0]
        roster = await add_roster(session, post)
        await place(session, roster, post, 0, stock=post.unit_stock)
        await place(session, roster, post, 4, stock=post.city_stock)
        await place(session, roster, post, 0, day=1, stock=day_two)
        await place(session, roster, post, 2, day=1, stock=day_two)
        # Cancelled, or without a kit: nothing to send.
        await place(
            session, roster, post, 3, day=1, stock=day_two, status=AssignmentStatus.CANCELLED
        )
        await place(session, roster, post, 5, day=1)
        session.add(
            m.Assignment(
                roster_id=roster.id,
                shift_id=patrol.id,
                headcount_line_id=patrol_line.id,
                volunteer_id=post.volunteer(6).id,
                stock_id=day_two.id,
                status=AssignmentStatus.PROPOSED,
            )
        )
    result = await client.execute(DISPATCH, {"id": gid("Roster", roster.id)})
    assert "errors" not in result, result
    lines = [
        (
            line["day"],
            line["ownerUnit"]["name"] if line["ownerUnit"] else None,
            line["fromCityReserve"],
            line["checkpoint"]["name"],
            line["kits"],
        )
        for line in result["data"]["node"]["dispatchList"]
    ]
    assert lines == [
        ("2026-11-24", "Health Bureau", False, "G318 border", 1),
        ("2026-11-24", None, True, "G318 border", 1),
        ("2026-11-25", "Health Bureau", False, "G318 border", 2),
        ("2026-11-25", "Health Bureau", False, "Market patrol", 1),
    ]


SCHEDULE = """
query($id: ID!, $from: Date, $to: Date) {
  node(id: $id) {
    ... on Volunteer {
      schedule(from: $from, to: $to) {
        status
        shift { startsAt checkpoint { name } kitItem { name } }
        kitStock { isCityReserve }
      }
    }
  }
}
"""
MY_SCHEDULE = """
query($from: Date) { mySchedule(from: $from) { shift { startsAt } } }
"""


async def test_a_volunteers_schedule_lists_their_published_assignments(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session, days=3)
        published = await add_roster(session, post, status=RosterStatus.PUBLISHED, days=3)
        proposed = await add_roster(session, post, days=3)
        await place(session, published, post, 0, stock=post.unit_stock)
        await place(session, published, post, 0, day=2)
        await place(session, proposed, post, 0, day=1)
        await place(session, published, post, 4, status=AssignmentStatus.CANCELLED)
    volunteer = gid("Volunteer", post.volunteer(0).id)

    async def starts(variables: dict[str, object]) -> list[str]:
        result = await client.execute(SCHEDULE, {"id": volunteer, **variables})
        assert "errors" not in result, result
        return [a["shift"]["startsAt"] for a in result["data"]["node"]["schedule"]]

    assert await starts({}) == ["2026-11-24T01:00:00+00:00", "2026-11-26T01:00:00+00:00"]
    assert await starts({"from": "2026-11-25"}) == ["2026-11-26T01:00:00+00:00"]
    assert await starts({"to": "2026-11-25"}) == ["2026-11-24T01:00:00+00:00"]
    result = await client.execute(SCHEDULE, {"id": volunteer, "to": "2026-11-24"})
    assert result["data"]["node"]["schedule"] == [
        {
            "status": "PROPOSED",
            "shift": {
                "startsAt": "2026-11-24T01:00:00+00:00",
                "checkpoint": {"name": "G318 border"},
                "kitItem": {"name": "Protective suit set"},
            },
            "kitStock": {"isCityReserve": False},
        }
    ]
    cancelled = await client.execute(SCHEDULE, {"id": gid("Volunteer", post.volunteer(4).id)})
    assert cancelled["data"]["node"]["schedule"] == []
    # The volunteer sees their own schedule; a caller who is no volunteer is refused.
    me = client.as_("volunteer", volunteer_id=post.volunteer(0).id)
    mine = await me.execute(MY_SCHEDULE, {"from": "2026-11-25"})
    assert mine["data"]["mySchedule"] == [{"shift": {"startsAt": "2026-11-26T01:00:00+00:00"}}]
    refused = await client.execute(MY_SCHEDULE)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


CHECKPOINT_DAY = """
query($id: ID!, $day: Date!) {
  node(id: $id) {
    ... on Checkpoint {
      roster(day: $day) { shift { startsAt } assignments { volunteer { name } } }
    }
  }
}
"""


async def test_a_checkpoints_day_lists_local_shifts_and_who_is_on_them(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        # 04:00 local on 24 Nov is still 23 Nov in UTC.
        early = m.Shift(
            checkpoint_id=post.checkpoint.id,
            starts_at=morning(DAY_ONE) - timedelta(hours=5),
            ends_at=morning(DAY_ONE) - timedelta(hours=1),
        )
        session.add(early)
        await session.flush()
        session.add(m.HeadcountLine(shift_id=early.id, headcount=1))
        published = await add_roster(session, post, status=RosterStatus.PUBLISHED)
        proposed = await add_roster(session, post)
        await place(session, published, post, 4, stock=post.city_stock)
        await place(session, published, post, 0, stock=post.unit_stock)
        await place(session, published, post, 2, day=1)
        await place(session, proposed, post, 6)
    result = await client.execute(
        CHECKPOINT_DAY, {"id": gid("Checkpoint", post.checkpoint.id), "day": "2026-11-24"}
    )
    assert "errors" not in result, result
    assert result["data"]["node"]["roster"] == [
        {"shift": {"startsAt": "2026-11-23T20:00:00+00:00"}, "assignments": []},
        {
            "shift": {"startsAt": "2026-11-24T01:00:00+00:00"},
            "assignments": [
                {"volunteer": {"name": "Volunteer 005"}},
                {"volunteer": {"name": "Volunteer 001"}},
            ],
        },
    ]


COVERAGE = """
query($id: ID!, $roster: ID) {
  node(id: $id) {
    ... on Shift {
      coverage(rosterId: $roster) {
        required filled status
        lines { required filled gap { missing reason } headcountLine { headcount } }
      }
    }
  }
}
"""
GAPS = """
query($id: ID!) {
  node(id: $id) {
    ... on Roster {
      gaps(first: 10) {
        totalCount
        nodes { missing reason headcountLine { headcount } shift { startsAt }
                checkpoint { name } }
      }
    }
  }
}
"""


async def test_coverage_per_line_and_gaps_carry_the_recorded_reasons(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        published = await add_roster(session, post, status=RosterStatus.PUBLISHED)
        proposed = await add_roster(session, post)
        await place(session, published, post, 0, stock=post.unit_stock)
        session.add(
            m.RosterGap(
                roster_id=published.id,
                headcount_line_id=post.lines[0].id,
                missing=1,
                reason="no certified volunteer available 09:00-17:00 on 24 Nov",
            )
        )
        await place(session, proposed, post, 0)
        await place(session, proposed, post, 4)
    shift = gid("Shift", post.shifts[0].id)
    result = await client.execute(COVERAGE, {"id": shift})
    assert "errors" not in result, result
    assert result["data"]["node"]["coverage"] == {
        "required": 2,
        "filled": 1,
        "status": "UNDERSTAFFED",
        "lines": [
            {
                "required": 2,
                "filled": 1,
                "gap": {
                    "missing": 1,
                    "reason": "no certified volunteer available 09:00-17:00 on 24 Nov",
                },
                "headcountLine": {"headcount": 2},
            }
        ],
    }
    asked = await client.execute(COVERAGE, {"id": shift, "roster": gid("Roster", proposed.id)})
    assert asked["data"]["node"]["coverage"] == {
        "required": 2,
        "filled": 2,
        "status": "STAFFED",
        "lines": [{"required": 2, "filled": 2, "gap": None, "headcountLine": {"headcount": 2}}],
    }
    gaps = await client.execute(GAPS, {"id": gid("Roster", published.id)})
    assert gaps["data"]["node"]["gaps"] == {
        "totalCount": 1,
        "nodes": [
            {
                "missing": 1,
                "reason": "no certified volunteer available 09:00-17:00 on 24 Nov",
                "headcountLine": {"headcount": 2},
                "shift": {"startsAt": "2026-11-24T01:00:00+00:00"},
                "checkpoint": {"name": "G318 border"},
            }
        ],
    }


# --- statement counts ----------------------------------------------------------------------

LISTS = {
    "gaps": """query($id: ID!, $n: Int) { node(id: $id) { ... on Roster { gaps(first: $n) {
        nodes { missing reason headcountLine { headcount } shift { startsAt }
                checkpoint { name } } } } } }""",
    "schedule": """query($n: Int) { volunteers(first: $n) { nodes { name schedule {
        shift { startsAt checkpoint { name } } kitStock { quantity } } } } }""",
    "checkpoint roster": """query($n: Int) { checkpoints(first: $n) { nodes {
        roster(day: "2026-11-24") { shift { startsAt } assignments { volunteer { name } } }
        } } }""",
    "coverage lines": """query($n: Int) { shifts(first: $n) { nodes { coverage {
        lines { required filled gap { missing reason } headcountLine { headcount } } } } } }""",
}


async def test_statement_counts_do_not_grow_with_list_length(sessionmaker, client) -> None:
    """100 checkpoints with a shift each; volunteer i on checkpoint i's shift in a published
    roster (with a gap row per line), and the first 10 of them in a proposed one."""
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=25)
        item = m.ProtectiveItem(code="SUIT", name="Protective suit set")
        session.add(item)
        await session.flush()
        stock = m.ProtectiveStock(
            owner_unit_id=register.unit.id, item_id=item.id, day=DAY_ONE, quantity=200
        )
        session.add(stock)
        rosters = {
            n: m.Roster(
                organisation_id=register.centre.id,
                period_start=DAY_ONE,
                period_end=DAY_ONE,
                status=RosterStatus.PUBLISHED if n == 100 else RosterStatus.PROPOSED,
            )
            for n in (10, 100)
        }
        session.add_all(rosters.values())
        await session.flush()
        for i, volunteer in enumerate(register.volunteers):
            checkpoint = m.Checkpoint(
                name=f"Gate {i:03d}",
                code=f"GATE-{i:03d}",
                kind=CheckpointKind.GRID_GATE,
                organisation_id=register.stations[i % 4].id,
                using_unit_id=register.unit.id,
                latitude=30.8,
                longitude=110.9,
                risk_level=RiskLevel.MEDIUM,
                priority=2,
            )
            session.add(checkpoint)
            await session.flush()
            shift = m.Shift(
                checkpoint_id=checkpoint.id,
                starts_at=morning(DAY_ONE),
                ends_at=morning(DAY_ONE) + timedelta(hours=8),
                kit_item_id=item.id,
            )
            session.add(shift)
            await session.flush()
            line = m.HeadcountLine(shift_id=shift.id, headcount=2)
            session.add(line)
            await session.flush()
            for n, roster in rosters.items():
                if i >= n:
                    continue
                session.add(
                    m.Assignment(
                        roster_id=roster.id,
                        shift_id=shift.id,
                        headcount_line_id=line.id,
                        volunteer_id=volunteer.id,
                        stock_id=stock.id,
                        status=AssignmentStatus.PROPOSED,
                    )
                )
                session.add(
                    m.RosterGap(
                        roster_id=roster.id, headcount_line_id=line.id, missing=1, reason="why"
                    )
                )
    # An admin sees everything; a coordinator's rows are cut in SQL or screened per batch.
    coordinator = client.as_("coordinator", organisation_id=register.centre.id)
    for caller in (client, coordinator):
        counts: dict[str, list[int]] = {}
        for name, query in LISTS.items():
            for n in (10, 100):
                variables: dict[str, object] = {"n": n}
                if name == "gaps":
                    variables["id"] = gid("Roster", rosters[100].id)
                result = await caller.execute(query, variables)
                assert "errors" not in result, result
                counts.setdefault(name, []).append(len(caller.statements))
        for n, roster in rosters.items():
            result = await caller.execute(DISPATCH, {"id": gid("Roster", roster.id)})
            assert len(result["data"]["node"]["dispatchList"]) == n
            assert {line["kits"] for line in result["data"]["node"]["dispatchList"]} == {1}
            counts.setdefault("dispatch list", []).append(len(caller.statements))
        assert all(at_10 == at_100 for at_10, at_100 in counts.values()), counts


async def test_coverage_of_a_roster_outside_the_callers_scope_is_refused(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        post = await build_post(session)
        roster = await add_roster(session, post)
        roster.organisation_id = post.register.sub_centres[1].id
    variables = {"id": gid("Shift", post.shifts[0].id), "roster": gid("Roster", roster.id)}
    coordinator = client.as_("coordinator", organisation_id=post.register.sub_centres[0].id)
    refused = await coordinator.execute(COVERAGE, variables)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    allowed = await client.execute(COVERAGE, variables)
    assert allowed["data"]["node"]["coverage"]["filled"] == 0
