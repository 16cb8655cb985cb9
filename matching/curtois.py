"""Reader for the Curtois & Qu shift-scheduling benchmark (`.txt`) into the same Problem model.

Its rules are a subset of ours: one shift a day, forbidden successions, per-type caps, total
minutes over the horizon, runs of shifts and of days off (edge runs exempt), weekends, days off.
Each cover row becomes a slot whose under- and over-cover weights are the row's own.
"""

from __future__ import annotations

from pathlib import Path

from matching.problem import (
    MINUTES_PER_DAY,
    Placement,
    Post,
    Problem,
    Request,
    Rules,
    Slot,
    Volunteer,
    Weights,
)
from matching.roster import Roster

WARD = "ward"


def _sections(text: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            out[current] = []
            continue
        if current is not None:
            out[current].append([f.strip() for f in line.split(",")])
    return out


def read_instance(path: str | Path) -> Problem:
    """The benchmark instance at `path` as a Problem (day 0 is a Monday)."""
    sec = _sections(Path(path).read_text())
    days = int(sec["SECTION_HORIZON"][0][0])
    length: dict[str, int] = {}
    successions = set()
    for row in sec["SECTION_SHIFTS"]:
        length[row[0]] = int(row[1])
        for follower in row[2].split("|") if len(row) > 2 else []:
            if follower:
                successions.add((row[0], follower))
    days_off: dict[str, frozenset[int]] = {
        row[0]: frozenset(int(d) for d in row[1:] if d) for row in sec.get("SECTION_DAYS_OFF", [])
    }
    staff = sec["SECTION_STAFF"]
    volunteers = []
    for row in staff:
        caps = {}
        for pair in row[1].split("|"):
            if pair:
                t, n = pair.split("=")
                caps[t] = int(n)
        rules = Rules(
            max_shifts_per_day=1,
            period_days=None,
            max_minutes_per_period=int(row[2]),
            min_minutes_per_period=int(row[3]),
            max_shifts_per_type=caps,
            max_consecutive_days=int(row[4]),
            min_consecutive_days=int(row[5]),
            min_consecutive_days_off=int(row[6]),
            max_working_weekends=int(row[7]),
        )
        volunteers.append(
            Volunteer(row[0], days_off=days_off.get(row[0], frozenset()), rules=rules)
        )
    requests = [
        Request(r[0], int(r[1]), r[2], int(r[3]), on=True)
        for r in sec.get("SECTION_SHIFT_ON_REQUESTS", [])
    ] + [
        Request(r[0], int(r[1]), r[2], int(r[3]), on=False)
        for r in sec.get("SECTION_SHIFT_OFF_REQUESTS", [])
    ]
    slots = []
    for r in sec["SECTION_COVER"]:
        day, t = int(r[0]), r[1]
        start = day * MINUTES_PER_DAY
        slots.append(
            Slot(
                f"{day}:{t}",
                WARD,
                start,
                start + length[t],
                int(r[2]),
                shift_type=t,
                unfilled_weight=int(r[3]),
                max_over=len(staff),
                over_weight=int(r[4]),
            )
        )
    return Problem(
        tuple(volunteers),
        (Post(WARD),),
        tuple(slots),
        rules=Rules(max_shifts_per_day=1, period_days=None),
        weights=Weights(
            unfilled_head=0,
            city_reserve_kit=0,
            change=0,
            travel=0,
            fairness=0,
            preference=1,
            unclaimed_grid=0,
            over_cover=1,
        ),
        forbidden_successions=frozenset(successions),
        requests=tuple(requests),
        horizon_days=days,
        first_weekday=0,
    )


def roster_rows(problem: Problem, roster: Roster) -> list[tuple[str, int, str]]:
    """The roster as (employee, day, shift) rows, day 0-based, sorted."""
    slots = {s.id: s for s in problem.slots}
    return sorted(
        (a.volunteer, slots[a.slot].day, slots[a.slot].shift_type) for a in roster.assignments
    )


def placements_from_rows(rows: list[tuple[str, int, str]]) -> tuple[Placement, ...]:
    """Placements from (employee, day, shift) rows, e.g. a roster CSV read back."""
    return tuple(Placement(e, f"{d}:{t}") for e, d, t in rows)
