"""The register as the optimizer's problem: rows in, `matching.Problem` out.

Works on plain row dicts keyed by column name, so the same code serves rows read from the
database and rows straight from the scenario generator (benchmarks need no database).
Units, skills, trainings and protective items enter the problem by name, so every reason the
optimizer gives reads in a scheduler's words ("unit Maoping Health Bureau short of 3 ...").
Volunteers, slots (headcount lines), posts and stocks keep their database ids.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matching.problem import (
    Certificate,
    Placement,
    Post,
    Problem,
    Rules,
    Slot,
    Stock,
    Volunteer,
    Weights,
)

Rows = Mapping[str, list[dict[str, Any]]]

# Rules the sources imply for epidemic posts; a run may override them.
DEFAULT_RULES = Rules(
    max_shifts_per_day=1,
    min_rest_minutes=12 * 60,
    period_days=7,
    max_minutes_per_period=5 * 8 * 60,
    max_consecutive_days=6,
)
LOCAL_TIME = ZoneInfo("Asia/Shanghai")
LOWEST_PRIORITY = 5  # the register ranks posts 1 (most important) to 5


def problem_from_rows(
    rows: Rows,
    *,
    start: date,
    days: int,
    zone: ZoneInfo = LOCAL_TIME,
    rules: Rules = DEFAULT_RULES,
    weights: Weights | None = None,
    pinned: Iterable[Placement] = (),
    previous: Iterable[Placement] = (),
) -> Problem:
    """The rostering problem for the shifts starting in ``days`` local days from ``start``.

    Optional tables: ``busy`` (time windows the volunteers already work elsewhere; they and the
    minimum rest around them are taken out of their availability).
    """
    origin = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    unit = _labels(rows.get("units", ()))
    skill = _labels(rows.get("skills", ()))
    training = _labels(rows.get("trainings", ()))
    item = _labels(rows.get("protective_items", ()))
    end = origin + timedelta(days=days)
    shifts = [s for s in rows["shifts"] if origin <= s["starts_at"] < end]
    checkpoint_ids = {s["checkpoint_id"] for s in shifts}
    checkpoints = [c for c in rows["checkpoints"] if c["id"] in checkpoint_ids]
    plane = _Plane(checkpoints)

    def minute(at: datetime) -> int:
        return round((at - origin).total_seconds() / 60)

    def day(d: date) -> int:
        return (d - start).days

    required = _group(rows["checkpoint_required_trainings"], "checkpoint_id", "training_id")
    grid_claims = {g["id"]: g["claimed_by_unit_id"] for g in rows["grids"]}
    posts = tuple(
        Post(
            id=str(c["id"]),
            using_unit=unit(c["using_unit_id"]),
            location=plane.km(c["latitude"], c["longitude"]),
            # The register ranks 1 highest; the optimizer multiplies penalties by priority.
            priority=LOWEST_PRIORITY + 1 - c["priority"],
            required_certificates=frozenset(training(t) for t in required.get(c["id"], ())),
            claimed_by=unit(grid_claims.get(c["grid_id"])),
            name=c["name"],
        )
        for c in checkpoints
    )
    lines = _group(rows["headcount_lines"], "shift_id")
    slots = tuple(
        Slot(
            id=str(line["id"]),
            post=str(shift["checkpoint_id"]),
            start=minute(shift["starts_at"]),
            end=minute(shift["ends_at"]),
            headcount=line["headcount"],
            shift_type=shift["shift_type"],
            skill=skill(line["skill_id"]),
            kit=item(shift["kit_item_id"]),
            max_over=line["max_over_cover"],
            over_weight=1,
        )
        for shift in shifts
        for line in lines.get(shift["id"], ())
    )
    skills = _group(rows["volunteer_skills"], "volunteer_id", "skill_id")
    certificates = _group(rows["certificates"], "volunteer_id")
    windows = _group(rows["availabilities"], "volunteer_id")
    unwell = _unwell_days(rows["health_reports"], start=start, days=days)
    busy = _group(rows.get("busy", ()), "volunteer_id")
    rest = rules.min_rest_minutes
    volunteers = tuple(
        Volunteer(
            id=str(v["id"]),
            # Agency and professional volunteers are equipped by their own unit or team.
            unit=unit(v["unit_id"]) if str(v["kind"]) != "SOCIAL" else None,
            home=plane.km(v["home_latitude"], v["home_longitude"]),
            skills=frozenset(skill(s) for s in skills.get(v["id"], ())),
            certificates=tuple(
                Certificate(
                    kind=training(c["training_id"]),
                    first_day=day(c["passed_on"]),
                    last_day=None if c["expires_on"] is None else day(c["expires_on"]),
                )
                for c in certificates.get(v["id"], ())
            ),
            availability=_without(
                sorted((minute(w["starts_at"]), minute(w["ends_at"])) for w in windows[v["id"]]),
                [
                    (minute(b["starts_at"]) - rest, minute(b["ends_at"]) + rest)
                    for b in busy.get(v["id"], ())
                ],
            ),
            unwell_days=frozenset(unwell.get(v["id"], ())),
        )
        for v in rows["volunteers"]
    )
    stocks = tuple(
        Stock(
            id=str(s["id"]),
            item=item(s["item_id"]),
            day=day(s["day"]),
            quantity=s["quantity"],
            owner=unit(s["owner_unit_id"]),
        )
        for s in rows["protective_stocks"]
        if 0 <= day(s["day"]) < days
    )
    return Problem(
        volunteers=volunteers,
        posts=posts,
        slots=slots,
        stocks=stocks,
        rules=rules,
        weights=weights or Weights(),
        pinned=tuple(pinned),
        previous=tuple(previous),
        horizon_days=days,
        first_weekday=start.weekday(),
        start_date=start,
    )


def published_placements(rows: Rows) -> tuple[tuple[Placement, ...], tuple[Placement, ...]]:
    """The replaced roster's in-period placements, and those of them that must stay.

    Pinned and confirmed assignments stay; every published one is the roster to change little.
    """
    previous = tuple(placement_from_row(a) for a in rows.get("published", ()))
    pinned = tuple(
        placement_from_row(a)
        for a in rows.get("published", ())
        if a["pinned"] or str(a["status"]) == "CONFIRMED"
    )
    return previous, pinned


def placement_from_row(row: Mapping[str, Any]) -> Placement:
    """An assignment row (volunteer, headcount line, stock) as the optimizer's placement."""
    return Placement(
        volunteer=str(row["volunteer_id"]),
        slot=str(row["headcount_line_id"]),
        stock=_str(row["stock_id"]),
    )


def _without(
    windows: list[tuple[int, int]], cuts: list[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """The parts of ``windows`` outside every cut."""
    for cut_start, cut_end in cuts:
        kept = []
        for start, end in windows:
            if cut_end <= start or end <= cut_start:
                kept.append((start, end))
                continue
            if start < cut_start:
                kept.append((start, cut_start))
            if cut_end < end:
                kept.append((cut_end, end))
        windows = kept
    return tuple(windows)


def _labels(rows: Iterable[Mapping[str, Any]]) -> Any:
    """id → name (with the code where names repeat), as a function that passes None through."""
    rows = list(rows)
    names = Counter(r["name"] for r in rows)
    label = {
        r["id"]: r["name"] if names[r["name"]] == 1 else f"{r['name']} ({r.get('code', r['id'])})"
        for r in rows
    }

    def of(key: Any) -> str | None:
        if key is None:
            return None
        return label.get(key, str(key))

    return of


class _Plane:
    """Latitude and longitude as kilometres on a flat plane centred on the posts."""

    def __init__(self, checkpoints: list[dict[str, Any]]) -> None:
        n = max(len(checkpoints), 1)
        self.lat0 = sum(c["latitude"] for c in checkpoints) / n
        self.lon0 = sum(c["longitude"] for c in checkpoints) / n
        self.kx = 111.320 * math.cos(math.radians(self.lat0))

    def km(self, latitude: float, longitude: float) -> tuple[float, float]:
        return ((longitude - self.lon0) * self.kx, (latitude - self.lat0) * 110.574)


def _unwell_days(reports: list[dict[str, Any]], *, start: date, days: int) -> dict[Any, set[int]]:
    # The latest report of a day decides it.
    latest: dict[tuple[Any, date], dict[str, Any]] = {}
    for r in reports:
        key = (r["volunteer_id"], r["day"])
        if key not in latest or r["reported_at"] > latest[key]["reported_at"]:
            latest[key] = r
    unwell: dict[Any, set[int]] = defaultdict(set)
    for (volunteer, day), report in latest.items():
        offset = (day - start).days
        if str(report["status"]) == "UNWELL" and 0 <= offset < days:
            unwell[volunteer].add(offset)
    return unwell


def _group(rows: list[dict[str, Any]], key: str, value: str | None = None) -> dict[Any, list]:
    grouped: dict[Any, list] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row if value is None else row[value])
    return grouped


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
