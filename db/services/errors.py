"""Errors the register's operations report to callers, before anything is written."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ErrorCode(enum.StrEnum):
    """Machine-readable reasons an input is refused."""

    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    IN_USE = "IN_USE"  # still referenced by other records
    CONFLICT = "CONFLICT"
    RULE_BROKEN = "RULE_BROKEN"  # a roster edit would break a hard rule of the optimizer
    STALE = "STALE"  # the row changed since the caller read it (row versions)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; ``row`` is set for bulk imports (1-based)."""

    field: str
    code: ErrorCode
    message: str
    row: int | None = None


class ValidationFailed(Exception):
    """Raised with every problem found; the operation wrote nothing."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class NotFound(ValidationFailed):
    """An object named by id does not exist."""

    def __init__(self, field: str, what: str, ident: object) -> None:
        super().__init__([FieldError(field, ErrorCode.NOT_FOUND, f"{what} {ident} does not exist")])
