"""Keyset pagination: pages come from the database by cursor, never sliced in memory."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

T = TypeVar("T")


class PaginationError(ValueError):
    """Bad paging arguments; the message says what is allowed."""


@dataclass(frozen=True, slots=True)
class SortKey:
    """One ordering term; the primary key is always appended as the tie-breaker."""

    column: Any
    descending: bool = False
    kind: str = "str"  # how the cursor stores the value: str, int, float, date, datetime


def order_keys(key: SortKey, id_column: Any, *, descending: bool) -> list[SortKey]:
    """``key`` in the asked direction, then the primary key so the order is total."""
    return [
        SortKey(key.column, descending, key.kind),
        SortKey(id_column, descending, "int"),
    ]


@dataclass(frozen=True, slots=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(slots=True)
class Page(Generic[T]):
    """A page of rows with their cursors; ``count`` runs the total only when asked."""

    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]


def validate_page_args(args: PageArgs, *, default_size: int, max_size: int) -> tuple[int, bool]:
    """The page size and whether we page backwards; refuse sizes outside 0..max_size."""
    if args.first is not None and args.last is not None:
        raise PaginationError("Pass either `first` or `last`, not both.")
    for name in ("first", "last"):
        value = getattr(args, name)
        if value is not None and not 0 <= value <= max_size:
            raise PaginationError(
                f"`{name}` must be between 0 and {max_size}; {value} was requested."
            )
    if args.last is not None:
        return args.last, True
    if args.first is not None:
        return args.first, False
    # `before` alone pages backwards from it, as GitHub does.
    return default_size, args.before is not None and args.after is None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums sort by their stored string
        return value.value
    return value


def _decode_value(raw: Any, kind: str) -> Any:
    if raw is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(raw)
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    return str(raw)


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor holding the sort values of a row."""
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    """The sort values in a cursor, checked against the current ordering."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_decode_value(v, k.kind) for v, k in zip(values, keys, strict=True)]
    except (ValueError, binascii.Error, TypeError, json.JSONDecodeError) as exc:
        raise PaginationError(
            f"Invalid cursor {cursor!r}: it must come from this list with the same ordering."
        ) from exc


def _after(keys: Sequence[SortKey], values: Sequence[Any], *, backwards: bool) -> ColumnElement:
    # Lexicographic "comes after" for mixed directions: (a > x) or (a = x and b > y) ...
    clauses = []
    for i, key in enumerate(keys):
        forward = key.descending == backwards
        compare = key.column > values[i] if forward else key.column < values[i]
        equal = [keys[j].column == values[j] for j in range(i)]
        clauses.append(and_(*equal, compare))
    return or_(*clauses) if clauses else false()


def _order(keys: Sequence[SortKey], *, backwards: bool) -> list[Any]:
    return [k.column.desc() if k.descending != backwards else k.column.asc() for k in keys]


async def paginate(
    sessionmaker: async_sessionmaker[AsyncSession],
    query: Select[Any],
    *,
    keys: Sequence[SortKey],
    args: PageArgs,
    default_size: int,
    max_size: int,
) -> Page[Any]:
    """One page of ``query`` ordered by ``keys`` (the last key must be unique)."""
    size, backwards = validate_page_args(args, default_size=default_size, max_size=max_size)
    page_query = query
    if args.after is not None:
        page_query = page_query.where(
            _after(keys, decode_cursor(args.after, keys), backwards=False)
        )
    if args.before is not None:
        page_query = page_query.where(
            _after(keys, decode_cursor(args.before, keys), backwards=True)
        )
    # One row past the page tells whether another page follows.
    page_query = page_query.order_by(*_order(keys, backwards=backwards)).limit(size + 1)
    labelled = page_query.add_columns(*(k.column.label(f"_k{i}") for i, k in enumerate(keys)))

    async def count() -> int:
        async with sessionmaker() as session:
            total = select(func.count()).select_from(query.order_by(None).subquery())
            return int(await session.scalar(total) or 0)

    if size == 0:
        return Page([], [], False, False, count)
    async with sessionmaker() as session:
        result = (await session.execute(labelled)).all()
    more = len(result) > size
    result = result[:size]
    if backwards:
        result.reverse()
    rows = [r[0] for r in result]
    cursors = [encode_cursor(r[1:]) for r in result]
    if backwards:
        return Page(rows, cursors, args.before is not None, more, count)
    return Page(rows, cursors, more, args.after is not None, count)
