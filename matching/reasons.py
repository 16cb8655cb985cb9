"""Why a headcount stays unfilled, why a volunteer cannot take a slot, and the kit dispatch list."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from matching.candidates import has_skill, is_available, is_certified, is_healthy
from matching.checker import check_workload
from matching.problem import (
    Post,
    Problem,
    Slot,
    Stock,
    Volunteer,
    clock_label,
    day_label,
)
from matching.roster import Roster

# Rules of the workload checker, as a scheduler says them.
CAP_WORDS = {
    "no_overlapping_shifts": "already on an overlapping shift",
    "minimum_rest": "too little rest since or before another shift",
    "forbidden_successions": "shift order not allowed",
    "max_shifts_per_day": "shifts per day",
    "minutes_per_period": "hours per week",
    "max_shifts_per_type": "shifts of this type",
    "consecutive_working_days": "consecutive working days",
    "min_consecutive_days_off": "days off in a row",
    "max_working_weekends": "working weekends",
}


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """How many volunteers remain after one filter."""

    filter: str
    remaining: int


@dataclass(frozen=True, slots=True)
class DispatchLine:
    """Kits one stock sends to one post on one day."""

    stock: str
    owner: str  # unit name, or "city reserve"
    item: str
    day: int
    post: str
    quantity: int


class _Context:
    """Lookups shared by the explanations of one roster."""

    def __init__(self, problem: Problem, roster: Roster) -> None:
        self.problem = problem
        self.roster = roster
        self.posts = {p.id: p for p in problem.posts}
        self.slots = {s.id: s for s in problem.slots}
        self.vols = {v.id: v for v in problem.volunteers}
        self.stocks = {k.id: k for k in problem.stocks}
        drawn = Counter(a.stock for a in roster.assignments if a.stock is not None)
        self.left = {k.id: k.quantity - drawn[k.id] for k in problem.stocks}
        self.by_item_day: dict[tuple[str, int], list[Stock]] = defaultdict(list)
        # Per (item, day): owners whose stock still has a kit, and whether the city reserve does.
        self.owners_left: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.city_left: set[tuple[str, int]] = set()
        for k in problem.stocks:
            self.by_item_day[(k.item, k.day)].append(k)
            if self.left[k.id] > 0:
                if k.owner is None:
                    self.city_left.add((k.item, k.day))
                else:
                    self.owners_left[(k.item, k.day)].add(k.owner)
        self.shifts: dict[str, list[Slot]] = defaultdict(list)
        self.per_day: Counter[tuple[str, int]] = Counter()
        for a in roster.assignments:
            s = self.slots[a.slot]
            self.shifts[a.volunteer].append(s)
            self.per_day[(a.volunteer, s.day)] += 1
        self._pools: dict[tuple, list[Volunteer]] = {}
        # Workload verdicts by volunteer, shift window and type: many posts' slots share them.
        self._caps: dict[tuple[str, int, int, str], list[str]] = {}

    def pool(self, key: tuple, build: Callable[[], list[Volunteer]]) -> list[Volunteer]:
        """A filtered pool, computed once per key (slots share windows, skills, days)."""
        got = self._pools.get(key)
        if got is None:
            got = self._pools[key] = build()
        return got

    def window(self, slot: Slot) -> str:
        d = day_label(slot.day, start_date=self.problem.start_date)
        return f"{clock_label(slot.start)}-{clock_label(slot.end)} on {d}"

    def kit_left(self, v: Volunteer, slot: Slot, post: Post) -> bool:
        """Some allowed stock still has a kit after this roster's allocation."""
        if slot.kit is None:
            return True
        key = (slot.kit, slot.day)
        if key in self.city_left:
            return True
        supplier = v.unit if v.unit is not None else post.using_unit
        return supplier is not None and supplier in self.owners_left.get(key, ())

    def cap_rules(self, v: Volunteer, slot: Slot) -> list[str]:
        """Workload rules adding `slot` to v's shifts would break."""
        mine = self.shifts.get(v.id, [])
        if any(s.id == slot.id for s in mine):
            return ["already on this slot"]
        cap = self.problem.rules_for(v).max_shifts_per_day
        if cap is not None and self.per_day[(v.id, slot.day)] >= cap:
            return ["max_shifts_per_day"]  # the common case, without a full check
        key = (v.id, slot.start, slot.end, slot.shift_type)
        got = self._caps.get(key)
        if got is None:
            before = {x.rule for x in check_workload(self.problem, volunteer=v, shifts=mine)}
            after = check_workload(self.problem, volunteer=v, shifts=[*mine, slot])
            # Minimum-run rules can be broken by the roster as is only when it already is.
            got = self._caps[key] = sorted({x.rule for x in after} - before)
        return got


def funnel(problem: Problem, roster: Roster, *, slot: str) -> list[FunnelStep]:
    """Volunteers left after each filter in turn: available, skilled, certified, healthy,
    kit obtainable, not at a cap (this last count stops at FREE_ENOUGH)."""
    return _funnel(_Context(problem, roster), slot)[0]


# The last filter stops counting once this many volunteers pass it.
FREE_ENOUGH = 50


def _funnel(ctx: _Context, slot_id: str) -> tuple[list[FunnelStep], dict[str, list[Volunteer]]]:
    slot = ctx.slots[slot_id]
    post = ctx.posts[slot.post]
    vols = ctx.problem.volunteers
    window = (slot.start, slot.end)
    certs = tuple(sorted(post.required_certificates))
    pools: dict[str, list[Volunteer]] = {}
    pools["available"] = ctx.pool(("a", window), lambda: [v for v in vols if is_available(v, slot)])
    pools["skilled"] = ctx.pool(
        ("s", window, slot.skill), lambda: [v for v in pools["available"] if has_skill(v, slot)]
    )
    pools["certified"] = ctx.pool(
        ("c", window, slot.skill, certs),
        lambda: [v for v in pools["skilled"] if is_certified(v, slot, post)],
    )
    pools["healthy"] = ctx.pool(
        ("h", window, slot.skill, certs),
        lambda: [v for v in pools["certified"] if is_healthy(v, slot)],
    )
    pools["kit obtainable"] = [v for v in pools["healthy"] if ctx.kit_left(v, slot, post)]
    free = []
    for v in pools["kit obtainable"]:
        if not ctx.cap_rules(v, slot):
            free.append(v)
            if len(free) >= FREE_ENOUGH:
                break
    pools["not at a cap"] = free
    return [FunnelStep(name, len(vs)) for name, vs in pools.items()], pools


def explain_unfilled(problem: Problem, roster: Roster) -> dict[str, str]:
    """A reason, in a scheduler's words, for every slot with unfilled heads."""
    ctx = _Context(problem, roster)
    return {u.slot: _reason(ctx, u.slot, u.missing) for u in roster.unfilled if u.missing > 0}


def _reason(ctx: _Context, slot_id: str, missing: int) -> str:
    slot = ctx.slots[slot_id]
    post = ctx.posts[slot.post]
    window = ctx.window(slot)
    steps, pools = _funnel(ctx, slot_id)
    counts = {s.filter: s.remaining for s in steps}
    if counts["available"] == 0:
        return f"no volunteer available {window}"
    if counts["skilled"] == 0:
        return f"no volunteer with skill {slot.skill} available {window}"
    if counts["certified"] == 0:
        needs = ", ".join(sorted(post.required_certificates))
        return f"no certified volunteer available {window} (needs {needs})"
    if counts["healthy"] == 0:
        return f"all {counts['certified']} eligible volunteers available {window} reported unwell"
    if counts["kit obtainable"] == 0:
        return _shortage(ctx, slot, post, pools["healthy"], missing)
    if counts["not at a cap"] == 0:
        caps: Counter[str] = Counter()
        for v in pools["kit obtainable"]:
            caps.update(ctx.cap_rules(v, slot))
        top = ", ".join(f"{CAP_WORDS.get(r, r)} ({n})" for r, n in caps.most_common(3))
        n = counts["kit obtainable"]
        who = "the only eligible volunteer" if n == 1 else f"all {n} eligible volunteers"
        return f"{who} {window} {'is' if n == 1 else 'are'} at a cap: {top}"
    n = counts["not at a cap"]
    many = "at least " if n >= FREE_ENOUGH else ""
    return (
        f"{many}{n} eligible volunteer{'s' if n != 1 else ''} could take it {window}, but placing "
        "them would cost more elsewhere (higher-priority posts, rules across the week) or the time "
        "limit ended first"
    )


def _shortage(ctx: _Context, slot: Slot, post: Post, pool: list[Volunteer], missing: int) -> str:
    item = slot.kit or "kit"
    d = day_label(slot.day, start_date=ctx.problem.start_date)
    owners = sorted({v.unit if v.unit is not None else post.using_unit or "?" for v in pool})
    parts = [f"unit {o} short of {missing} {_plural(item, missing)} on {d}" for o in owners[:3]]
    if len(owners) > 3:
        parts.append(f"and {len(owners) - 3} more units")
    city = [k for k in ctx.by_item_day.get((item, slot.day), ()) if k.is_city_reserve]
    parts.append(
        "city reserve empty"
        if not city or all(ctx.left[k.id] <= 0 for k in city)
        else "city reserve"
    )
    return "; ".join(parts)


def _plural(item: str, n: int) -> str:
    return item if n == 1 or item.endswith("s") else item + "s"


def why_not(
    problem: Problem, *, volunteer: str, slot: str, roster: Roster | None = None
) -> list[str]:
    """Why `volunteer` cannot take `slot` (given the roster's other placements); [] if they can."""
    ctx = _Context(problem, roster if roster is not None else Roster(()))
    v, s = ctx.vols[volunteer], ctx.slots[slot]
    post = ctx.posts[s.post]
    d = day_label(s.day, start_date=problem.start_date)
    out = []
    if s.day in v.days_off:
        out.append(f"{d} is a day off")
    elif not is_available(v, s):
        out.append(f"not available {ctx.window(s)}")
    if not has_skill(v, s):
        out.append(f"lacks skill {s.skill}")
    for kind in sorted(post.required_certificates):
        held = [c for c in v.certificates if c.kind == kind]
        if not held:
            out.append(f"no {kind} certificate")
        elif not any(c.valid_on(s.day) for c in held):
            last = max((c.last_day for c in held if c.last_day is not None), default=None)
            if last is not None and last < s.day:
                out.append(
                    f"{kind} certificate expired "
                    f"{day_label(last + 1, start_date=problem.start_date)}"
                )
            else:
                out.append(f"{kind} certificate not yet valid on {d}")
    if not is_healthy(v, s):
        out.append(f"reported unwell on {d}")
    if s.kit is not None and not ctx.kit_left(v, s, post):
        who = v.unit if v.unit is not None else post.using_unit
        out.append(f"no {s.kit} left on {d} at unit {who} or the city reserve")
    out.extend(CAP_WORDS.get(r, r) for r in ctx.cap_rules(v, s))
    return out


def dispatch_list(problem: Problem, roster: Roster) -> list[DispatchLine]:
    """Per stock and day, how many kits go to which post."""
    slots = {s.id: s for s in problem.slots}
    stocks = {k.id: k for k in problem.stocks}
    n: Counter[tuple[str, str]] = Counter()
    for a in roster.assignments:
        if a.stock is not None:
            n[(a.stock, slots[a.slot].post)] += 1
    out = []
    for (sid, post), q in n.items():
        k = stocks[sid]
        owner = "city reserve" if k.owner is None else k.owner
        out.append(DispatchLine(sid, owner, k.item, k.day, post, q))
    return sorted(out, key=lambda x: (x.day, x.owner, x.stock, x.post))
