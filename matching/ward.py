"""A ward: a problem where each person works at most one shift a day (the Curtois & Qu shape),
indexed for search, and the CP-SAT model of some people's free days with everything else held.

Every hard rule then binds one person alone and cover is soft, so the model of a part posts
each free person's own rules and prices cover against the heads held outside the part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from ortools.sat.python import cp_model

from matching.pricing import Pricer
from matching.problem import (
    Placement,
    Problem,
    Rules,
    travel_units,
    unfilled_weight,
    weekend_of,
)

Lit = cp_model.IntVar | int  # a model literal, or 0/1 where the day is held fixed
BARRED = 1e12  # the price of a slot a schedule may not take


@dataclass
class Ward:
    """Indexes of a fitting problem: who may take which slot on which day, and every cost."""

    problem: Problem
    days: int
    rules: list[Rules]
    allowed: list[list[list[int]]]  # [person][day] -> slots the person may take that day
    cost: list[dict[int, int]]  # [person] slot -> cost of the placement (requests, travel, ...)
    constant: int  # cost of the empty roster outside cover (shift-on requests not granted)
    under_w: list[int]
    over_w: list[int]
    head: list[int]
    cap: list[int]  # headcount plus allowed over-cover
    minutes: list[int]
    kind: list[str]
    day_of: list[int]
    weekend: list[int | None]  # weekend index per day

    @classmethod
    def of(cls, problem: Problem) -> Ward:
        """Index `problem` (which must `fit`)."""
        from matching.candidates import eligible

        p = problem
        days = p.days
        posts = {q.id: q for q in p.posts}
        rules = [p.rules_for(v) for v in p.volunteers]
        by_day: dict[int, list[int]] = defaultdict(list)
        for si, s in enumerate(p.slots):
            by_day[s.day].append(si)
        allowed: list[list[list[int]]] = []
        cost: list[dict[int, int]] = []
        simple = all(s.skill is None for s in p.slots) and not any(
            q.required_certificates for q in p.posts
        )
        for vi, v in enumerate(p.volunteers):
            banned = {t for t, n in rules[vi].max_shifts_per_type.items() if n <= 0}
            rows = []
            for d in range(days):
                if d in v.days_off or d in v.unwell_days:
                    rows.append([])
                    continue
                row = []
                for si in by_day.get(d, []):
                    s = p.slots[si]
                    if s.shift_type in banned or s.headcount + s.max_over <= 0:
                        continue
                    if (simple and v.availability is None) or eligible(v, s, posts[s.post]):
                        row.append(si)
                rows.append(row)
            allowed.append(rows)
            c: dict[int, int] = {}
            w = p.weights
            if w.travel or w.unclaimed_grid:
                for row in rows:
                    for si in row:
                        post = posts[p.slots[si].post]
                        extra = travel_units(v.home, post.location) * w.travel
                        if post.claimed_by is not None and v.unit != post.claimed_by:
                            extra += w.unclaimed_grid
                        if extra:
                            c[si] = extra
            cost.append(c)
        vi_of = {v.id: i for i, v in enumerate(p.volunteers)}
        constant = 0
        for r in p.requests:
            vi = vi_of.get(r.volunteer)
            weight = r.weight * p.weights.preference
            if r.on:
                constant += weight
            if vi is None or not weight:
                continue
            for si in by_day.get(r.day, []):
                if p.slots[si].shift_type == r.shift_type:
                    cost[vi][si] = cost[vi].get(si, 0) + (-weight if r.on else weight)
        return cls(
            problem=p,
            days=days,
            rules=rules,
            allowed=allowed,
            cost=cost,
            constant=constant,
            under_w=[unfilled_weight(s, posts[s.post], p.weights) for s in p.slots],
            over_w=[s.over_weight * p.weights.over_cover for s in p.slots],
            head=[s.headcount for s in p.slots],
            cap=[s.headcount + s.max_over for s in p.slots],
            minutes=[s.minutes for s in p.slots],
            kind=[s.shift_type for s in p.slots],
            day_of=[s.day for s in p.slots],
            weekend=[weekend_of(d, first_weekday=p.first_weekday) for d in range(days)],
        )

    def narrowed(self, keep: list[list[set[int]]], assign: list[list[int]]) -> Ward:
        """This ward with each person's day allowing only the slots in `keep[person][day]`
        and the one `assign` takes."""
        allowed = [
            [[si for si in row if si in keep[e][d] or si == mine[d]] for d, row in enumerate(rows)]
            for e, (rows, mine) in enumerate(zip(self.allowed, assign, strict=True))
        ]
        return replace(self, allowed=allowed)

    @property
    def size(self) -> int:
        """Number of placement variables: (person, slot) pairs allowed."""
        return sum(len(row) for rows in self.allowed for row in rows)

    @cached_property
    def pricers(self) -> list[Pricer | None]:
        """Each person's cheapest-schedule programme, None where CP-SAT must price instead."""
        forbidden = set(self.problem.forbidden_successions)
        return [
            Pricer.of(
                allowed=self.allowed[e],
                kind=self.kind,
                minutes=self.minutes,
                weekend=self.weekend,
                rules=self.rules[e],
                forbidden=forbidden,
            )
            for e in range(self.people)
        ]

    @cached_property
    def cost_array(self) -> np.ndarray:
        """[person, slot] -> cost of the placement (zero where none is set)."""
        out = np.zeros((self.people, len(self.head)))
        for e, c in enumerate(self.cost):
            for si, v in c.items():
                out[e, si] = v
        return out

    @property
    def people(self) -> int:
        """Number of people."""
        return len(self.allowed)

    def counts(self, assign: list[list[int]]) -> list[int]:
        """Heads on each slot."""
        n = [0] * len(self.head)
        for row in assign:
            for si in row:
                if si >= 0:
                    n[si] += 1
        return n

    def cover_cost(self, si: int, n: int) -> int:
        """Cost of `n` heads on slot `si`."""
        h = self.head[si]
        return self.under_w[si] * (h - n) if n < h else self.over_w[si] * (n - h)

    def response_price(self, e: int, others: np.ndarray) -> np.ndarray:
        """Per slot, what person `e` adds to the roster's cost by taking it when `others`
        heads cover each slot without them: their own cost and the cover's change (a head
        saved, or one over; `BARRED` at the slot's cap)."""
        head, cap = np.array(self.head), np.array(self.cap)
        under = np.array(self.under_w, dtype=float)
        over = np.array(self.over_w, dtype=float)
        cover = np.where(others < head, -under, np.where(others < cap, over, BARRED))
        return self.cost_array[e] + cover

    def above_caps(self, assign: list[list[int]]) -> int:
        """Heads above the slots' caps (a mix of schedules chosen apart may put them there)."""
        return sum(max(0, n - c) for n, c in zip(self.counts(assign), self.cap, strict=True))

    def objective(self, assign: list[list[int]]) -> int:
        """The objective of a roster given as [person][day] -> slot or -1."""
        total = self.constant + sum(
            self.cover_cost(si, n) for si, n in enumerate(self.counts(assign))
        )
        for e, row in enumerate(assign):
            c = self.cost[e]
            total += sum(c.get(si, 0) for si in row if si >= 0)
        return total

    def placements(self, assign: list[list[int]]) -> list[Placement]:
        """The roster as placements."""
        p = self.problem
        return [
            Placement(p.volunteers[e].id, p.slots[si].id)
            for e, row in enumerate(assign)
            for si in row
            if si >= 0
        ]


@dataclass
class Part:
    """A CP-SAT model of some people's free days, everything else held at the incumbent."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]]  # (person, day) -> (slot, var)
    incumbent_cost: int  # the part's objective at the incumbent roster
    hint: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # slots a free person may take
    held: list[int] = field(default_factory=list)  # heads on each slot from outside the part

    def value(self, ward: Ward, chosen: Callable[[int, int], int]) -> int:
        """The part's true cost when each free (person, day) takes `chosen(person, day)`."""
        n: dict[int, int] = defaultdict(int)
        total = 0
        for e, d in self.x:
            si = chosen(e, d)
            if si >= 0:
                n[si] += 1
                total += ward.cost[e].get(si, 0)
        for si in self.lines:
            short = ward.head[si] - self.held[si]
            k = n[si]
            if short > 0:
                total += ward.under_w[si] * max(0, short - k) + ward.over_w[si] * max(0, k - short)
            else:
                total += ward.over_w[si] * k
        return total


def _free_range(free: set[int], reach: int, days: int) -> range:
    return range(max(0, min(free) - reach), min(days, max(free) + reach + 1))


def build_part(
    ward: Ward,
    assign: list[list[int]],
    free: dict[int, set[int]],
    counts: list[int],
    kinds: set[str] | None = None,
    automaton: bool = False,
    pattern: dict[int, list[int]] | None = None,
) -> Part:
    """The model over `free` (person -> free days); other placements are constants. With
    `kinds`, free days may take only shifts of those types."""
    m = cp_model.CpModel()
    x: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {}
    hint: list[tuple[cp_model.IntVar, int]] = []
    on_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    held = list(counts)  # heads on each slot from placements outside the part
    objective: list = []
    p = ward.problem
    after: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(p.forbidden_successions):
        after[a].append(b)
    grouped: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for a, bs in after.items():
        grouped[tuple(bs)].append(a)
    followers = [(firsts, bs) for bs, firsts in grouped.items()]
    for e, fdays in free.items():
        row = assign[e]
        c = ward.cost[e]
        r = ward.rules[e]
        work: dict[int, Lit] = {}
        typed: dict[tuple[int, str], Lit] = {}
        pat = pattern.get(e) if pattern else None

        def day_lit(d: int, row: list[int] = row) -> Lit:
            return 1 if row[d] >= 0 else 0

        for d in fdays:
            cur = row[d]
            if cur >= 0:
                held[cur] -= 1
            opts = []
            for si in ward.allowed[e][d]:
                if kinds is not None and ward.kind[si] not in kinds:
                    continue
                if pat is not None and not pat[d]:
                    continue
                v = m.new_bool_var("")
                opts.append((si, v))
                on_slot[si].append(v)
                hint.append((v, int(si == cur)))
                if si in c:
                    objective.append(c[si] * v)
            x[(e, d)] = opts
            if pat is not None and pat[d]:
                m.add_exactly_one(v for _, v in opts)
            if not opts:
                work[d] = 0
            elif len(opts) == 1:
                work[d] = opts[0][1]
            else:
                wv = m.new_bool_var("")
                m.add(sum(v for _, v in opts) == wv)
                hint.append((wv, int(cur >= 0)))
                work[d] = wv
            for si, v in opts:
                key = (d, ward.kind[si])
                typed[key] = v if key not in typed else _or(m, typed[key], v)

        def w_at(d: int, work: dict[int, Lit] = work, day_lit=day_lit) -> Lit:
            return work[d] if d in work else day_lit(d)

        def t_at(d: int, t: str, typed=typed, fdays=fdays, row=row) -> Lit:
            if d in fdays:
                return typed.get((d, t), 0)
            return 1 if row[d] >= 0 and ward.kind[row[d]] == t else 0

        days = ward.days
        # Forbidden successions touching a free day.
        if followers:
            near = {d for f in fdays for d in (f - 1, f) if 0 <= d < days - 1}
            for d in near:
                for firsts, bs in followers:
                    # One shift a day: types sharing their forbidden followers on d and those
                    # followers on d + 1 form a clique.
                    _at_most_one(m, [*(t_at(d, a) for a in firsts), *(t_at(d + 1, b) for b in bs)])
        # Minutes and per-type caps over each period that holds a free day.
        period = r.period_days or max(days, 1)
        for p0 in range(0, max(days, 1), period):
            pdays = range(p0, min(days, p0 + period))
            mine = [d for d in pdays if d in fdays]
            if not mine:
                continue
            if r.max_minutes_per_period is not None or r.min_minutes_per_period is not None:
                fixed = sum(ward.minutes[row[d]] for d in pdays if d not in fdays and row[d] >= 0)
                expr = sum(ward.minutes[si] * v for d in mine for si, v in x[(e, d)])
                most = fixed + sum(
                    max((ward.minutes[si] for si, _ in x[(e, d)]), default=0) for d in mine
                )
                if r.max_minutes_per_period is not None and most > r.max_minutes_per_period:
                    m.add(expr <= r.max_minutes_per_period - fixed)
                lo = r.min_minutes_per_period
                if lo is not None and lo > 0 and p0 + period <= days:
                    m.add(expr >= lo - fixed)
        if r.max_shifts_per_type:
            fixed_t: dict[str, int] = defaultdict(int)
            free_t: dict[str, list] = defaultdict(list)
            for d in range(days):
                if d in fdays:
                    for si, v in x[(e, d)]:
                        free_t[ward.kind[si]].append(v)
                elif row[d] >= 0:
                    fixed_t[ward.kind[row[d]]] += 1
            for t, vs in free_t.items():
                cap = r.max_shifts_per_type.get(t)
                if cap is not None and len(vs) + fixed_t[t] > cap:
                    m.add(sum(vs) <= cap - fixed_t[t])
        # A given pattern of days worked already meets the run and weekend rules.
        if pat is not None and len(fdays) == days:
            continue
        if automaton and len(fdays) == days:
            runs_automaton(m, [w_at(d) for d in range(days)], r)
        # Runs: windows and clauses that touch a free day.
        hi = r.max_consecutive_days
        if hi is not None and days > hi:
            for d in _free_range(fdays, hi, days - hi):
                window = [w_at(k) for k in range(d, d + hi + 1)]
                if any(not isinstance(w, int) for w in window):
                    m.add(sum(window) <= hi)
        for lo, on in ((r.min_consecutive_days, True), (r.min_consecutive_days_off, False)):
            if lo is None or lo <= 1:
                continue
            for d in _free_range(fdays, lo, days):
                if d == 0:
                    continue
                for length in range(1, lo):
                    if d + length > days - 1:
                        break
                    span = range(d - 1, d + length + 1)
                    if not any(k in fdays for k in span):
                        continue
                    inner = [w_at(k) for k in range(d, d + length)]
                    ends = [w_at(d - 1), w_at(d + length)]
                    if on:  # forbid off, 1..lo-1 working days, off
                        lits = [*ends, *(_neg(w) for w in inner)]
                    else:  # forbid working, 1..lo-1 days off, working
                        lits = [*(_neg(w) for w in ends), *inner]
                    _clause(m, lits)
        cap_w = r.max_working_weekends
        if cap_w is not None:
            wk_days: dict[int, list[int]] = defaultdict(list)
            for d in range(days):
                if ward.weekend[d] is not None:
                    wk_days[ward.weekend[d]].append(d)
            if len(wk_days) > cap_w and any(ward.weekend[d] is not None for d in fdays):
                flags: list[Lit] = []
                for ds in wk_days.values():
                    lits = [w_at(d) for d in ds]
                    if any(isinstance(v, int) and v == 1 for v in lits):
                        flags.append(1)
                        continue
                    lits = [v for v in lits if not isinstance(v, int)]
                    if not lits:
                        continue
                    if len(lits) == 1:
                        flags.append(lits[0])
                        continue
                    f = m.new_bool_var("")
                    for v in lits:
                        m.add_implication(v, f)
                    m.add(f <= sum(lits))
                    flags.append(f)
                    hint.append((f, int(any(row[d] >= 0 for d in ds))))
                m.add(sum(flags) <= cap_w)
    # Cover on every slot a free person may take.
    for si, vs in on_slot.items():
        h, fixed = ward.head[si], held[si]
        n_inc = counts[si]
        room = ward.cap[si] - fixed
        if len(vs) > room:
            m.add(sum(vs) <= room)
        short = h - fixed
        under, over = ward.under_w[si], ward.over_w[si]
        # The cost is convex in the heads the part adds; linear unless the line's need lies
        # strictly inside what the part may add.
        if short >= len(vs):
            objective.append(under * short)
            if under:
                objective.append(-under * sum(vs))
        elif short <= 0:
            if over:
                objective.append(over * sum(vs))
        else:
            u = m.new_int_var(0, short, "")
            o = m.new_int_var(0, len(vs) - short, "")
            m.add(sum(vs) + u - o == short)
            objective.append(under * u + over * o)
            hint.append((u, max(0, h - n_inc)))
            hint.append((o, max(0, n_inc - h)))
    m.minimize(sum(objective))
    part = Part(m, x, 0, hint, list(on_slot), held)
    part.incumbent_cost = part.value(ward, lambda e, d: assign[e][d])
    return part


def runs_automaton(m: cp_model.CpModel, work: list[Lit], r: Rules) -> None:
    """The run rules of one person's whole horizon as one automaton over work/off days, a
    redundant form that propagates far better than the clauses when minimums are tight.
    States count the current run (capped); runs touching either edge are exempt from minimums."""
    hi = r.max_consecutive_days
    lo_w = max(1, r.min_consecutive_days or 1)
    lo_o = max(1, r.min_consecutive_days_off or 1)
    if hi is None and lo_w <= 1 and lo_o <= 1:
        return
    top = hi if hi is not None else lo_w

    def w_state(k: int, e: int) -> int:
        return 1 + 2 * (k - 1) + e

    def o_state(k: int, e: int) -> int:
        return 1 + 2 * top + 2 * (k - 1) + e

    arcs = [(0, 1, w_state(1, 1)), (0, 0, o_state(1, 1))]
    for e in (0, 1):
        for k in range(1, top + 1):
            if k < top:
                arcs.append((w_state(k, e), 1, w_state(k + 1, e)))
            elif hi is None:
                arcs.append((w_state(k, e), 1, w_state(k, e)))
            if e or k >= lo_w:
                arcs.append((w_state(k, e), 0, o_state(1, 0)))
        for k in range(1, lo_o + 1):
            arcs.append((o_state(k, e), 0, o_state(min(k + 1, lo_o), e)))
            if e or k >= lo_o:
                arcs.append((o_state(k, e), 1, w_state(1, 0)))
    finals = list(range(1 + 2 * top + 2 * lo_o))
    days = [m.new_constant(w) if isinstance(w, int) else w for w in work]
    m.add_automaton(days, 0, finals, arcs)


def _or(m: cp_model.CpModel, a: Lit, b: Lit) -> Lit:
    """A literal for a or b, where at most one holds (one shift a day)."""
    if isinstance(a, int) or isinstance(b, int):
        return 1 if a == 1 or b == 1 else (b if isinstance(a, int) else a)
    f = m.new_bool_var("")
    m.add(f == a + b)
    return f


def _neg(lit: Lit) -> Lit:
    if isinstance(lit, int):
        return 1 - lit
    return lit.Not()


def _at_most_one(m: cp_model.CpModel, lits: list[Lit]) -> None:
    ones = sum(1 for lit in lits if isinstance(lit, int) and lit == 1)
    free = [lit for lit in lits if not isinstance(lit, int)]
    if ones:
        for lit in free:
            m.add(lit == 0)
    elif len(free) > 1:
        m.add_at_most_one(free)


def _clause(m: cp_model.CpModel, lits: Iterable[Lit]) -> None:
    out = []
    for lit in lits:
        if isinstance(lit, int):
            if lit == 1:
                return
            continue
        out.append(lit)
    m.add_bool_or(out)
