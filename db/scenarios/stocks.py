"""Protective stocks: units' own kits per day plus a city reserve, tight where it matters."""

from __future__ import annotations

import math
import random
from datetime import date

from db.scenarios.rows import Row

# Overall supply is about 1.1 × demand, so shortages come from where kits are, not how many.
SUPPLY_RATIO = 1.10
UNITS_SHARE = 0.95
# A unit's need: kits for the posts it runs, plus kits for its own members serving elsewhere.
USING_WEIGHT = 0.5
# How well each unit is stocked relative to its need; some are badly short, some have plenty.
STOCKING_RANGE = (0.4, 1.5)
DAILY_JITTER = (0.85, 1.15)


def build_stocks(
    *,
    rng: random.Random,
    unit_ids: list[int],
    members: dict[int, int],
    kit_demand: dict[tuple[int, int, date], int],
    item_ids: list[int],
    days: list[date],
) -> list[Row]:
    """Stock rows per unit, item and day, then the city reserve (no owner unit)."""
    total: dict[tuple[int, date], int] = {}
    for (_unit, item, day), kits in kit_demand.items():
        total[item, day] = total.get((item, day), 0) + kits
    all_members = sum(members.values()) or 1
    stocking = {unit: rng.uniform(*STOCKING_RANGE) for unit in unit_ids}

    quantities: dict[tuple[int, int, date], int] = {}
    for item in item_ids:
        for day in days:
            demand = total.get((item, day), 0)
            raw = {
                unit: stocking[unit]
                * rng.uniform(*DAILY_JITTER)
                * (
                    USING_WEIGHT * kit_demand.get((unit, item, day), 0)
                    + (1 - USING_WEIGHT) * demand * members.get(unit, 0) / all_members
                )
                for unit in unit_ids
            }
            scale = UNITS_SHARE * demand / (sum(raw.values()) or 1)
            for unit in unit_ids:
                quantities[unit, item, day] = math.floor(raw[unit] * scale)

    rows: list[Row] = []
    for unit in unit_ids:
        for item in item_ids:
            for day in days:
                if quantities[unit, item, day] > 0:
                    rows.append(
                        _row(
                            number=len(rows) + 1,
                            unit=unit,
                            item=item,
                            day=day,
                            quantity=quantities[unit, item, day],
                        )
                    )
    for item in item_ids:
        for day in days:
            held_by_units = sum(quantities[unit, item, day] for unit in unit_ids)
            reserve = max(0, round(SUPPLY_RATIO * total.get((item, day), 0)) - held_by_units)
            rows.append(_row(number=len(rows) + 1, unit=None, item=item, day=day, quantity=reserve))
    return rows


def _row(*, number: int, unit: int | None, item: int, day: date, quantity: int) -> Row:
    """One stock row; ``unit`` None is the city reserve."""
    return {
        "id": number,
        "owner_unit_id": unit,
        "item_id": item,
        "day": day,
        "quantity": quantity,
    }
