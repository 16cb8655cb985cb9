"""Availability windows: each volunteer offers 30-50 % of the week's shift slots."""

from __future__ import annotations

import math
import random
from datetime import date, datetime

from db.scenarios.rows import Row
from db.scenarios.timetable import SHIFT_TYPES, scenario_days, shift_window

SHARE_RANGE = (0.30, 0.50)
# Preferences over DAY, EVENING, NIGHT: most people favour days, a few favour nights.
PREFERENCES = ((6.0, 3.0, 1.0), (3.0, 6.0, 1.0), (2.0, 2.0, 6.0), (1.0, 1.0, 1.0))
PREFERENCE_WEIGHTS = (0.45, 0.25, 0.10, 0.20)

Window = tuple[datetime, datetime]


def week_slots(*, start: date, days: int) -> list[Window]:
    """Every shift slot of the scenario, in time order."""
    return [
        shift_window(day=day, shift_type=shift_type)
        for day in scenario_days(start=start, days=days)
        for shift_type in SHIFT_TYPES
    ]


def offered_slots(*, rng: random.Random, slot_count: int) -> list[int]:
    """Indices of the slots one volunteer offers, weighted by a shift-type preference."""
    low = math.ceil(SHARE_RANGE[0] * slot_count)
    high = math.floor(SHARE_RANGE[1] * slot_count)
    count = rng.randint(low, high)
    preference = rng.choices(PREFERENCES, weights=PREFERENCE_WEIGHTS)[0]
    # Weighted sampling without replacement: the largest u ** (1 / weight) keys win.
    keys = [
        (rng.random() ** (1.0 / preference[slot % len(SHIFT_TYPES)]), slot)
        for slot in range(slot_count)
    ]
    return sorted(slot for _, slot in sorted(keys, reverse=True)[:count])


def merge_slots(*, slots: list[Window], chosen: list[int]) -> list[Window]:
    """Back-to-back slots joined into one window."""
    windows: list[Window] = []
    for index in chosen:
        starts_at, ends_at = slots[index]
        if windows and windows[-1][1] == starts_at:
            windows[-1] = (windows[-1][0], ends_at)
        else:
            windows.append((starts_at, ends_at))
    return windows


def build_availability(
    *, volunteer_ids: list[int], rng: random.Random, start: date, days: int
) -> list[Row]:
    """Availability rows for every volunteer, ids from 1."""
    slots = week_slots(start=start, days=days)
    rows: list[Row] = []
    for volunteer_id in volunteer_ids:
        chosen = offered_slots(rng=rng, slot_count=len(slots))
        for starts_at, ends_at in merge_slots(slots=slots, chosen=chosen):
            rows.append(
                {
                    "id": len(rows) + 1,
                    "volunteer_id": volunteer_id,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                }
            )
    return rows
