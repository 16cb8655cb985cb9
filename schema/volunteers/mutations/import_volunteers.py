"""importVolunteers and importCertificates: a CSV or Excel file, every row or none."""

from __future__ import annotations

import base64
import enum

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db.services.errors import ErrorCode, FieldError, ValidationFailed
from db.services.imports import ImportResult, import_certificates, import_volunteers
from resolvers.context import Info
from schema.base import UserError
from schema.mutations import apply


@strawberry.enum
class FileFormat(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"


@strawberry.input(description="The file's text (CSV) or its bytes in base64 (CSV or Excel).")
class ImportFileInput:
    text: str | None = None
    content_base64: str | None = None
    format: FileFormat = FileFormat.CSV


@strawberry.type(description="How many rows were written, or why none were.")
class ImportPayload:
    created: int
    user_errors: list[UserError]


def _file(input: ImportFileInput) -> dict[str, object]:
    if (input.text is None) == (input.content_base64 is None):
        raise ValidationFailed(
            [FieldError("text", ErrorCode.REQUIRED, "give exactly one of text or contentBase64")]
        )
    if input.text is not None:
        return {"text": input.text, "file_format": input.format.value}
    try:
        data = base64.b64decode(input.content_base64 or "", validate=True)
    except ValueError as exc:  # binascii.Error, or characters outside ASCII
        raise ValidationFailed(
            [FieldError("content_base64", ErrorCode.INVALID, "contentBase64 is not base64")]
        ) from exc
    return {"data": data, "file_format": input.format.value}


async def _import(info: Info, input: ImportFileInput, importer) -> ImportPayload:  # type: ignore[no-untyped-def]
    async def work(session: AsyncSession) -> ImportResult:
        return await importer(session, **_file(input))

    result, errors = await apply(info, work)
    return ImportPayload(created=result.created if result else 0, user_errors=errors)


async def import_volunteers_mutation(info: Info, input: ImportFileInput) -> ImportPayload:
    """Import volunteers: columns name, kind, organisation, unit, phone, id_number,
    home_latitude, home_longitude, home_grid, skills."""
    return await _import(info, input, import_volunteers)


async def import_certificates_mutation(info: Info, input: ImportFileInput) -> ImportPayload:
    """Import certificates: columns id_number, training, passed_on, expires_on."""
    return await _import(info, input, import_certificates)
