"""A fast constructive roster for large problems: slots in order of urgency, each head to the
cheapest candidate who breaks no rule, with a kit from the cheapest stock that still has one.

It is the starting roster that neighbourhood search then improves; every placement is tested
against the checker's own workload rules, so the result is valid whenever it is returned.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from matching.candidates import Candidate, StockIndex
from matching.checker import check_workload
from matching.problem import Placement, Problem, Slot, travel_units, unfilled_weight
from matching.workload import may_add

GUIDE_BONUS = 100_000  # a guide's placement comes before any other that still fits


def greedy_roster(
    problem: Problem,
    candidates: list[Candidate],
    *,
    stock_price: dict[int, float] | None = None,
    start: list[Placement] | None = None,
    deadline: float | None = None,
    guide: Sequence[Placement] = (),
) -> list[Placement]:
    """Placements built greedily from `candidates`: `start` (a valid partial roster) and pinned
    placements first, then the published roster's placements that are still valid, then each
    open head to its cheapest candidate."""
    p = problem
    w = p.weights
    price = stock_price or {}
    posts = {post.id: post for post in p.posts}
    vix = {v.id: i for i, v in enumerate(p.volunteers)}
    six = {s.id: i for i, s in enumerate(p.slots)}
    kix = {k.id: i for i, k in enumerate(p.stocks)}
    by_slot: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_slot[c.slot].append(c)
    before = {(vix.get(a.volunteer, -1), six.get(a.slot, -1)) for a in p.previous}
    published = {s for _, s in before}
    left = [k.quantity for k in p.stocks]
    shifts: dict[int, list[Slot]] = defaultdict(list)
    days_worked: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    count = [0] * len(p.slots)
    on: dict[int, set[int]] = defaultdict(set)  # volunteers on each slot
    out: list[Placement] = []

    def place(vi: int, si: int, k: int | None) -> None:
        slot = p.slots[si]
        shifts[vi].append(slot)
        days_worked[vi][slot.day] += 1
        count[si] += 1
        on[si].add(vi)
        if k is not None:
            left[k] -= 1
        out.append(Placement(p.volunteers[vi].id, slot.id, None if k is None else p.stocks[k].id))

    for a in start or ():
        place(vix[a.volunteer], six[a.slot], None if a.stock is None else kix[a.stock])
    for a in p.pinned:
        vi, si = vix[a.volunteer], six[a.slot]
        if start and vi in on[si]:
            continue
        k = kix[a.stock] if a.stock is not None else None
        if k is None and p.slots[si].kit is not None:
            opts = [c for c in by_slot[si] if c.volunteer == vi]
            k = min((s for s in (opts[0].stocks if opts else ()) if left[s] > 0), default=None)
        place(vi, si, k)
    # The published roster's placements that still break no rule stay: changes cost.
    for a in p.previous:
        vi, si = vix.get(a.volunteer, -1), six.get(a.slot, -1)
        if vi < 0 or si < 0 or vi in on[si] or count[si] >= p.slots[si].headcount:
            continue
        opts = [c for c in by_slot[si] if c.volunteer == vi]
        if not opts:
            continue  # no longer eligible
        k = None
        if p.slots[si].kit is not None:
            free = [s for s in opts[0].stocks if left[s] > 0]
            if not free:
                continue
            k = kix[a.stock] if a.stock in kix and kix[a.stock] in free else min(free)
        if check_workload(p, volunteer=p.volunteers[vi], shifts=[*shifts[vi], p.slots[si]]):
            continue
        place(vi, si, k)

    def static_cost(c: Candidate) -> float:
        slot = p.slots[c.slot]
        post = posts[slot.post]
        v = p.volunteers[c.volunteer]
        cost = travel_units(v.home, post.location) * w.travel
        if post.claimed_by is not None and v.unit != post.claimed_by:
            cost += w.unclaimed_grid
        if (c.volunteer, c.slot) in before:
            cost -= w.change
        elif c.slot in published:
            cost += w.change
        return cost

    order = sorted(
        range(len(p.slots)),
        key=lambda si: (
            -unfilled_weight(p.slots[si], posts[p.slots[si].post], w),
            len(by_slot[si]) / max(1, p.slots[si].headcount),
            p.slots[si].start,
        ),
    )
    base = {id(c): static_cost(c) for cs in by_slot.values() for c in cs}
    guided = {(vix[a.volunteer], six[a.slot]) for a in guide}
    for cs in by_slot.values():
        for c in cs:
            if (c.volunteer, c.slot) in guided:
                base[id(c)] -= GUIDE_BONUS
    if deadline is not None:
        deadline = max(deadline, time.monotonic() + 2.0)  # some placing after the set-up
    for n, si in enumerate(order):
        if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
            break  # a valid partial roster; gap filling continues from it
        slot = p.slots[si]
        on_slot = on[si]
        while count[si] < slot.headcount:
            options = []
            for c in by_slot[si]:
                if c.volunteer in on_slot:
                    continue
                r = p.rules_for(p.volunteers[c.volunteer])
                if (
                    r.max_shifts_per_day is not None
                    and days_worked[c.volunteer][slot.day] >= r.max_shifts_per_day
                ):
                    continue
                k = None
                kit_cost = 0.0
                if slot.kit is not None:
                    best = None
                    for s in c.stocks:
                        if left[s] <= 0:
                            continue
                        cs = price.get(s, 0.0) + (
                            w.city_reserve_kit if p.stocks[s].is_city_reserve else 0
                        )
                        if best is None or cs < best[0]:
                            best = (cs, s)
                    if best is None:
                        continue
                    kit_cost, k = best
                load = len(shifts[c.volunteer])
                cost = base[id(c)] + kit_cost + w.fairness * (2 * load + 1)
                options.append((cost, c.volunteer, k))
            options.sort()
            chosen = None
            for _, vi, k in options:
                if may_add(p, p.volunteers[vi], shifts[vi], slot):
                    chosen = (vi, k)
                    break
            if chosen is None:
                break
            place(chosen[0], si, chosen[1])
    return out


def with_placements(
    problem: Problem, candidates: list[Candidate], placements: list[Placement]
) -> list[Candidate]:
    """`candidates` plus a candidate for every placement not among them (e.g. a filled gap)."""
    have = {(c.volunteer, c.slot) for c in candidates}
    vix = {v.id: i for i, v in enumerate(problem.volunteers)}
    six = {s.id: i for i, s in enumerate(problem.slots)}
    posts = {post.id: post for post in problem.posts}
    index = StockIndex(problem)
    out = list(candidates)
    for a in placements:
        key = (vix[a.volunteer], six[a.slot])
        if key in have:
            continue
        have.add(key)
        slot = problem.slots[key[1]]
        out.append(
            Candidate(*key, index.allowed(problem.volunteers[key[0]], slot, posts[slot.post]))
        )
    return out
