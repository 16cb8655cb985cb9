"""The scenario week: local days, three eight-hour shifts a day, converted to aware UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

# The sources are Chinese counties: China Standard Time, no daylight saving.
LOCAL_TZ = timezone(timedelta(hours=8), "CST")


@dataclass(frozen=True)
class ShiftType:
    """A named shift starting at a local time and lasting a number of hours."""

    name: str
    starts: time
    hours: int


SHIFT_TYPES = (
    ShiftType("DAY", time(6), 8),
    ShiftType("EVENING", time(14), 8),
    ShiftType("NIGHT", time(22), 8),
)


def local_today() -> date:
    """Today's date where the volunteers are."""
    return datetime.now(LOCAL_TZ).date()


def default_start(*, today: date | None = None) -> date:
    """The next Monday strictly after ``today`` (local today when omitted)."""
    today = today or local_today()
    return today + timedelta(days=7 - today.weekday())


def scenario_days(*, start: date, days: int) -> list[date]:
    """The local days of the scenario, in order."""
    return [start + timedelta(days=offset) for offset in range(days)]


def local_to_utc(*, day: date, at: time) -> datetime:
    """A local wall-clock time on ``day`` as an aware UTC datetime."""
    return datetime.combine(day, at, LOCAL_TZ).astimezone(UTC)


def shift_window(*, day: date, shift_type: ShiftType) -> tuple[datetime, datetime]:
    """Start and end (aware UTC) of a shift beginning on local ``day``."""
    starts_at = local_to_utc(day=day, at=shift_type.starts)
    return starts_at, starts_at + timedelta(hours=shift_type.hours)
