"""No volunteer holds two overlapping active assignments (published roster, not cancelled)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from db.services.errors import ValidationFailed
from db.services.rosters import create_assignment, set_roster_active, update_roster
from db.session import transaction
from tests.factories import Register, at, build_register, gid


@dataclass
class Week:
    register: Register
    early: m.Shift  # 24 Nov 06:00-14:00 at the first post
    overlapping: m.Shift  # 24 Nov 10:00-18:00 at the second post
    later: m.Shift  # 24 Nov 14:00-22:00 at the first post: touches `early`, no overlap
    lines: dict[int, m.HeadcountLine]


async def build_week(session) -> Week:  # type: ignore[no-untyped-def]
    register = await build_register(session, volunteers_per_station=1)
    posts = []
    for n in range(2):
        post = m.Checkpoint(
            name=f"Gate {n}",
            code=f"GATE-{n}",
            kind=CheckpointKind.GRID_GATE,
            organisation_id=register.stations[n].id,
            using_unit_id=register.unit.id,
            latitude=30.9,
            longitude=110.9,
            risk_level=RiskLevel.LOW,
            priority=1,
        )
        session.add(post)
        posts.append(post)
    await session.flush()
    windows = [(posts[0], 6, 14), (posts[1], 10, 18), (posts[0], 14, 22)]
    shifts = [
        m.Shift(checkpoint_id=p.id, starts_at=at(24, s), ends_at=at(24, e)) for p, s, e in windows
    ]
    session.add_all(shifts)
    await session.flush()
    lines = {s.id: m.HeadcountLine(shift_id=s.id, headcount=3) for s in shifts}
    session.add_all(lines.values())
    await session.flush()
    return Week(register, *shifts, lines=lines)


async def add_roster(session, week: Week, status: RosterStatus) -> m.Roster:  # type: ignore[no-untyped-def]
    roster = m.Roster(
        organisation_id=week.register.centre.id,
        period_start=date(2026, 11, 23),
        period_end=date(2026, 11, 29),
        status=status,
    )
    session.add(roster)
    await session.flush()
    return roster


async def assign(session, week: Week, roster: m.Roster, shift: m.Shift, **kw) -> m.Assignment:  # type: ignore[no-untyped-def]
    row = m.Assignment(
        roster_id=roster.id,
        shift_id=shift.id,
        headcount_line_id=week.lines[shift.id].id,
        volunteer_id=kw.pop("volunteer", week.register.volunteers[0]).id,
        status=kw.pop("status", AssignmentStatus.CONFIRMED),
    )
    session.add(row)
    await session.flush()
    return row


CREATE = """mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) {
    assignment { id status } userErrors { field code message } } }"""


def assignment_input(week: Week, roster: m.Roster, shift: m.Shift, **extra: object) -> dict:  # type: ignore[type-arg]
    return {
        "rosterId": gid("Roster", roster.id),
        "shiftId": gid("Shift", shift.id),
        "headcountLineId": gid("HeadcountLine", week.lines[shift.id].id),
        "volunteerId": gid("Volunteer", week.register.volunteers[0].id),
        **extra,
    }


async def count_assignments(sessionmaker) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(m.Assignment))


async def test_postgresql_refuses_overlapping_active_assignments_inserted_directly(
    backend: str, engine: AsyncEngine, sessionmaker
) -> None:
    if backend != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite relies on the services")
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        roster = await add_roster(session, week, RosterStatus.PUBLISHED)
    insert = text(
        "INSERT INTO assignments (roster_id, shift_id, headcount_line_id, volunteer_id, status,"
        " pinned, starts_at, ends_at, active) VALUES (:roster, :shift, :line, :volunteer,"
        " 'CONFIRMED', false, :starts, :ends, true)"
    )

    def row(shift: m.Shift) -> dict[str, object]:
        return {
            "roster": roster.id,
            "shift": shift.id,
            "line": week.lines[shift.id].id,
            "volunteer": week.register.volunteers[0].id,
            "starts": shift.starts_at,
            "ends": shift.ends_at,
        }

    with pytest.raises(IntegrityError, match="ex_assignments_no_overlap"):
        async with engine.begin() as conn:
            await conn.execute(insert, row(week.early))
            await conn.execute(insert, row(week.overlapping))
    # Back to back is not an overlap; inactive rows never clash.
    async with engine.begin() as conn:
        await conn.execute(insert, row(week.early))
        await conn.execute(insert, row(week.later))
        await conn.execute(text(insert.text.replace("true)", "false)")), row(week.overlapping))
    assert await count_assignments(sessionmaker) == 3


async def test_constraint_is_deferred_so_one_transaction_can_swap_published_rosters(
    backend: str, engine: AsyncEngine, sessionmaker
) -> None:
    if backend != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        old = await add_roster(session, week, RosterStatus.PUBLISHED)
        new = await add_roster(session, week, RosterStatus.PROPOSED)
        await assign(session, week, old, week.early)
        await assign(session, week, new, week.overlapping)
    # Activate the new roster before retiring the old one: fine by commit time.
    async with engine.begin() as conn:
        await conn.execute(text(f"UPDATE rosters SET status = 'PUBLISHED' WHERE id = {new.id}"))
        await conn.execute(text(f"UPDATE assignments SET active = true WHERE roster_id = {new.id}"))
        await conn.execute(text(f"UPDATE rosters SET status = 'ARCHIVED' WHERE id = {old.id}"))
        await conn.execute(
            text(f"UPDATE assignments SET active = false WHERE roster_id = {old.id}")
        )
    async with sessionmaker() as session:
        active = await session.scalars(select(m.Assignment.roster_id).where(m.Assignment.active))
        assert list(active) == [new.id]


async def test_overlapping_assignment_in_a_published_roster_is_refused_over_the_api(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        published = await add_roster(session, week, RosterStatus.PUBLISHED)
        other = await add_roster(session, week, RosterStatus.PUBLISHED)
        await assign(session, week, published, week.early)
    result = await client.execute(
        CREATE, {"input": assignment_input(week, other, week.overlapping, status="CONFIRMED")}
    )
    payload = result["data"]["createAssignment"]
    assert payload["assignment"] is None
    [error] = payload["userErrors"]
    assert error["field"] == ["input", "volunteerId"]
    assert error["code"] == "CONFLICT"
    assert f"shift {week.early.id} at Gate 0, 2026-11-24 06:00–14:00 UTC" in error["message"]
    assert await count_assignments(sessionmaker) == 1
    # Back to back is fine.
    later = await client.execute(CREATE, {"input": assignment_input(week, other, week.later)})
    assert later["data"]["createAssignment"]["userErrors"] == []


async def test_a_proposed_roster_may_overlap_the_published_one(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        published = await add_roster(session, week, RosterStatus.PUBLISHED)
        proposed = await add_roster(session, week, RosterStatus.PROPOSED)
        await assign(session, week, published, week.early)
    result = await client.execute(
        CREATE, {"input": assignment_input(week, proposed, week.overlapping)}
    )
    assert result["data"]["createAssignment"]["userErrors"] == []
    # Cancelled assignments do not count either.
    cancelled = await client.execute(
        CREATE,
        {"input": assignment_input(week, published, week.overlapping, status="CANCELLED")},
    )
    assert cancelled["data"]["createAssignment"]["userErrors"] == []
    assert await count_assignments(sessionmaker) == 3


async def test_reinstating_a_cancelled_assignment_that_would_overlap_is_refused(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        published = await add_roster(session, week, RosterStatus.PUBLISHED)
        await assign(session, week, published, week.early)
        cancelled = await assign(
            session, week, published, week.overlapping, status=AssignmentStatus.CANCELLED
        )
    result = await client.execute(
        """mutation($id: ID!) { updateAssignment(input: {id: $id, status: CONFIRMED}) {
            assignment { status } userErrors { field code } } }""",
        {"id": gid("Assignment", cancelled.id)},
    )
    assert result["data"]["updateAssignment"] == {
        "assignment": None,
        "userErrors": [{"field": ["input", "volunteerId"], "code": "CONFLICT"}],
    }
    async with sessionmaker() as session:
        row = await session.get(m.Assignment, cancelled.id)
        assert (row.status, row.active) == (AssignmentStatus.CANCELLED, False)


async def test_moving_a_shift_onto_another_of_the_same_person_is_refused(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        published = await add_roster(session, week, RosterStatus.PUBLISHED)
        await assign(session, week, published, week.early)
        await assign(session, week, published, week.later)
    move = """mutation($id: ID!, $starts: DateTime!, $ends: DateTime!) {
        updateShift(input: {id: $id, startsAt: $starts, endsAt: $ends}) {
            shift { startsAt } userErrors { field code message } } }"""
    refused = await client.execute(
        move,
        {
            "id": gid("Shift", week.later.id),
            "starts": "2026-11-24T12:00:00Z",
            "ends": "2026-11-24T20:00:00Z",
        },
    )
    payload = refused["data"]["updateShift"]
    assert payload["shift"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "startsAt"], "CONFLICT")
    ]
    moved = await client.execute(
        move,
        {
            "id": gid("Shift", week.later.id),
            "starts": "2026-11-24T15:00:00Z",
            "ends": "2026-11-24T23:00:00Z",
        },
    )
    assert moved["data"]["updateShift"]["userErrors"] == []
    async with sessionmaker() as session:
        windows = await session.execute(
            select(m.Assignment.starts_at, m.Assignment.ends_at).order_by(m.Assignment.starts_at)
        )
        assert list(windows) == [(at(24, 6), at(24, 14)), (at(24, 15), at(24, 23))]


async def test_publishing_a_roster_that_double_books_someone_is_refused(sessionmaker) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        published = await add_roster(session, week, RosterStatus.PUBLISHED)
        proposed = await add_roster(session, week, RosterStatus.PROPOSED)
        await assign(session, week, published, week.early)
        await assign(session, week, proposed, week.overlapping)
    with pytest.raises(ValidationFailed) as refused:
        async with transaction(sessionmaker) as session:
            await update_roster(
                session, roster_id=proposed.id, changes={"status": RosterStatus.PUBLISHED}
            )
    assert [e.code for e in refused.value.errors] == ["CONFLICT"]
    assert "Gate 0" in refused.value.errors[0].message
    # Retiring the old roster first, in the same transaction, makes room.
    async with transaction(sessionmaker) as session:
        await set_roster_active(session, roster_id=published.id, active=False)
        await update_roster(
            session, roster_id=published.id, changes={"status": RosterStatus.ARCHIVED}
        )
        await update_roster(
            session, roster_id=proposed.id, changes={"status": RosterStatus.PUBLISHED}
        )
        await set_roster_active(session, roster_id=proposed.id, active=True)
    async with sessionmaker() as session:
        active = await session.scalars(select(m.Assignment.roster_id).where(m.Assignment.active))
        assert list(active) == [proposed.id]


async def test_a_roster_that_books_one_person_twice_at_once_cannot_be_activated(
    sessionmaker,
) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        proposed = await add_roster(session, week, RosterStatus.PROPOSED)
        await assign(session, week, proposed, week.early)
        await assign(session, week, proposed, week.overlapping)
        await assign(session, week, proposed, week.later, volunteer=week.register.volunteers[1])
    with pytest.raises(ValidationFailed) as refused:
        async with transaction(sessionmaker) as session:
            await set_roster_active(session, roster_id=proposed.id, active=True)
    [error] = refused.value.errors
    assert error.code == "CONFLICT" and f"shift {week.early.id}" in error.message
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).where(m.Assignment.active)) == 0


async def test_the_assignment_copies_its_shift_window_and_activity(sessionmaker) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        roster = await add_roster(session, week, RosterStatus.DRAFT)
        row = await assign(session, week, roster, week.early)
        assert (row.starts_at, row.ends_at, row.active) == (at(24, 6), at(24, 14), False)
        roster.status = RosterStatus.PUBLISHED
        week.early.ends_at = at(24, 13)
    async with sessionmaker() as session:
        stored = await session.get(m.Assignment, row.id)
        assert (stored.ends_at, stored.active) == (at(24, 13), True)
        assert stored.ends_at - stored.starts_at == timedelta(hours=7)


PUBLISH = """mutation($id: ID!) { publishRoster(input: {rosterId: $id}) {
    roster { status } replaced { status } userErrors { field code message } } }"""


async def test_publishing_replaces_an_overlapping_roster_of_the_same_scope(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        old = await add_roster(session, week, RosterStatus.PUBLISHED)
        new = await add_roster(session, week, RosterStatus.PROPOSED)
        await assign(session, week, old, week.early)
        await assign(session, week, new, week.overlapping)
    result = await client.execute(PUBLISH, {"id": gid("Roster", new.id)})
    assert result["data"]["publishRoster"] == {
        "roster": {"status": "PUBLISHED"},
        "replaced": [{"status": "ARCHIVED"}],
        "userErrors": [],
    }
    async with sessionmaker() as session:
        active = await session.scalars(select(m.Assignment.shift_id).where(m.Assignment.active))
        assert list(active) == [week.overlapping.id]


async def test_publishing_a_roster_that_clashes_with_another_scope_is_refused(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        elsewhere = await add_roster(session, week, RosterStatus.PUBLISHED)
        elsewhere.organisation_id = week.register.sub_centres[1].id
        new = await add_roster(session, week, RosterStatus.PROPOSED)
        new.organisation_id = week.register.sub_centres[0].id
        await assign(session, week, elsewhere, week.early)
        await assign(session, week, new, week.overlapping)
    result = await client.execute(PUBLISH, {"id": gid("Roster", new.id)})
    payload = result["data"]["publishRoster"]
    assert payload["roster"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "rosterId"], "CONFLICT")
    assert f"overlaps shift {week.early.id} at Gate 0" in error["message"]
    async with sessionmaker() as session:
        assert (await session.get(m.Roster, new.id)).status == RosterStatus.PROPOSED
        active = await session.scalars(select(m.Assignment.roster_id).where(m.Assignment.active))
        assert list(active) == [elsewhere.id]


async def test_two_concurrent_bookings_of_one_person_do_not_both_commit(sessionmaker) -> None:
    async with transaction(sessionmaker) as session:
        week = await build_week(session)
        rosters = [await add_roster(session, week, RosterStatus.PUBLISHED) for _ in range(2)]

    def values(roster: m.Roster, shift: m.Shift) -> dict[str, object]:
        return {
            "roster_id": roster.id,
            "shift_id": shift.id,
            "headcount_line_id": week.lines[shift.id].id,
            "volunteer_id": week.register.volunteers[0].id,
            "status": AssignmentStatus.CONFIRMED,
        }

    async def book_overlapping() -> None:
        async with transaction(sessionmaker) as session:
            await create_assignment(session, values=values(rosters[1], week.overlapping))

    async with sessionmaker() as first, first.begin():
        await create_assignment(first, values=values(rosters[0], week.early))
        # The second booking checks before the first commits, so its check finds nothing; it
        # then waits (for SQLite's write lock, or on PostgreSQL's constraint) and is refused.
        second = asyncio.create_task(book_overlapping())
        await asyncio.sleep(0.5)
        assert not second.done()
    with pytest.raises(ValidationFailed) as refused:
        await second
    assert [e.code for e in refused.value.errors] == ["CONFLICT"]
    async with sessionmaker() as session:
        active = await session.scalars(select(m.Assignment.roster_id).where(m.Assignment.active))
        assert list(active) == [rosters[0].id]
