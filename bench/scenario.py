"""A deterministic synthetic scenario in matching's own dataclasses, for benchmarking scale.

Shape (from SPEC and the solver notes): towns on a county plane, posts clustered in towns, 7 days
of three 8 h shifts (06:00, 14:00, 22:00), headcount 1-4 per post and shift (one less at night),
35 % of lines needing one of 6 skills, 30 % of posts needing a certificate held by 70 % of
volunteers (some expiring mid-week), 30-50 % availability, a few volunteers unwell on a day,
12 h rest and at most 5 shifts a week, 60 % agency volunteers, and protective-kit stocks per unit
and per using unit per day summing to about 1.1 x demand but binding locally.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matching.problem import (
    Certificate,
    Post,
    Problem,
    Rules,
    Slot,
    Stock,
    Volunteer,
    Weights,
)

SHIFT_STARTS = (6 * 60, 14 * 60, 22 * 60)
SHIFT_TYPES = ("early", "late", "night")
SKILLS = ("publicity", "guarding", "screening", "disinfection", "information", "counselling")
KIT = "protective suit"


@dataclass(frozen=True)
class Shape:
    """Sizes of a scenario."""

    volunteers: int
    posts: int
    days: int = 7
    units: int = 0  # 0: about one unit per 60 volunteers
    side_km: float = 0.0  # 0: grows with the square root of the volunteer count


SHAPES = {
    "township": Shape(300, 20),
    "county": Shape(10_000, 600),
    "city": Shape(120_000, 2_000),
}


def scenario(shape: Shape, *, seed: int = 1) -> Problem:
    """A problem of the given shape, the same for the same seed."""
    rng = random.Random(seed)
    side = shape.side_km or max(8.0, 0.5 * shape.volunteers**0.5)
    n_units = shape.units or max(3, shape.volunteers // 60)
    n_towns = max(2, shape.posts // 12)
    towns = [(rng.uniform(0, side), rng.uniform(0, side)) for _ in range(n_towns)]

    def near(town: tuple[float, float], spread: float) -> tuple[float, float]:
        return (
            min(side, max(0.0, rng.gauss(town[0], spread))),
            min(side, max(0.0, rng.gauss(town[1], spread))),
        )

    units = [f"U{u:03d}" for u in range(n_units)]
    unit_town = {u: rng.randrange(n_towns) for u in units}
    posts = []
    for i in range(shape.posts):
        t = rng.randrange(n_towns)
        grid = rng.random() < 0.25
        posts.append(
            Post(
                f"P{i:04d}",
                using_unit=rng.choice(units),
                location=near(towns[t], side / 40),
                priority=rng.choice((1, 1, 1, 2, 3)),
                required_certificates=frozenset({"cdc"}) if rng.random() < 0.3 else frozenset(),
                claimed_by=rng.choice(units) if grid else None,
                name=f"{'grid gate' if grid else 'checkpoint'} {i}",
            )
        )
    slots = []
    demand: dict[tuple[str, int], int] = {}  # kits needed per (using unit, day)
    for post in posts:
        base = rng.randint(1, 4)
        for d in range(shape.days):
            for k, start in enumerate(SHIFT_STARTS):
                h = base - 1 if k == 2 else base
                if h <= 0:
                    continue
                t0 = d * 1440 + start
                lines = []
                if rng.random() < 0.35:
                    lines.append((1, rng.choice(SKILLS)))
                    h -= 1
                if h > 0:
                    lines.append((h, None))
                for j, (n, skill) in enumerate(lines):
                    slots.append(
                        Slot(
                            f"{post.id}-{d}-{SHIFT_TYPES[k]}-{j}",
                            post.id,
                            t0,
                            t0 + 480,
                            n,
                            shift_type=SHIFT_TYPES[k],
                            skill=skill,
                            kit=KIT,
                        )
                    )
                    key = (post.using_unit or "", d)
                    demand[key] = demand.get(key, 0) + n
    windows = [(d * 1440 + s, d * 1440 + s + 480) for d in range(shape.days) for s in SHIFT_STARTS]
    vols = []
    for i in range(shape.volunteers):
        agency = rng.random() < 0.6
        unit = rng.choice(units) if agency else None
        town = towns[unit_town[unit]] if unit and rng.random() < 0.7 else rng.choice(towns)
        share = rng.uniform(0.3, 0.5)
        avail = tuple(w for w in windows if rng.random() < share)
        certs: tuple[Certificate, ...] = ()
        if rng.random() < 0.7:
            last = rng.randrange(2, shape.days) if rng.random() < 0.05 else None
            certs = (Certificate("cdc", last_day=last),)
        unwell = frozenset({rng.randrange(shape.days)}) if rng.random() < 0.03 else frozenset()
        vols.append(
            Volunteer(
                f"V{i:06d}",
                unit=unit,
                home=near(town, side / 15),
                skills=frozenset(rng.sample(SKILLS, rng.choice((0, 1, 1, 2)))),
                certificates=certs,
                availability=avail,
                unwell_days=unwell,
            )
        )
    # Stocks: units equip their own agency volunteers, using units their social ones, and the
    # city reserve tops up; about 1.1 x demand overall, spread unevenly so some units run short.
    total = sum(demand.values())
    stocks = []
    agency_share = 0.6
    for d in range(shape.days):
        day_demand = sum(n for (_, dd), n in demand.items() if dd == d)
        for u in units:
            own = rng.uniform(0.5, 1.3) * agency_share * day_demand / n_units
            social = rng.uniform(0.5, 1.3) * (1 - agency_share) * demand.get((u, d), 0)
            q = round(own + social)
            if q > 0:
                stocks.append(Stock(f"{u}-{d}", KIT, d, q, owner=u))
        stocks.append(Stock(f"city-{d}", KIT, d, round(0.15 * day_demand)))
    del total
    return Problem(
        tuple(vols),
        tuple(posts),
        tuple(slots),
        tuple(stocks),
        rules=Rules(
            max_shifts_per_day=1,
            min_rest_minutes=12 * 60,
            period_days=7,
            max_minutes_per_period=5 * 480,
        ),
        weights=Weights(),
        horizon_days=shape.days,
    )
