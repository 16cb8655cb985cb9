"""An independent checker: each hard rule re-read from its definition, applied to a finished roster.

It shares only the data model with the optimizer, never its model-building code, so a mistake
in one is caught by the other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from matching.problem import (
    MINUTES_PER_DAY,
    Problem,
    Slot,
    Volunteer,
    travel_units,
    unfilled_weight,
)
from matching.roster import TERMS, Roster


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken hard rule, named as in `matching.rules`."""

    rule: str
    message: str
    volunteer: str | None = None
    slot: str | None = None


def check(problem: Problem, roster: Roster) -> list[Violation]:
    """Every hard rule the roster breaks; an empty list means the roster is valid."""
    out: list[Violation] = []
    out += _structure(problem, roster)
    if out:
        return out  # unknown ids make the remaining checks meaningless
    out += _eligibility(problem, roster)
    out += _protection(problem, roster)
    out += _workload(problem, roster)
    out += _pinned(problem, roster)
    return out


def _structure(problem: Problem, roster: Roster) -> list[Violation]:
    vols = {v.id for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    stocks = {k.id for k in problem.stocks}
    out = []
    seen: Counter[tuple[str, str]] = Counter()
    for a in roster.assignments:
        if a.volunteer not in vols:
            out.append(Violation("roster_consistent", f"unknown volunteer {a.volunteer}"))
        if a.slot not in slots:
            out.append(Violation("roster_consistent", f"unknown slot {a.slot}"))
        if a.stock is not None and a.stock not in stocks:
            out.append(Violation("roster_consistent", f"unknown stock {a.stock}"))
        seen[(a.volunteer, a.slot)] += 1
    for (v, s), n in seen.items():
        if n > 1:
            out.append(Violation("roster_consistent", f"{v} placed {n} times on {s}", v, s))
    if out:
        return out
    count = Counter(a.slot for a in roster.assignments)
    reported = {u.slot: u.missing for u in roster.unfilled}
    for s in problem.slots:
        if count[s.id] > s.headcount + s.max_over:
            out.append(
                Violation(
                    "headcount_not_exceeded",
                    f"{count[s.id]} on {s.id}, at most {s.headcount + s.max_over} allowed",
                    slot=s.id,
                )
            )
        missing = max(0, s.headcount - count[s.id])
        if reported.get(s.id, 0) != missing:
            out.append(
                Violation(
                    "roster_consistent",
                    f"{s.id} reports {reported.get(s.id, 0)} unfilled, has {missing}",
                    slot=s.id,
                )
            )
    return out


def _eligibility(problem: Problem, roster: Roster) -> list[Violation]:
    vols = {v.id: v for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    posts = {p.id: p for p in problem.posts}
    out = []
    for a in roster.assignments:
        v, s = vols[a.volunteer], slots[a.slot]
        day = s.start // MINUTES_PER_DAY

        def bad(rule: str, why: str, v: str = v.id, s: str = s.id) -> None:
            out.append(Violation(rule, f"{v} on {s}: {why}", v, s))

        if v.availability is not None and not any(
            lo <= s.start and s.end <= hi for lo, hi in v.availability
        ):
            bad("only_eligible_volunteers", "not available for the whole shift")
        if s.skill is not None and s.skill not in v.skills:
            bad("only_eligible_volunteers", f"lacks skill {s.skill}")
        for kind in sorted(posts[s.post].required_certificates):
            ok = False
            for c in v.certificates:
                if c.kind != kind:
                    continue
                if c.first_day is not None and day < c.first_day:
                    continue
                if c.last_day is not None and day > c.last_day:
                    continue
                ok = True
            if not ok:
                bad("only_eligible_volunteers", f"no certificate {kind} valid on day {day}")
        if day in v.days_off:
            bad("days_off", f"day {day} is a day off")
        if day in v.unwell_days:
            bad("no_protection_no_post", f"reported unwell on day {day}")
    return out


def _protection(problem: Problem, roster: Roster) -> list[Violation]:
    vols = {v.id: v for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    posts = {p.id: p for p in problem.posts}
    stocks = {k.id: k for k in problem.stocks}
    out = []
    drawn: Counter[str] = Counter()
    for a in roster.assignments:
        v, s = vols[a.volunteer], slots[a.slot]
        if s.kit is None:
            if a.stock is not None:
                out.append(
                    Violation(
                        "no_protection_no_post",
                        f"kit allocated to {s.id}, which needs none",
                        v.id,
                        s.id,
                    )
                )
            continue
        if a.stock is None:
            out.append(
                Violation("no_protection_no_post", f"{v.id} on {s.id} has no {s.kit}", v.id, s.id)
            )
            continue
        k = stocks[a.stock]
        drawn[k.id] += 1
        if k.item != s.kit or k.day != s.start // MINUTES_PER_DAY:
            out.append(
                Violation(
                    "no_protection_no_post",
                    f"stock {k.id} holds {k.item} for day {k.day}, not {s.kit} for {s.id}",
                    v.id,
                    s.id,
                )
            )
        if k.owner is None:
            allowed = True  # the city reserve may equip anyone
        elif v.unit is not None:
            allowed = k.owner == v.unit
        else:
            allowed = k.owner == posts[s.post].using_unit
        if not allowed:
            out.append(
                Violation(
                    "no_protection_no_post",
                    f"stock {k.id} of {k.owner} may not equip {v.id} on {s.id}",
                    v.id,
                    s.id,
                )
            )
    for sid, n in drawn.items():
        if n > stocks[sid].quantity:
            out.append(
                Violation(
                    "no_protection_no_post",
                    f"stock {sid} overdrawn: {n} kits from {stocks[sid].quantity}",
                )
            )
    return out


def _workload(problem: Problem, roster: Roster) -> list[Violation]:
    slots = {s.id: s for s in problem.slots}
    mine: dict[str, list[Slot]] = defaultdict(list)
    for a in roster.assignments:
        mine[a.volunteer].append(slots[a.slot])
    out = []
    for v in problem.volunteers:
        out += check_workload(problem, volunteer=v, shifts=mine.get(v.id, []))
    return out


def check_workload(
    problem: Problem, *, volunteer: Volunteer, shifts: list[Slot]
) -> list[Violation]:
    """The rules on one volunteer's set of shifts: overlap, rest, successions, caps, runs."""
    r = problem.rules_for(volunteer)
    days = problem.days
    out: list[Violation] = []
    shifts = sorted(shifts, key=lambda s: (s.start, s.end))

    def bad(rule: str, why: str) -> None:
        out.append(Violation(rule, f"{volunteer.id}: {why}", volunteer.id))

    for i, a in enumerate(shifts):
        for b in shifts[i + 1 :]:
            if b.start < a.end:
                bad("no_overlapping_shifts", f"{a.id} and {b.id} overlap")
            elif b.start - a.end < r.min_rest_minutes:
                bad(
                    "minimum_rest",
                    f"{b.start - a.end} min between {a.id} and {b.id}, "
                    f"{r.min_rest_minutes} required",
                )
    by_day: dict[int, list[Slot]] = defaultdict(list)
    for s in shifts:
        by_day[s.start // MINUTES_PER_DAY].append(s)
    for d, ss in by_day.items():
        for s in ss:
            for t in by_day.get(d + 1, []):
                if (s.shift_type, t.shift_type) in problem.forbidden_successions:
                    bad(
                        "forbidden_successions",
                        f"{t.shift_type} on day {d + 1} may not follow {s.shift_type}",
                    )
        if r.max_shifts_per_day is not None and len(ss) > r.max_shifts_per_day:
            bad("max_shifts_per_day", f"{len(ss)} shifts on day {d}")
    period = r.period_days or max(days, 1)
    for p0 in range(0, max(days, 1), period):
        minutes = sum(s.end - s.start for s in shifts if p0 <= s.start // 1440 < p0 + period)
        if r.max_minutes_per_period is not None and minutes > r.max_minutes_per_period:
            bad(
                "minutes_per_period",
                f"{minutes} min from day {p0}, at most {r.max_minutes_per_period}",
            )
        whole = p0 + period <= days
        if whole and r.min_minutes_per_period is not None and (minutes < r.min_minutes_per_period):
            bad(
                "minutes_per_period",
                f"{minutes} min from day {p0}, at least {r.min_minutes_per_period}",
            )
    per_type = Counter(s.shift_type for s in shifts)
    for t, cap in r.max_shifts_per_type.items():
        if per_type[t] > cap:
            bad("max_shifts_per_type", f"{per_type[t]} {t} shifts, at most {cap}")
    worked = [d in by_day for d in range(days)]
    for start, length, on in _runs(worked):
        edge = start == 0 or start + length == days
        if on and r.max_consecutive_days is not None and length > r.max_consecutive_days:
            bad("consecutive_working_days", f"{length} days in a row from day {start}")
        if (
            on
            and not edge
            and r.min_consecutive_days is not None
            and (length < r.min_consecutive_days)
        ):
            bad("consecutive_working_days", f"only {length} days in a row from day {start}")
        if (
            not on
            and not edge
            and r.min_consecutive_days_off is not None
            and (length < r.min_consecutive_days_off)
        ):
            bad("min_consecutive_days_off", f"only {length} days off from day {start}")
    if r.max_working_weekends is not None:
        weekends = set()
        for d in by_day:
            wd = (problem.first_weekday + d) % 7
            if wd in (5, 6):
                weekends.add((problem.first_weekday + d) // 7)
        if len(weekends) > r.max_working_weekends:
            bad(
                "max_working_weekends",
                f"{len(weekends)} weekends worked, at most {r.max_working_weekends}",
            )
    return out


def _runs(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """Maximal runs of equal flags as (start, length, flag)."""
    runs = []
    i = 0
    while i < len(flags):
        j = i
        while j < len(flags) and flags[j] == flags[i]:
            j += 1
        runs.append((i, j - i, flags[i]))
        i = j
    return runs


def _pinned(problem: Problem, roster: Roster) -> list[Violation]:
    have = {(a.volunteer, a.slot): a.stock for a in roster.assignments}
    out = []
    for p in problem.pinned:
        key = (p.volunteer, p.slot)
        if key not in have:
            out.append(
                Violation(
                    "pinned_assignments_stay",
                    f"{p.volunteer} removed from {p.slot}",
                    p.volunteer,
                    p.slot,
                )
            )
        elif p.stock is not None and have[key] != p.stock:
            out.append(
                Violation(
                    "pinned_assignments_stay",
                    f"{p.volunteer} on {p.slot} lost kit from {p.stock}",
                    p.volunteer,
                    p.slot,
                )
            )
    return out


def score(problem: Problem, roster: Roster) -> dict[str, int]:
    """Each weighted objective term of the roster, recomputed from its definition."""
    w = problem.weights
    vols = {v.id: v for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    posts = {p.id: p for p in problem.posts}
    stocks = {k.id: k for k in problem.stocks}
    count = Counter(a.slot for a in roster.assignments)
    t = dict.fromkeys(TERMS, 0)
    for s in problem.slots:
        t["cover"] += max(0, s.headcount - count[s.id]) * unfilled_weight(s, posts[s.post], w)
        t["over_cover"] += max(0, count[s.id] - s.headcount) * s.over_weight * w.over_cover
    now = {(a.volunteer, a.slot) for a in roster.assignments}
    before = {(a.volunteer, a.slot) for a in problem.previous}
    published = {s for _, s in before}
    t["changes"] = len({(v, s) for v, s in now ^ before if s in published}) * w.change
    load: Counter[str] = Counter()
    worked: set[tuple[str, int, str]] = set()
    for a in roster.assignments:
        v, s = vols[a.volunteer], slots[a.slot]
        post = posts[s.post]
        if a.stock is not None and stocks[a.stock].owner is None:
            t["city_reserve"] += w.city_reserve_kit
        t["travel"] += travel_units(v.home, post.location) * w.travel
        if post.claimed_by is not None and v.unit != post.claimed_by:
            t["claimed_grids"] += w.unclaimed_grid
        load[v.id] += 1
        worked.add((v.id, s.start // MINUTES_PER_DAY, s.shift_type))
    t["fairness"] = sum(n * n for n in load.values()) * w.fairness
    for r in problem.requests:
        hit = (r.volunteer, r.day, r.shift_type) in worked
        if hit != r.on:
            t["preferences"] += r.weight * w.preference
    return t
