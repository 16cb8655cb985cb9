"""The objective, one weighted term per function, in SPEC's priority order.

Each function returns a linear expression (or 0) over the RosterModel's variables; the sum is
minimised. The checker's `score` recomputes the same terms from a finished roster.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from ortools.sat.python import cp_model

from matching.model import RosterModel, negate
from matching.problem import travel_units, unfilled_weight

Expr = cp_model.LinearExprT


def cover_demand(m: RosterModel) -> Expr:
    """Each unfilled head costs its slot's weight (by default the post's priority)."""
    posts = {p.id: p for p in m.problem.posts}
    terms = []
    for si, slot in enumerate(m.problem.slots):
        if slot.headcount <= 0:
            continue
        weight = unfilled_weight(slot, posts[slot.post], m.problem.weights)
        vols = m.by_slot.get(si, [])
        u = m.model.new_int_var(0, slot.headcount, f"under{si}")
        m.under[si] = u
        m.model.add(sum(m.x[(v, si)] for v in vols) + u >= slot.headcount)
        terms.append(weight * u)
    return sum(terms)


def spare_city_reserve(m: RosterModel) -> Expr:
    """Each kit drawn from the city reserve costs a little: units should equip their own."""
    w = m.problem.weights.city_reserve_kit
    if w == 0:
        return 0
    return w * sum(lit for (_, _, k), lit in m.kit.items() if m.problem.stocks[k].is_city_reserve)


def few_changes(m: RosterModel) -> Expr:
    """Each placement added to or dropped from the published roster (on slots it staffed) costs."""
    w = m.problem.weights.change
    if w == 0:
        return 0
    vi = {v.id: i for i, v in enumerate(m.problem.volunteers)}
    si = {s.id: i for i, s in enumerate(m.problem.slots)}
    before = {(vi.get(a.volunteer, -1), si.get(a.slot, -1)) for a in m.problem.previous}
    dropped = sum(1 - m.x[key] if key in m.x else 1 for key in before)
    published = {s for _, s in before}
    added = sum(x for key, x in m.x.items() if key[1] in published and key not in before)
    return w * (dropped + added)


def near_home(m: RosterModel) -> Expr:
    """Distance from home to post, in 100 m units, for every placement."""
    w = m.problem.weights.travel
    if w == 0:
        return 0
    p = m.problem
    loc = {post.id: post.location for post in p.posts}
    return w * sum(
        travel_units(p.volunteers[v].home, loc[p.slots[s].post]) * x for (v, s), x in m.x.items()
    )


def fair_load(m: RosterModel) -> Expr:
    """Σ over volunteers of shifts², as unit steps costing 1, 3, 5, …, so it stays linear."""
    w = m.problem.weights.fairness
    if w == 0:
        return 0
    terms = []
    for v, ss in m.by_volunteer.items():
        if len(ss) < 2:
            terms.extend(m.x[(v, s)] for s in ss)  # 0 or 1 shift: the square is the load
            continue
        cap = len(ss)
        r = m.problem.rules_for(m.problem.volunteers[v])
        if r.max_shifts_per_day is not None:
            cap = min(cap, len({m.problem.slots[s].day for s in ss}) * r.max_shifts_per_day)
        steps = [m.model.new_bool_var("") for _ in range(cap)]
        for a, b in itertools.pairwise(steps):
            m.model.add_implication(b, a)
        m.model.add(sum(steps) == sum(m.x[(v, s)] for s in ss))
        m.fair_steps[v] = steps
        terms.extend((2 * k + 1) * b for k, b in enumerate(steps))
    return w * sum(terms)


def preferences(m: RosterModel) -> Expr:
    """Weighted shift-on requests not granted and shift-off requests not honoured."""
    w = m.problem.weights.preference
    if w == 0 or not m.problem.requests:
        return 0
    vi = {v.id: i for i, v in enumerate(m.problem.volunteers)}
    terms = []
    for r in m.problem.requests:
        if r.volunteer not in vi:
            continue
        lit = m.works_type(vi[r.volunteer], r.day, r.shift_type)
        miss = negate(lit) if r.on else lit
        if miss is True:
            terms.append(r.weight)
        elif miss is not False:
            terms.append(r.weight * miss)
    return w * sum(terms)


def claimed_grids(m: RosterModel) -> Expr:
    """A post on a grid claimed by a unit should be staffed by that unit's volunteers."""
    w = m.problem.weights.unclaimed_grid
    if w == 0:
        return 0
    p = m.problem
    claim = {post.id: post.claimed_by for post in p.posts}
    return w * sum(
        x
        for (v, s), x in m.x.items()
        if claim[p.slots[s].post] is not None and p.volunteers[v].unit != claim[p.slots[s].post]
    )


def over_cover(m: RosterModel) -> Expr:
    """Heads beyond the headcount, where a line allows them, cost their slot's over weight."""
    w = m.problem.weights.over_cover
    terms = []
    for si, slot in enumerate(m.problem.slots):
        vols = m.by_slot.get(si, [])
        if slot.max_over == 0 or len(vols) <= slot.headcount:
            continue
        o = m.model.new_int_var(0, slot.max_over, f"over{si}")
        m.over[si] = o
        m.model.add(sum(m.x[(v, si)] for v in vols) - slot.headcount <= o)
        terms.append(slot.over_weight * w * o)
    return sum(terms)


ALL_TERMS: dict[str, Callable[[RosterModel], Expr]] = {
    "cover": cover_demand,
    "city_reserve": spare_city_reserve,
    "changes": few_changes,
    "travel": near_home,
    "fairness": fair_load,
    "preferences": preferences,
    "claimed_grids": claimed_grids,
    "over_cover": over_cover,
}
