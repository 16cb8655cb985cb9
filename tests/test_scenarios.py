"""The scenario generator: deterministic, shaped as the sources describe, loaded all or nothing."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Base, Certificate, Organisation, Volunteer
from db.models.enums import HealthStatus, OrganisationLevel, VolunteerKind
from db.scenarios import COUNTY, SHAPES, TOWNSHIP, build_rows, load_scenario, shape_named
from db.scenarios import generate as generate_module
from db.scenarios.geo import KM_PER_DEGREE_LATITUDE
from db.scenarios.identities import id_check_character
from db.scenarios.rows import TableRows
from db.scenarios.timetable import default_start

START = date(2026, 11, 23)  # a Monday
WEEK_END = START + timedelta(days=TOWNSHIP.days)
SEED = 11


@pytest.fixture(scope="module")
def rows() -> TableRows:
    return build_rows(shape=TOWNSHIP, seed=SEED, start=START)


def digest(*, table_rows: list[dict]) -> str:
    """A fingerprint of rows, independent of how they are held in memory."""
    text = "\n".join(repr(sorted(row.items())) for row in table_rows)
    return hashlib.sha256(text.encode()).hexdigest()


# -- the week -----------------------------------------------------------------------------


def test_start_defaults_to_the_next_monday() -> None:
    assert default_start(today=date(2026, 11, 22)) == date(2026, 11, 23)  # Sunday
    assert default_start(today=date(2026, 11, 23)) == date(2026, 11, 30)  # Monday: next week
    assert default_start().weekday() == 0


def test_shifts_are_local_times_in_utc(rows: TableRows) -> None:
    first_day = [shift for shift in rows["shifts"] if shift["checkpoint_id"] == 1][:3]
    assert [shift["shift_type"] for shift in first_day] == ["DAY", "EVENING", "NIGHT"]
    # 06:00, 14:00 and 22:00 at UTC+8.
    assert [shift["starts_at"] for shift in first_day] == [
        datetime(2026, 11, 22, 22, tzinfo=UTC),
        datetime(2026, 11, 23, 6, tzinfo=UTC),
        datetime(2026, 11, 23, 14, tzinfo=UTC),
    ]
    assert all(s["ends_at"] - s["starts_at"] == timedelta(hours=8) for s in rows["shifts"])


# -- determinism --------------------------------------------------------------------------


def test_same_seed_gives_identical_rows(rows: TableRows) -> None:
    again = build_rows(shape=TOWNSHIP, seed=SEED, start=START)
    assert again == rows
    for table in ("volunteers", "certificates", "health_reports", "protective_stocks"):
        assert digest(table_rows=again[table]) == digest(table_rows=rows[table])


def test_different_seed_gives_different_rows(rows: TableRows) -> None:
    other = build_rows(shape=TOWNSHIP, seed=SEED + 1, start=START)
    for table in ("volunteers", "certificates", "availabilities", "checkpoints"):
        assert digest(table_rows=other[table]) != digest(table_rows=rows[table])


# -- shape --------------------------------------------------------------------------------


def test_counts_match_the_shape(rows: TableRows) -> None:
    assert len(rows["volunteers"]) == TOWNSHIP.volunteers == 300
    assert len(rows["checkpoints"]) == TOWNSHIP.posts == 20
    assert len(rows["shifts"]) == TOWNSHIP.posts * TOWNSHIP.days * 3
    assert len(rows["organisations"]) == TOWNSHIP.organisations
    assert len(rows["units"]) == TOWNSHIP.units
    assert len(rows["grids"]) == TOWNSHIP.grids
    for table_rows in rows.values():
        if table_rows and "id" in table_rows[0]:
            assert [row["id"] for row in table_rows] == list(range(1, len(table_rows) + 1))


def test_the_reference_shapes() -> None:
    assert set(SHAPES) == {"township", "county", "city"}
    assert (SHAPES["city"].volunteers, SHAPES["city"].posts, SHAPES["city"].institutes) == (
        120_000,
        2_000,
        18,
    )
    # Zigui: 89 sub-centres, 12 institutes, 270 stations, 2,052 points, 134 grids.
    assert COUNTY.organisations == 1 + 89 + 12 + 270 + 2_052
    assert (COUNTY.volunteers, COUNTY.posts, COUNTY.grids) == (10_000, 600, 134)
    with pytest.raises(ValueError, match="township"):
        shape_named(name="metropolis")


def test_organisation_tree_has_materialised_paths(rows: TableRows) -> None:
    by_id = {row["id"]: row for row in rows["organisations"]}
    (root,) = [row for row in by_id.values() if row["parent_id"] is None]
    assert root["level"] == OrganisationLevel.CENTRE
    assert root["path"] == f"/{root['id']}/"
    levels = list(OrganisationLevel)
    for row in by_id.values():
        if row is root:
            continue
        parent = by_id[row["parent_id"]]
        assert row["path"] == f"{parent['path']}{row['id']}/"
        assert levels.index(row["level"]) == levels.index(parent["level"]) + 1


def test_volunteer_kinds_and_units(rows: TableRows) -> None:
    kinds = Counter(row["kind"] for row in rows["volunteers"])
    assert kinds[VolunteerKind.AGENCY] == round(0.6 * TOWNSHIP.volunteers)
    assert kinds[VolunteerKind.PROFESSIONAL] > 0
    unit_kinds = {row["id"]: row["kind"] for row in rows["units"]}
    for volunteer in rows["volunteers"]:
        if volunteer["kind"] == VolunteerKind.AGENCY:
            assert unit_kinds[volunteer["unit_id"]] in {"AGENCY", "COMPANY"}
        elif volunteer["kind"] == VolunteerKind.SOCIAL:
            assert volunteer["unit_id"] is None


def test_identities_look_real_and_are_unique(rows: TableRows) -> None:
    volunteers = rows["volunteers"]
    phones = [row["phone"] for row in volunteers]
    ids = [row["id_number"] for row in volunteers]
    assert len(set(phones)) == len(set(ids)) == len(volunteers)
    assert all(len(phone) == 11 and phone.isdigit() for phone in phones)
    for number in ids:
        assert len(number) == 18
        assert number[-1] == id_check_character(first17=number[:17])
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert 18 <= (START - born).days / 365.25 <= 66


def test_homes_lie_around_the_centre(rows: TableRows) -> None:
    for row in rows["volunteers"]:
        north_km = (row["home_latitude"] - TOWNSHIP.centre_latitude) * KM_PER_DEGREE_LATITUDE
        east_km = (row["home_longitude"] - TOWNSHIP.centre_longitude) * 95.6
        assert math.hypot(north_km, east_km) < 25


def test_grids_are_all_claimed(rows: TableRows) -> None:
    unit_ids = {row["id"] for row in rows["units"]}
    assert all(grid["claimed_by_unit_id"] in unit_ids for grid in rows["grids"])
    gates = [row for row in rows["checkpoints"] if row["kind"] == "GRID_GATE"]
    claimed_by = {grid["id"]: grid["claimed_by_unit_id"] for grid in rows["grids"]}
    assert all(gate["using_unit_id"] == claimed_by[gate["grid_id"]] for gate in gates)


def test_some_certificates_expire_within_the_week(rows: TableRows) -> None:
    certificates = rows["certificates"]
    expiring = [c for c in certificates if c["expires_on"] and START <= c["expires_on"] < WEEK_END]
    assert expiring
    assert any(c["expires_on"] is None for c in certificates)
    assert all(c["expires_on"] is None or c["expires_on"] >= c["passed_on"] for c in certificates)


def test_every_volunteer_reports_daily_and_some_are_unwell(rows: TableRows) -> None:
    latest: dict[tuple[int, date], tuple[datetime, str]] = {}
    for report in rows["health_reports"]:
        key = (report["volunteer_id"], report["day"])
        if key not in latest or report["reported_at"] > latest[key][0]:
            latest[key] = (report["reported_at"], report["status"])
    assert len(latest) == TOWNSHIP.volunteers * TOWNSHIP.days
    unwell = [key for key, (_, status) in latest.items() if status == HealthStatus.UNWELL]
    assert 0 < len(unwell) < 0.1 * len(latest)


def test_availability_covers_30_to_50_percent_of_the_week(rows: TableRows) -> None:
    hours: Counter[int] = Counter()
    for window in rows["availabilities"]:
        hours[window["volunteer_id"]] += (window["ends_at"] - window["starts_at"]) / timedelta(
            hours=1
        )
    week_hours = TOWNSHIP.days * 24
    assert len(hours) == TOWNSHIP.volunteers
    assert all(0.30 <= h / week_hours <= 0.50 for h in hours.values())


def test_posts_and_their_headcount_lines(rows: TableRows) -> None:
    checkpoints = rows["checkpoints"]
    assert all(1 <= row["priority"] <= 5 for row in checkpoints)
    required = {row["checkpoint_id"] for row in rows["checkpoint_required_trainings"]}
    assert len(required) == round(0.3 * TOWNSHIP.posts)
    lines = rows["headcount_lines"]
    assert all(1 <= line["headcount"] <= 4 for line in lines)
    assert 0.30 <= sum(line["skill_id"] is not None for line in lines) / len(lines) <= 0.40
    assert any(line["max_over_cover"] > 0 for line in lines)
    shift_types = {row["id"]: row["shift_type"] for row in rows["shifts"]}
    heads: dict[tuple[int, str], int] = {}
    for line in lines:
        key = (line["shift_id"], shift_types[line["shift_id"]])
        heads[key] = heads.get(key, 0) + line["headcount"]
    day_heads = sum(h for (_, kind), h in heads.items() if kind == "DAY")
    night_heads = sum(h for (_, kind), h in heads.items() if kind == "NIGHT")
    assert night_heads < day_heads


def test_stocks_cover_demand_overall_but_bind_locally(rows: TableRows) -> None:
    stocks = rows["protective_stocks"]
    assert all(row["quantity"] >= 0 for row in stocks)
    reserve = [row for row in stocks if row["owner_unit_id"] is None]
    assert len(reserve) == len(rows["protective_items"]) * TOWNSHIP.days
    assert sum(row["quantity"] for row in reserve) > 0

    heads: Counter[int] = Counter()
    for line in rows["headcount_lines"]:
        heads[line["shift_id"]] += line["headcount"]
    demand = sum(heads[shift["id"]] for shift in rows["shifts"] if shift["kit_item_id"])
    supply = sum(row["quantity"] for row in stocks)
    assert 1.05 * demand <= supply <= 1.15 * demand

    # Some unit cannot equip the posts it runs on some day from its own stock.
    using = {row["id"]: row["using_unit_id"] for row in rows["checkpoints"]}
    needed: Counter[tuple[int, int, date]] = Counter()
    for shift in rows["shifts"]:
        if shift["kit_item_id"]:
            day = (shift["starts_at"] + timedelta(hours=8)).date()
            needed[using[shift["checkpoint_id"]], shift["kit_item_id"], day] += heads[shift["id"]]
    held = {(r["owner_unit_id"], r["item_id"], r["day"]): r["quantity"] for r in stocks}
    assert any(held.get(key, 0) < kits for key, kits in needed.items())


# -- loading ------------------------------------------------------------------------------


async def _table_counts(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessionmaker() as session:
        return {
            table.name: (
                await session.execute(select(func.count()).select_from(table))
            ).scalar_one()
            for table in Base.metadata.sorted_tables
        }


async def test_load_writes_the_built_rows(
    sessionmaker: async_sessionmaker[AsyncSession], rows: TableRows
) -> None:
    summary = await load_scenario(sessionmaker, shape="township", seed=SEED, start=START)

    assert (summary.shape, summary.seed, summary.start) == ("township", SEED, START)
    assert summary.end == date(2026, 11, 29)
    assert summary.counts == {table: len(table_rows) for table, table_rows in rows.items()}
    counts = await _table_counts(sessionmaker)
    assert {table: counts[table] for table in summary.counts} == summary.counts

    async with sessionmaker() as session:
        for model in (Volunteer, Certificate):
            columns = [model.__table__.c[name] for name in rows[model.__tablename__][0]]
            stored = (await session.execute(select(*columns).order_by(model.id))).all()
            assert [dict(row._mapping) for row in stored] == rows[model.__tablename__]

    # Ids were given explicitly; new rows must still get fresh ones.
    async with sessionmaker() as session, session.begin():
        extra = Organisation(name="Pop-up point", code="EXTRA", level="POINT", path="")
        session.add(extra)
        await session.flush()
        assert extra.id == len(rows["organisations"]) + 1


async def test_second_load_is_refused_and_writes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await load_scenario(sessionmaker, shape=TOWNSHIP, seed=SEED, start=START)
    before = await _table_counts(sessionmaker)

    with pytest.raises(ValueError, match=r"empty register.*volunteers"):
        await load_scenario(sessionmaker, shape=TOWNSHIP, seed=SEED + 1, start=START)

    assert await _table_counts(sessionmaker) == before


async def test_failed_load_leaves_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_rows(**kwargs: object) -> TableRows:
        built = build_rows(**kwargs)  # type: ignore[arg-type]
        # The last table written breaks a check, after everything else went in.
        built["protective_stocks"][-1]["quantity"] = -1
        return built

    monkeypatch.setattr(generate_module, "build_rows", broken_rows)
    with pytest.raises(IntegrityError):
        await load_scenario(sessionmaker, shape="township", seed=SEED, start=START)

    assert set((await _table_counts(sessionmaker)).values()) == {0}
