"""Bulk import of volunteers and certificates from CSV or Excel: every row written, or none.

A file is read whole, every row is checked (with the same checks a single create runs, and
the references looked up in one query per table), and only a file without a single problem
is inserted, in bulk, in the caller's transaction. The caller commits.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import openpyxl
from sqlalchemy import Row as ResultRow
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.models import Certificate, Grid, Organisation, Skill, Training, Unit, Volunteer
from db.models import volunteer_skills as volunteer_skills_table
from db.models.base import Base
from db.services.certificates import certificate_value_errors, default_expiry
from db.services.crud import integrity_error
from db.services.errors import ErrorCode, FieldError, ValidationFailed
from db.services.volunteers import (
    clean_id_number,
    clean_volunteer_values,
    id_number_problem,
    volunteer_value_errors,
)

FileFormat = Literal["csv", "xlsx"]
LOOKUP_CHUNK = 1000  # keys per IN list, far below either backend's bound-parameter limit
SKILL_SEPARATOR = ";"
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NUMBER_PATTERN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
SHOWN_LENGTH = 40  # how much of a bad cell an error message repeats


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote."""

    created: int


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns a file's header row must name, and those it may name."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        """Every column, required ones first."""
        return self.required + self.optional


VOLUNTEER_COLUMNS = Columns(
    required=(
        "name",
        "kind",
        "organisation",
        "phone",
        "id_number",
        "home_latitude",
        "home_longitude",
    ),
    optional=("unit", "home_grid", "skills"),
)
CERTIFICATE_COLUMNS = Columns(
    required=("id_number", "training", "passed_on"), optional=("expires_on",)
)
# Shared checks name model attributes; an import reports the column the user sees instead.
VOLUNTEER_COLUMN_OF_FIELD = {
    "organisation_id": "organisation",
    "unit_id": "unit",
    "home_grid_id": "home_grid",
}
CERTIFICATE_COLUMN_OF_FIELD = {"volunteer_id": "id_number", "training_id": "training"}


@dataclass(frozen=True, slots=True)
class FileRow:
    """One data row: its number as a spreadsheet shows it (header = 1), cells by column."""

    number: int
    cells: dict[str, Any]


class RowErrors:
    """The problems found in a file, at most one per row and column: the first explains best."""

    def __init__(self, columns: Columns) -> None:
        self._order = {column: i for i, column in enumerate(columns.all)}
        self._found: dict[tuple[int, str], FieldError] = {}

    def add(self, row: int, column: str, code: ErrorCode, message: str) -> None:
        """Record a problem unless this row and column already have one."""
        self._found.setdefault((row, column), FieldError(column, code, message, row))

    def add_all(self, row: int, errors: Iterable[FieldError], columns: Mapping[str, str]) -> None:
        """Record a shared check's errors, renaming model fields to the file's columns."""
        for error in errors:
            self.add(row, columns.get(error.field, error.field), error.code, error.message)

    def has(self, row: int, column: str) -> bool:
        """Whether this row and column already have a problem."""
        return (row, column) in self._found

    def raise_if_any(self) -> None:
        """Raise ValidationFailed with every problem, in row then column order."""
        if self._found:
            last = len(self._order)
            ordered = sorted(
                self._found.values(), key=lambda e: (e.row, self._order.get(e.field, last))
            )
            raise ValidationFailed(ordered)


class CellProblem(Exception):
    """A cell that cannot be read as the column's type."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def file_error(code: ErrorCode, message: str, *, field: str = "file") -> ValidationFailed:
    """A problem with the file as a whole rather than with one row."""
    row = 1 if field == "header" else None
    return ValidationFailed([FieldError(field, code, message, row)])


# --- reading the file -------------------------------------------------------------------


def _decode(data: bytes) -> str:
    # Excel on Chinese Windows saves "CSV" as GB18030/GBK, everything else as UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(ErrorCode.INVALID, "the CSV file is neither UTF-8 nor GB18030 text")


def _csv_records(text: str) -> list[list[Any]]:
    text = text.removeprefix("\ufeff")
    header_line = text[: text.find("\n")] if "\n" in text else text
    # Cells pasted from a spreadsheet arrive tab-separated.
    delimiter = "\t" if "\t" in header_line and "," not in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise file_error(
            ErrorCode.INVALID, f"the CSV file cannot be read at line {reader.line_num}: {exc}"
        ) from exc


def _xlsx_records(data: bytes) -> list[list[Any]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise file_error(
            ErrorCode.INVALID, "the file is not a readable Excel (.xlsx) workbook"
        ) from exc
    try:
        if not workbook.worksheets:
            raise file_error(ErrorCode.INVALID, "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        # Some writers record a wrong sheet size; read the rows actually there.
        sheet.reset_dimensions()
        return [list(values) for values in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _records(*, text: str | None, data: bytes | None, file_format: str) -> list[list[Any]]:
    if (text is None) == (data is None):
        raise ValueError("give the file as exactly one of text or data")
    if file_format == "csv":
        return _csv_records(text if text is not None else _decode(data or b""))
    if file_format == "xlsx":
        if data is None:
            raise file_error(ErrorCode.INVALID, "an Excel file must be sent as bytes, not text")
        return _xlsx_records(data)
    raise file_error(ErrorCode.INVALID, f"unknown file format {file_format!r}; use csv or xlsx")


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _check_header(names: list[str], columns: Columns) -> None:
    named = [n for n in names if n]
    repeated = sorted({n for n in named if named.count(n) > 1})
    unknown = [n for n in named if n not in columns.all]
    missing = [c for c in columns.required if c not in named]
    if not (repeated or unknown or missing):
        return
    problems = [
        f"{label}: {', '.join(found)}"
        for label, found in (
            ("unknown columns", unknown),
            ("missing required columns", missing),
            ("columns named twice", repeated),
        )
        if found
    ]
    expected = f"expected {', '.join(columns.required)}"
    if columns.optional:
        expected += f" and optionally {', '.join(columns.optional)}"
    raise file_error(ErrorCode.INVALID, f"{'; '.join(problems)} ({expected})", field="header")


def read_rows(
    *,
    text: str | None,
    data: bytes | None,
    file_format: str,
    columns: Columns,
    errors: RowErrors,
) -> list[FileRow]:
    """The non-blank data rows of a file whose first row names ``columns``."""
    records = _records(text=text, data=data, file_format=file_format)
    if not records or all(_is_blank(cell) for cell in records[0]):
        raise file_error(
            ErrorCode.REQUIRED, "row 1 must be the header naming the columns", field="header"
        )
    # "Home Latitude" and "home_latitude" name the same column.
    names = ["_".join(_text(cell).lower().split()) for cell in records[0]]
    _check_header(names, columns)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if all(_is_blank(cell) for cell in record):
            continue
        cells: dict[str, Any] = dict.fromkeys(columns.all)
        for position, cell in enumerate(record):
            name = names[position] if position < len(names) else ""
            if name:
                cells[name] = cell
            elif not _is_blank(cell):
                errors.add(
                    number,
                    f"column {position + 1}",
                    ErrorCode.INVALID,
                    "a value in a column the header does not name",
                )
        rows.append(FileRow(number, cells))
    return rows


# --- reading cells ----------------------------------------------------------------------


def _shown(raw: Any) -> str:
    text = str(raw)
    return repr(text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…")


def _text(raw: Any) -> str:
    # Spreadsheets store whole numbers as floats; "13800138000.0" is not what the user typed.
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return "" if raw is None else str(raw).strip()


def _number(raw: Any, column: str) -> float | None:
    if _is_blank(raw):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    elif isinstance(raw, str) and NUMBER_PATTERN.fullmatch(raw.strip()):
        value = float(raw.strip())
    else:
        raise CellProblem(ErrorCode.INVALID, f"{column} must be a number, not {_shown(raw)}")
    if not math.isfinite(value):
        raise CellProblem(ErrorCode.INVALID, f"{column} must be a finite number")
    return value


def _date(raw: Any, column: str) -> date | None:
    if _is_blank(raw):
        return None
    if isinstance(raw, datetime):  # Excel date cells arrive as datetimes at midnight
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not DATE_PATTERN.fullmatch(text):
        raise CellProblem(
            ErrorCode.INVALID, f"{column} must be a date written YYYY-MM-DD, not {_shown(raw)}"
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellProblem(ErrorCode.INVALID, f"{column} {text} is not a calendar date") from None


def _id_number(raw: Any, column: str) -> str | None:
    if isinstance(raw, float):
        raise CellProblem(
            ErrorCode.INVALID,
            f"{column} is stored as a number, which keeps only 15 digits; "
            "format the column as text and enter the ID numbers again",
        )
    return clean_id_number(_text(raw)) or None


def _cell(errors: RowErrors, row: FileRow, column: str, read: Callable[[Any, str], Any]) -> Any:
    """The cell read by ``read``, or None with the problem recorded."""
    try:
        return read(row.cells[column], column)
    except CellProblem as problem:
        errors.add(row.number, column, problem.code, problem.message)
        return None


def _reference(
    errors: RowErrors, row: FileRow, column: str, found: Mapping[str, ResultRow[Any]], what: str
) -> ResultRow[Any] | None:
    """The register row a cell names, or None; NOT_FOUND when the name is unknown."""
    key = _text(row.cells[column])
    if not key:
        return None
    if (match := found.get(key)) is None:
        errors.add(
            row.number, column, ErrorCode.NOT_FOUND, f"no {what} {_shown(key)} in the register"
        )
    return match


def _skill_codes(raw: Any) -> list[str]:
    codes = (code.strip() for code in _text(raw).split(SKILL_SEPARATOR))
    return list(dict.fromkeys(code for code in codes if code))


# --- looking up the register ------------------------------------------------------------


async def _lookup(
    session: AsyncSession,
    key: InstrumentedAttribute[Any],
    *columns: InstrumentedAttribute[Any],
    keys: Iterable[Any],
) -> dict[Any, ResultRow[Any]]:
    """Rows whose ``key`` is among ``keys``, by key: one query per thousand keys."""
    wanted = sorted({k for k in keys if k})
    found: dict[Any, ResultRow[Any]] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        result = await session.execute(select(key, *columns).where(key.in_(chunk)))
        found.update((row[0], row) for row in result)
    return found


async def _insert(
    session: AsyncSession, model: type[Base], statement: Any, rows: list[dict[str, Any]]
) -> Any:
    # Checks ran first; a constraint failing here means a concurrent writer got in between.
    try:
        # NULLs rendered, not omitted, so every row shares one statement and batches.
        return await session.execute(statement.execution_options(render_nulls=True), rows)
    except IntegrityError as exc:
        await session.rollback()
        raise ValidationFailed([integrity_error(exc, model)]) from exc


# --- volunteers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VolunteerReferences:
    """What the rows of a volunteer file name in the register."""

    organisations: dict[Any, ResultRow[Any]]
    units: dict[Any, ResultRow[Any]]
    grids: dict[Any, ResultRow[Any]]
    skills: dict[Any, ResultRow[Any]]
    registered_id_numbers: set[str]


@dataclass(slots=True)
class VolunteerDraft:
    """A volunteer row turned into model values, with the skills it lists."""

    row: int
    values: dict[str, Any]
    skill_ids: list[int]


async def _volunteer_references(session: AsyncSession, rows: list[FileRow]) -> VolunteerReferences:
    def texts(column: str) -> set[str]:
        return {_text(row.cells[column]) for row in rows}

    id_numbers = {clean_id_number(_text(row.cells["id_number"])) for row in rows}
    skill_codes = {code for row in rows for code in _skill_codes(row.cells["skills"])}
    registered = await _lookup(session, Volunteer.id_number, keys=id_numbers)
    return VolunteerReferences(
        organisations=await _lookup(
            session, Organisation.code, Organisation.id, keys=texts("organisation")
        ),
        units=await _lookup(session, Unit.name, Unit.id, keys=texts("unit")),
        grids=await _lookup(
            session, Grid.code, Grid.id, Grid.latitude, Grid.longitude, keys=texts("home_grid")
        ),
        skills=await _lookup(session, Skill.code, Skill.id, keys=skill_codes),
        registered_id_numbers=set(registered),
    )


def _volunteer_draft(row: FileRow, refs: VolunteerReferences, errors: RowErrors) -> VolunteerDraft:
    """Model values for one row; every problem found goes to ``errors``."""
    organisation = _reference(errors, row, "organisation", refs.organisations, "organisation code")
    unit = _reference(errors, row, "unit", refs.units, "unit named")
    grid = _reference(errors, row, "home_grid", refs.grids, "grid code")
    latitude = _cell(errors, row, "home_latitude", _number)
    longitude = _cell(errors, row, "home_longitude", _number)
    # A home grid stands in for coordinates the row leaves blank.
    if grid is not None and _is_blank(row.cells["home_latitude"]):
        latitude = grid.latitude
    if grid is not None and _is_blank(row.cells["home_longitude"]):
        longitude = grid.longitude
    values = clean_volunteer_values(
        {
            "name": _text(row.cells["name"]) or None,
            "kind": _text(row.cells["kind"]) or None,
            "organisation_id": organisation.id if organisation else None,
            "unit_id": unit.id if unit else None,
            "home_grid_id": grid.id if grid else None,
            "home_latitude": latitude,
            "home_longitude": longitude,
            "phone": _text(row.cells["phone"]) or None,
            "id_number": _cell(errors, row, "id_number", _id_number),
        }
    )
    codes = _skill_codes(row.cells["skills"])
    if unknown := [code for code in codes if code not in refs.skills]:
        errors.add(
            row.number,
            "skills",
            ErrorCode.NOT_FOUND,
            f"no skill code {', '.join(map(_shown, unknown))} in the register",
        )
    errors.add_all(row.number, volunteer_value_errors(values), VOLUNTEER_COLUMN_OF_FIELD)
    skill_ids = [refs.skills[code].id for code in codes if code in refs.skills]
    return VolunteerDraft(row.number, values, skill_ids)


def _refuse_repeated_id_numbers(
    drafts: list[VolunteerDraft], registered: set[str], errors: RowErrors
) -> None:
    first_row: dict[str, int] = {}
    for draft in drafts:
        id_number = draft.values["id_number"]
        if id_number is None or errors.has(draft.row, "id_number"):
            continue
        if id_number in registered:
            message = "a volunteer with this ID number is already in the register"
            errors.add(draft.row, "id_number", ErrorCode.DUPLICATE, message)
        elif id_number in first_row:
            message = f"the same ID number as row {first_row[id_number]}"
            errors.add(draft.row, "id_number", ErrorCode.DUPLICATE, message)
        else:
            first_row[id_number] = draft.row


async def _insert_volunteers(session: AsyncSession, drafts: list[VolunteerDraft]) -> None:
    statement = insert(Volunteer).returning(Volunteer.id, Volunteer.id_number)
    result = await _insert(session, Volunteer, statement, [d.values for d in drafts])
    id_of = {id_number: ident for ident, id_number in result}
    links = [
        {"volunteer_id": id_of[draft.values["id_number"]], "skill_id": skill_id}
        for draft in drafts
        for skill_id in draft.skill_ids
    ]
    if links:
        await _insert(session, Volunteer, insert(volunteer_skills_table), links)


async def import_volunteers(
    session: AsyncSession,
    *,
    text: str | None = None,
    data: bytes | None = None,
    file_format: FileFormat = "csv",
) -> ImportResult:
    """Add every volunteer a CSV or Excel file lists, or none and raise ValidationFailed."""
    errors = RowErrors(VOLUNTEER_COLUMNS)
    rows = read_rows(
        text=text, data=data, file_format=file_format, columns=VOLUNTEER_COLUMNS, errors=errors
    )
    refs = await _volunteer_references(session, rows)
    drafts = [_volunteer_draft(row, refs, errors) for row in rows]
    _refuse_repeated_id_numbers(drafts, refs.registered_id_numbers, errors)
    errors.raise_if_any()
    if drafts:
        await _insert_volunteers(session, drafts)
    return ImportResult(created=len(drafts))


# --- certificates -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateReferences:
    """What the rows of a certificate file name in the register."""

    volunteers: dict[Any, ResultRow[Any]]
    trainings: dict[Any, ResultRow[Any]]
    recorded: set[tuple[int, int, date]]  # (volunteer, training, pass date) already held


@dataclass(slots=True)
class CertificateDraft:
    """A certificate row turned into model values."""

    row: int
    values: dict[str, Any]


async def _recorded_certificates(
    session: AsyncSession, volunteer_ids: list[int]
) -> set[tuple[int, int, date]]:
    """(volunteer, training, pass date) of the certificates these volunteers already hold."""
    recorded: set[tuple[int, int, date]] = set()
    key = (Certificate.volunteer_id, Certificate.training_id, Certificate.passed_on)
    for start in range(0, len(volunteer_ids), LOOKUP_CHUNK):
        chunk = volunteer_ids[start : start + LOOKUP_CHUNK]
        result = await session.execute(select(*key).where(Certificate.volunteer_id.in_(chunk)))
        recorded.update((v, t, p) for v, t, p in result)
    return recorded


async def _certificate_references(
    session: AsyncSession, rows: list[FileRow]
) -> CertificateReferences:
    id_numbers = {clean_id_number(_text(row.cells["id_number"])) for row in rows}
    volunteers = await _lookup(session, Volunteer.id_number, Volunteer.id, keys=id_numbers)
    trainings = await _lookup(
        session,
        Training.code,
        Training.id,
        Training.validity_days,
        keys={_text(row.cells["training"]) for row in rows},
    )
    recorded = await _recorded_certificates(session, [v.id for v in volunteers.values()])
    return CertificateReferences(volunteers, trainings, recorded)


def _certificate_draft(
    row: FileRow, refs: CertificateReferences, errors: RowErrors
) -> CertificateDraft:
    """Model values for one row; every problem found goes to ``errors``."""
    id_number = _cell(errors, row, "id_number", _id_number)
    volunteer = None
    if id_number is not None and (problem := id_number_problem(id_number)):
        errors.add(row.number, "id_number", ErrorCode.INVALID, problem)
    elif id_number is not None and (volunteer := refs.volunteers.get(id_number)) is None:
        message = "no volunteer with this ID number in the register"
        errors.add(row.number, "id_number", ErrorCode.NOT_FOUND, message)
    elif id_number is None and not errors.has(row.number, "id_number"):
        errors.add(row.number, "id_number", ErrorCode.REQUIRED, "id_number is required")
    training = _reference(errors, row, "training", refs.trainings, "training code")
    passed_on = _cell(errors, row, "passed_on", _date)
    expires_on = _cell(errors, row, "expires_on", _date)
    # A blank expiry follows from the training; an unreadable one stays reported, not replaced.
    if _is_blank(row.cells["expires_on"]) and passed_on is not None and training is not None:
        expires_on = default_expiry(passed_on, training.validity_days)
    values = {
        "volunteer_id": volunteer.id if volunteer else None,
        "training_id": training.id if training else None,
        "passed_on": passed_on,
        "expires_on": expires_on,
    }
    errors.add_all(row.number, certificate_value_errors(values), CERTIFICATE_COLUMN_OF_FIELD)
    return CertificateDraft(row.number, values)


def _refuse_repeated_certificates(
    drafts: list[CertificateDraft], recorded: set[tuple[int, int, date]], errors: RowErrors
) -> None:
    first_row: dict[tuple[int, int, date], int] = {}
    for draft in drafts:
        key = (draft.values["volunteer_id"], draft.values["training_id"], draft.values["passed_on"])
        if None in key:
            continue
        if key in recorded:
            message = "this volunteer already has this training's certificate with this pass date"
            errors.add(draft.row, "id_number", ErrorCode.DUPLICATE, message)
        elif key in first_row:
            message = f"the same volunteer, training and pass date as row {first_row[key]}"
            errors.add(draft.row, "id_number", ErrorCode.DUPLICATE, message)
        else:
            first_row[key] = draft.row


async def import_certificates(
    session: AsyncSession,
    *,
    text: str | None = None,
    data: bytes | None = None,
    file_format: FileFormat = "csv",
) -> ImportResult:
    """Record every certificate a CSV or Excel file lists, or none and raise ValidationFailed."""
    errors = RowErrors(CERTIFICATE_COLUMNS)
    rows = read_rows(
        text=text, data=data, file_format=file_format, columns=CERTIFICATE_COLUMNS, errors=errors
    )
    refs = await _certificate_references(session, rows)
    drafts = [_certificate_draft(row, refs, errors) for row in rows]
    _refuse_repeated_certificates(drafts, refs.recorded, errors)
    errors.raise_if_any()
    if drafts:
        await _insert(session, Certificate, insert(Certificate), [d.values for d in drafts])
    return ImportResult(created=len(drafts))
