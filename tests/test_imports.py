"""Bulk import of volunteers and certificates, and the per-row checks single writes share."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.models import (
    Certificate,
    Grid,
    Organisation,
    Skill,
    Training,
    Unit,
    Volunteer,
    volunteer_skills,
)
from db.models.enums import OrganisationLevel, ServiceCategory, UnitKind, VolunteerKind
from db.services.certificates import create_certificate, update_certificate
from db.services.errors import ErrorCode, FieldError, ValidationFailed
from db.services.imports import ImportResult, import_certificates, import_volunteers
from db.services.volunteers import (
    create_volunteer,
    id_number_problem,
    set_volunteer_skills,
    update_volunteer,
)

FIXTURES = Path(__file__).parent / "fixtures"
VOLUNTEER_HEADER = [
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
CERTIFICATE_HEADER = ["id_number", "training", "passed_on", "expires_on"]


def resident_id(serial: int, *, born: date = date(1985, 3, 12)) -> str:
    """A valid 18-character resident ID number, computed as GB 11643 prescribes."""
    born = born + timedelta(days=serial // 1000)
    first_17 = f"420527{born:%Y%m%d}{serial % 1000:03d}"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    remainder = sum(int(d) * w for d, w in zip(first_17, weights, strict=True)) % 11
    return first_17 + "10X98765432"[remainder]


def mistyped_check(id_number: str) -> str:
    """The same ID number with a wrong check character."""
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


@dataclass(frozen=True)
class Register:
    """Ids of the rows a test's register starts with."""

    organisation_id: int
    unit_id: int
    rescue_unit_id: int
    grid_id: int
    skill_ids: dict[str, int]
    training_ids: dict[str, int]


@pytest.fixture
async def register(sessionmaker: async_sessionmaker[AsyncSession]) -> Register:
    """An organisation, two units, a grid, two skills and two trainings."""
    async with sessionmaker() as session, session.begin():
        centre = Organisation(name="Zigui centre", code="ZG", level=OrganisationLevel.CENTRE)
        session.add(centre)
        await session.flush()
        centre.path = f"/{centre.id}/"
        health = Unit(
            name="County Health Commission", kind=UnitKind.AGENCY, organisation_id=centre.id
        )
        rescue = Unit(
            name="Zigui Rescue Team", kind=UnitKind.PROFESSIONAL_TEAM, organisation_id=centre.id
        )
        grid = Grid(
            name="Maoping 1",
            code="G-MAOPING-01",
            organisation_id=centre.id,
            latitude=30.8301,
            longitude=110.9702,
        )
        skills = [
            Skill(
                code="TEMP",
                name="Temperature checks",
                category=ServiceCategory.MEASUREMENT_SCREENING,
            ),
            Skill(
                code="DISINF", name="Disinfection", category=ServiceCategory.SANITATION_DISINFECTION
            ),
        ]
        trainings = [
            Training(code="CDC-BASIC", name="Epidemic control basics", validity_days=180),
            Training(code="PSY-FIRST-AID", name="Psychological first aid", validity_days=None),
        ]
        session.add_all([health, rescue, grid, *skills, *trainings])
        await session.flush()
        return Register(
            organisation_id=centre.id,
            unit_id=health.id,
            rescue_unit_id=rescue.id,
            grid_id=grid.id,
            skill_ids={s.code: s.id for s in skills},
            training_ids={t.code: t.id for t in trainings},
        )


def volunteer_rows(count: int) -> list[dict[str, Any]]:
    """``count`` good volunteer rows: agency, social and professional, some with skills."""
    rows = []
    for i in range(count):
        kind, unit = [
            ("AGENCY", "County Health Commission"),
            ("SOCIAL", ""),
            ("PROFESSIONAL", "Zigui Rescue Team"),
        ][i % 3]
        rows.append(
            {
                "name": f"Volunteer {i}",
                "kind": kind,
                "organisation": "ZG",
                "unit": unit,
                "phone": f"138{i:08d}",
                "id_number": resident_id(i),
                "home_latitude": f"{30.80 + i / 10_000:.4f}",
                "home_longitude": f"{110.95 + i / 10_000:.4f}",
                "home_grid": "G-MAOPING-01" if i % 5 == 0 else "",
                "skills": ["TEMP", "TEMP;DISINF", ""][i % 3],
            }
        )
    return rows


def to_csv(rows: list[dict[str, Any]], header: list[str] = VOLUNTEER_HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_xlsx(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def count(sessionmaker: async_sessionmaker[AsyncSession], table: Any) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def refused(
    sessionmaker: async_sessionmaker[AsyncSession], importer: Any, **file: Any
) -> list[FieldError]:
    """The errors an import raises; the session is rolled back as a caller would."""
    async with sessionmaker() as session:
        with pytest.raises(ValidationFailed) as failed:
            await importer(session, **file)
        await session.rollback()
    return failed.value.errors


async def imported(
    sessionmaker: async_sessionmaker[AsyncSession], importer: Any, **file: Any
) -> ImportResult:
    async with sessionmaker() as session, session.begin():
        return await importer(session, **file)


def brief(errors: list[FieldError]) -> list[tuple[int | None, str, ErrorCode]]:
    return [(e.row, e.field, e.code) for e in errors]


# --- volunteers from CSV ------------------------------------------------------------------


async def test_good_500_row_csv_imports_every_row(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(500)

    result = await imported(sessionmaker, import_volunteers, text=to_csv(rows))

    assert result == ImportResult(created=500)
    assert await count(sessionmaker, Volunteer) == 500
    expected_links = sum(len([c for c in r["skills"].split(";") if c]) for r in rows)
    assert await count(sessionmaker, volunteer_skills) == expected_links
    async with sessionmaker() as session:
        first = await session.scalar(select(Volunteer).where(Volunteer.id_number == resident_id(0)))
        skills = await session.scalars(
            select(volunteer_skills.c.skill_id).where(volunteer_skills.c.volunteer_id == first.id)
        )
    assert first.kind is VolunteerKind.AGENCY
    assert (first.unit_id, first.home_grid_id) == (register.unit_id, register.grid_id)
    assert (first.home_latitude, first.home_longitude) == (30.80, 110.95)
    assert list(skills) == [register.skill_ids["TEMP"]]


async def test_one_bad_checksum_among_500_names_the_row_and_writes_nothing(
    sessionmaker, register: Register
) -> None:
    rows = volunteer_rows(500)
    # File row 317 = header + 316th data row.
    rows[315]["id_number"] = mistyped_check(rows[315]["id_number"])

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(rows))

    assert brief(errors) == [(317, "id_number", ErrorCode.INVALID)]
    assert "check character" in errors[0].message
    assert await count(sessionmaker, Volunteer) == 0
    assert await count(sessionmaker, volunteer_skills) == 0


async def test_every_bad_row_is_reported(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(12)
    rows[0]["phone"] = "138-abc"
    rows[1]["organisation"] = "NOWHERE"
    rows[3]["unit"] = ""  # an agency volunteer
    rows[4]["home_latitude"] = "91"
    rows[5]["skills"] = "TEMP;JUGGLING"
    rows[6]["kind"] = "TOURIST"
    rows[7]["name"] = "  "
    rows[8]["home_longitude"] = "east"
    rows[9]["id_number"] = "42052719850230001X"  # 30 February
    rows[10]["phone"] = "12345"
    rows[10]["unit"] = "No Such Unit"

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(rows))

    assert brief(errors) == [
        (2, "phone", ErrorCode.INVALID),
        (3, "organisation", ErrorCode.NOT_FOUND),
        (5, "unit", ErrorCode.REQUIRED),
        (6, "home_latitude", ErrorCode.OUT_OF_RANGE),
        (7, "skills", ErrorCode.NOT_FOUND),
        (8, "kind", ErrorCode.INVALID),
        (9, "name", ErrorCode.REQUIRED),
        (10, "home_longitude", ErrorCode.INVALID),
        (11, "id_number", ErrorCode.INVALID),
        (12, "phone", ErrorCode.INVALID),
        (12, "unit", ErrorCode.NOT_FOUND),
    ]
    messages = {(e.row, e.field): e.message for e in errors}
    assert "JUGGLING" in messages[7, "skills"]
    assert "NOWHERE" in messages[3, "organisation"]
    assert "not a date" in messages[11, "id_number"]
    assert "7 to 15 digits" in messages[12, "phone"]
    assert await count(sessionmaker, Volunteer) == 0


async def test_same_id_number_twice_in_file_names_both_rows(
    sessionmaker, register: Register
) -> None:
    rows = volunteer_rows(5)
    rows[4]["id_number"] = rows[1]["id_number"]

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(rows))

    assert brief(errors) == [(6, "id_number", ErrorCode.DUPLICATE)]
    assert "row 3" in errors[0].message


async def test_id_number_already_registered_is_refused(sessionmaker, register: Register) -> None:
    await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(3)))
    again = volunteer_rows(4)[2:]  # rows 2 and 3 of the first file, then a new one

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(again))

    assert brief(errors) == [(2, "id_number", ErrorCode.DUPLICATE)]
    assert await count(sessionmaker, Volunteer) == 3


async def test_unknown_organisation_code(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(2)
    rows[1]["organisation"] = "YX"

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(rows))

    assert errors == [
        FieldError(
            "organisation", ErrorCode.NOT_FOUND, "no organisation code 'YX' in the register", 3
        )
    ]


async def test_missing_and_unknown_columns_are_one_file_error(
    sessionmaker, register: Register
) -> None:
    header = [c for c in VOLUNTEER_HEADER if c != "phone"] + ["email"]
    rows = [
        {k: v for k, v in r.items() if k != "phone"} | {"email": "x@y"} for r in volunteer_rows(3)
    ]

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(rows, header))

    assert len(errors) == 1
    assert (errors[0].row, errors[0].field, errors[0].code) == (1, "header", ErrorCode.INVALID)
    assert "unknown columns: email" in errors[0].message
    assert "missing required columns: phone" in errors[0].message


@pytest.mark.parametrize("text", ["", "\n\n", ",,\n"])
async def test_empty_file_asks_for_a_header(sessionmaker, register: Register, text: str) -> None:
    errors = await refused(sessionmaker, import_volunteers, text=text)

    assert brief(errors) == [(1, "header", ErrorCode.REQUIRED)]


async def test_header_only_file_creates_nothing(sessionmaker, register: Register) -> None:
    result = await imported(sessionmaker, import_volunteers, text=to_csv([]))

    assert result == ImportResult(created=0)


async def test_header_case_blank_rows_and_separators_are_forgiven(
    sessionmaker, register: Register
) -> None:
    rows = volunteer_rows(3)
    rows[0]["phone"] = "138 0013 8000"
    rows[1]["id_number"] = "11010519491231002x"  # a lower-case check character
    text = to_csv(rows).replace("name,kind", " Name , KIND", 1)
    text = text.replace("home_latitude", "Home Latitude", 1)
    lines = text.splitlines()
    text = "\n".join([*lines[:2], ",,,", *lines[2:]]) + "\n"  # a blank row 3

    with_extra = text.replace(lines[-1], lines[-1] + ",extra")

    errors = await refused(sessionmaker, import_volunteers, text=with_extra)
    assert brief(errors) == [(5, "column 11", ErrorCode.INVALID)]

    assert await imported(sessionmaker, import_volunteers, text=text) == ImportResult(3)
    async with sessionmaker() as session:
        phones = set(await session.scalars(select(Volunteer.phone)))
    assert "13800138000" in phones


async def test_tab_separated_text_and_gb18030_bytes(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(4)
    rows[0]["name"] = "王芳"
    tabbed = to_csv(rows[:2]).replace(",", "\t")
    gbk = to_csv(rows[2:]).replace("Volunteer 2", "李伟").encode("gb18030")

    assert await imported(sessionmaker, import_volunteers, text=tabbed) == ImportResult(2)
    assert await imported(sessionmaker, import_volunteers, data=gbk) == ImportResult(2)
    async with sessionmaker() as session:
        names = set(await session.scalars(select(Volunteer.name)))
    assert {"王芳", "李伟"} <= names


async def test_home_grid_supplies_missing_coordinates(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(2)
    rows[0] |= {"home_grid": "G-MAOPING-01", "home_latitude": "", "home_longitude": ""}
    rows[1] |= {"home_grid": "", "home_latitude": "", "home_longitude": ""}

    errors = await refused(sessionmaker, import_volunteers, text=to_csv(rows))
    assert brief(errors) == [
        (3, "home_latitude", ErrorCode.REQUIRED),
        (3, "home_longitude", ErrorCode.REQUIRED),
    ]

    await imported(sessionmaker, import_volunteers, text=to_csv(rows[:1]))
    async with sessionmaker() as session:
        volunteer = await session.scalar(select(Volunteer))
    assert (volunteer.home_latitude, volunteer.home_longitude) == (30.8301, 110.9702)


async def test_sample_files_import(sessionmaker, register: Register) -> None:
    volunteers = (FIXTURES / "volunteers.csv").read_bytes()
    certificates = (FIXTURES / "certificates.csv").read_bytes()

    assert await imported(sessionmaker, import_volunteers, data=volunteers) == ImportResult(4)
    assert await imported(sessionmaker, import_certificates, data=certificates) == ImportResult(3)


async def test_import_costs_the_same_statements_for_10_and_300_rows(
    sessionmaker, engine: AsyncEngine, register: Register
) -> None:
    counted: list[str] = []

    def record(*args: Any) -> None:
        counted.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(310)[300:]))
        small = len(counted)
        counted.clear()
        await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(300)))
        large = len(counted)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    assert small == large
    assert await count(sessionmaker, Volunteer) == 310


# --- volunteers from Excel ----------------------------------------------------------------


async def test_xlsx_round_trip(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(20)
    sheet = [VOLUNTEER_HEADER] + [[r[c] for c in VOLUNTEER_HEADER] for r in rows]
    for values in sheet[1:]:
        values[4] = int(values[4])  # phones typed as numbers
        values[6], values[7] = float(values[6]), float(values[7])
        values[3] = values[3] or None

    assert await imported(
        sessionmaker, import_volunteers, data=to_xlsx(sheet), file_format="xlsx"
    ) == ImportResult(20)
    async with sessionmaker() as session:
        stored = await session.scalar(select(Volunteer).where(Volunteer.name == "Volunteer 7"))
    assert (stored.phone, stored.id_number) == (rows[7]["phone"], rows[7]["id_number"])


async def test_xlsx_errors_use_sheet_row_numbers(sessionmaker, register: Register) -> None:
    rows = volunteer_rows(4)
    sheet = [VOLUNTEER_HEADER] + [[r[c] for c in VOLUNTEER_HEADER] for r in rows]
    sheet.insert(2, [None] * len(VOLUNTEER_HEADER))  # a blank row 3
    sheet[4][5] = float(sheet[4][5])  # an ID number Excel turned into a number

    errors = await refused(sessionmaker, import_volunteers, data=to_xlsx(sheet), file_format="xlsx")

    assert brief(errors) == [(5, "id_number", ErrorCode.INVALID)]
    assert "format the column as text" in errors[0].message


async def test_unreadable_xlsx_is_a_file_error(sessionmaker, register: Register) -> None:
    errors = await refused(
        sessionmaker, import_volunteers, data=b"PK\x03\x04 not really", file_format="xlsx"
    )

    assert brief(errors) == [(None, "file", ErrorCode.INVALID)]


# --- certificates -------------------------------------------------------------------------


async def test_certificates_import_with_expiry_from_validity_days(
    sessionmaker, register: Register
) -> None:
    await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(3)))
    rows = [
        {"id_number": resident_id(0), "training": "CDC-BASIC", "passed_on": "2020-02-01"},
        {"id_number": resident_id(1), "training": "PSY-FIRST-AID", "passed_on": "2020-02-02"},
        {
            "id_number": resident_id(2),
            "training": "CDC-BASIC",
            "passed_on": "2020-02-03",
            "expires_on": "2020-03-01",
        },
    ]

    result = await imported(
        sessionmaker, import_certificates, text=to_csv(rows, CERTIFICATE_HEADER)
    )

    assert result == ImportResult(created=3)
    async with sessionmaker() as session:
        stored = (
            await session.execute(select(Certificate.passed_on, Certificate.expires_on))
        ).all()
    assert sorted(stored) == [
        (date(2020, 2, 1), date(2020, 2, 1) + timedelta(days=180)),
        (date(2020, 2, 2), None),
        (date(2020, 2, 3), date(2020, 3, 1)),
    ]


async def test_bad_certificate_rows_are_all_reported(sessionmaker, register: Register) -> None:
    await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(2)))
    known = resident_id(0)
    rows = [
        {"id_number": resident_id(99), "training": "CDC-BASIC", "passed_on": "2020-02-01"},
        {"id_number": known, "training": "FIRE", "passed_on": "01/02/2020"},
        {"id_number": known, "training": "CDC-BASIC", "passed_on": "2020-02-30"},
        {
            "id_number": known,
            "training": "CDC-BASIC",
            "passed_on": "2020-02-05",
            "expires_on": "2020-02-04",
        },
        {"id_number": known, "training": "PSY-FIRST-AID", "passed_on": "2020-02-05"},
        {"id_number": known, "training": "PSY-FIRST-AID", "passed_on": "2020-02-05"},
        {"id_number": mistyped_check(known), "training": "CDC-BASIC", "passed_on": "2020-02-05"},
        {"id_number": "", "training": "", "passed_on": ""},
    ]
    rows[7]["expires_on"] = "2021-01-01"  # keeps row 9 from being blank

    errors = await refused(sessionmaker, import_certificates, text=to_csv(rows, CERTIFICATE_HEADER))

    assert brief(errors) == [
        (2, "id_number", ErrorCode.NOT_FOUND),
        (3, "training", ErrorCode.NOT_FOUND),
        (3, "passed_on", ErrorCode.INVALID),
        (4, "passed_on", ErrorCode.INVALID),
        (5, "expires_on", ErrorCode.OUT_OF_RANGE),
        (7, "id_number", ErrorCode.DUPLICATE),
        (8, "id_number", ErrorCode.INVALID),
        (9, "id_number", ErrorCode.REQUIRED),
        (9, "training", ErrorCode.REQUIRED),
        (9, "passed_on", ErrorCode.REQUIRED),
    ]
    assert "row 6" in errors[5].message
    assert await count(sessionmaker, Certificate) == 0


async def test_certificate_already_recorded_is_refused(sessionmaker, register: Register) -> None:
    await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(1)))
    row = {"id_number": resident_id(0), "training": "CDC-BASIC", "passed_on": "2020-02-01"}
    text = to_csv([row], CERTIFICATE_HEADER)
    await imported(sessionmaker, import_certificates, text=text)

    errors = await refused(sessionmaker, import_certificates, text=text)

    assert brief(errors) == [(2, "id_number", ErrorCode.DUPLICATE)]


async def test_certificates_from_xlsx_with_date_cells(sessionmaker, register: Register) -> None:
    await imported(sessionmaker, import_volunteers, text=to_csv(volunteer_rows(2)))
    sheet = [
        CERTIFICATE_HEADER,
        [resident_id(0), "CDC-BASIC", datetime(2020, 2, 1), None],
        [resident_id(1), "CDC-BASIC", date(2020, 2, 2), date(2020, 6, 1)],
    ]

    result = await imported(
        sessionmaker, import_certificates, data=to_xlsx(sheet), file_format="xlsx"
    )

    assert result == ImportResult(created=2)
    async with sessionmaker() as session:
        expiries = set(await session.scalars(select(Certificate.expires_on)))
    assert expiries == {date(2020, 7, 30), date(2020, 6, 1)}


# --- single writes share the row checks ---------------------------------------------------


def volunteer_values(register: Register, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Wang Fang",
        "kind": VolunteerKind.AGENCY,
        "organisation_id": register.organisation_id,
        "unit_id": register.unit_id,
        "home_latitude": 30.83,
        "home_longitude": 110.97,
        "phone": "13800138000",
        "id_number": resident_id(1),
    } | changes


async def test_create_volunteer_refuses_agency_volunteer_without_unit(
    sessionmaker, register: Register
) -> None:
    async with sessionmaker() as session:
        with pytest.raises(ValidationFailed) as failed:
            await create_volunteer(session, values=volunteer_values(register, unit_id=None))

    assert brief(failed.value.errors) == [(None, "unit_id", ErrorCode.REQUIRED)]
    assert await count(sessionmaker, Volunteer) == 0


async def test_create_volunteer_reports_every_problem(sessionmaker, register: Register) -> None:
    values = volunteer_values(
        register,
        kind="agency",  # cleaned to AGENCY
        home_grid_id=9999,
        home_longitude=200,
        phone="+86 138",
        id_number=mistyped_check(resident_id(1)),
    )
    async with sessionmaker() as session:
        with pytest.raises(ValidationFailed) as failed:
            await create_volunteer(session, values=values)

    assert sorted(brief(failed.value.errors)) == [
        (None, "home_grid_id", ErrorCode.NOT_FOUND),
        (None, "home_longitude", ErrorCode.OUT_OF_RANGE),
        (None, "id_number", ErrorCode.INVALID),
        (None, "phone", ErrorCode.INVALID),
    ]


async def test_create_update_and_skills_of_one_volunteer(sessionmaker, register: Register) -> None:
    async with sessionmaker() as session, session.begin():
        volunteer = await create_volunteer(session, values=volunteer_values(register))
        await set_volunteer_skills(
            session, volunteer_id=volunteer.id, skill_ids=list(register.skill_ids.values())
        )
        await set_volunteer_skills(
            session, volunteer_id=volunteer.id, skill_ids=[register.skill_ids["TEMP"]]
        )
        with pytest.raises(ValidationFailed) as unknown_skill:
            await set_volunteer_skills(session, volunteer_id=volunteer.id, skill_ids=[9999])
        await update_volunteer(
            session,
            volunteer_id=volunteer.id,
            changes={"kind": VolunteerKind.SOCIAL, "unit_id": None},
        )
    async with sessionmaker() as session:
        with pytest.raises(ValidationFailed) as duplicate:
            await create_volunteer(session, values=volunteer_values(register, phone="13900139000"))

    assert brief(unknown_skill.value.errors) == [(None, "skill_ids", ErrorCode.NOT_FOUND)]
    assert brief(duplicate.value.errors) == [(None, "id_number", ErrorCode.DUPLICATE)]
    assert await count(sessionmaker, volunteer_skills) == 1


async def test_certificate_expiry_follows_the_training(sessionmaker, register: Register) -> None:
    async with sessionmaker() as session, session.begin():
        volunteer = await create_volunteer(session, values=volunteer_values(register))
        certificate = await create_certificate(
            session,
            values={
                "volunteer_id": volunteer.id,
                "training_id": register.training_ids["CDC-BASIC"],
                "passed_on": date(2020, 2, 1),
            },
        )
        created_expiry = certificate.expires_on
        await update_certificate(
            session, certificate_id=certificate.id, changes={"passed_on": date(2020, 3, 1)}
        )
        moved_expiry = certificate.expires_on
        with pytest.raises(ValidationFailed) as backwards:
            await update_certificate(
                session, certificate_id=certificate.id, changes={"expires_on": date(2020, 1, 1)}
            )

    assert created_expiry == date(2020, 7, 30)
    assert moved_expiry == date(2020, 8, 28)
    assert brief(backwards.value.errors) == [(None, "expires_on", ErrorCode.OUT_OF_RANGE)]


@pytest.mark.parametrize(
    ("id_number", "reason"),
    [
        ("42052719850312041", "18 characters"),
        ("4205271985031204A0", "character 17 ('A') must be a digit"),
        ("42052719850312041Y", "end in a digit or X"),
        ("420527198513120410", "not a date"),
        ("420527209903120410", "in the future"),
        (mistyped_check("420527198503120410"), "check character is 1"),
    ],
)
def test_id_number_problems_say_why(id_number: str, reason: str) -> None:
    problem = id_number_problem(id_number, today=date(2026, 1, 1))

    assert problem is not None and reason in problem


def test_valid_id_numbers_pass() -> None:
    assert [id_number_problem(resident_id(i)) for i in range(50)] == [None] * 50
    assert id_number_problem("11010519491231002X") is None
