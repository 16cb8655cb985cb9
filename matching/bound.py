"""An honest lower bound for large problems: a min-cost-flow relaxation with stock prices.

Network: source → volunteer (unit arcs costing the fairness steps 1, 3, 5, …) → volunteer-day
(capacity: shifts per day) → slot (travel, unclaimed grid, and the cheapest priced kit) → sink
(the headcount); source → slot bypass arcs at the unfilled weight; and, where candidates were
pruned, source → slot "outside" arcs costing at least what any pruned volunteer would cost.
Rest between days, weekly caps below the candidate-day count, and the remaining non-negative
terms (city reserve, changes, preferences, over-cover) are relaxed.

Stocks are priced in (a Lagrangian relaxation): each kit drawn from stock k costs λ_k, and
Σ λ_k · quantity_k is subtracted; for any λ ≥ 0 this stays a lower bound. A few subgradient
steps raise it. Assumes no published roster (`previous`) for which dropping a placement costs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from matching.problem import Problem, unfilled_weight
from matching.prune import Nearest


@dataclass(frozen=True, slots=True)
class Bound:
    """A lower bound on the objective, and how many heads the relaxation could cover."""

    value: float
    coverable_heads: int  # heads the best relaxation covered (an estimate of what is coverable)
    iterations: int
    method: str
    service: float = 0.0  # travel + fairness (+ unclaimed grids) of the relaxation's flow


class _Arcs:
    """Arc lists for one flow network."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []

    def add(self, a: int, b: int, cap: int, cost: int) -> None:
        """An arc a → b."""
        self.tails.append(a)
        self.heads.append(b)
        self.caps.append(cap)
        self.costs.append(cost)


def flow_bound(
    problem: Problem,
    nearest: list[Nearest],
    *,
    deadline: float,
    max_iterations: int = 8,
    cover_only: bool = False,
    covered: int | None = None,
) -> Bound:
    """The best Lagrangian flow bound reached before `deadline` (time.monotonic()).

    With `cover_only`, every term but cover is dropped and each unfilled head costs 1, so the
    bound counts heads that cannot be covered. With `covered`, exactly that many heads are
    covered and only travel and fairness count: a lower bound on the travel plus fairness of
    any roster covering at least `covered` heads (dropping placements never raises either)."""
    p = problem
    w = p.weights
    posts = {post.id: post for post in p.posts}
    n_v = len(p.volunteers)
    days = max(p.days, 1)
    # Node numbering: 0 source, 1 sink, volunteers, volunteer-days, slots.
    vol_node = 2
    vday_node = vol_node + n_v
    slot_node = vday_node + n_v * days

    def vday(v: int, d: int) -> int:
        return vday_node + v * days + d

    total_heads = sum(s.headcount for s in p.slots)
    supply = total_heads if covered is None else covered
    service_only = covered is not None
    # Placement arcs, with the kit choices that set their Lagrangian price.
    arcs = []  # (volunteer, slot, static cost, stocks)
    used_days: dict[int, set[int]] = {}
    cand_slots: dict[int, list[int]] = {}
    for si, near in enumerate(nearest):
        slot = p.slots[si]
        post = posts[slot.post]
        for vi, t, st in zip(near.volunteers, near.travel, near.stocks, strict=True):
            v = p.volunteers[vi]
            cost = 0 if cover_only else t * w.travel
            grids = not cover_only and not service_only
            if grids and post.claimed_by is not None and v.unit != post.claimed_by:
                cost += w.unclaimed_grid
            arcs.append((vi, si, cost, st))
            used_days.setdefault(vi, set()).add(slot.day)
            cand_slots.setdefault(vi, []).append(si)
    lam = [0] * len(p.stocks)
    by_item_day: dict[tuple[str, int], list[int]] = {}
    for k, stock in enumerate(p.stocks):
        by_item_day.setdefault((stock.item, stock.day), []).append(k)
    city_cost = [
        0 if cover_only or service_only or not k.is_city_reserve else w.city_reserve_kit
        for k in p.stocks
    ]
    best = Bound(float("-inf"), total_heads, 0, "", 0.0)
    step = max(1.0, float(w.travel * 10)) if not cover_only else 0.5
    it = 0
    while it < max_iterations and (it == 0 or time.monotonic() < deadline):
        it += 1
        f = min_cost_flow.SimpleMinCostFlow()
        net = _Arcs()
        arc = net.add
        tails, costs = net.tails, net.costs

        service_arcs: list[int] = []  # fairness steps
        for vi, ds in used_days.items():
            r = p.rules_for(p.volunteers[vi])
            per_day = r.max_shifts_per_day or 99
            cap = len(ds) * per_day
            if r.max_minutes_per_period is not None:
                # Weekly minutes cap, counted with this volunteer's shortest candidate shift.
                shortest = min(p.slots[si].minutes for si in cand_slots[vi])
                period = r.period_days or days
                periods = len({d // period for d in ds})
                cap = min(cap, periods * (r.max_minutes_per_period // max(1, shortest)))
            for k in range(cap):
                service_arcs.append(len(tails))
                arc(0, vol_node + vi, 1, 0 if cover_only else w.fairness * (2 * k + 1))
            for d in ds:
                arc(vol_node + vi, vday(vi, d), per_day, 0)
        chosen_stock = []
        outside_arcs: list[int] = []
        first = len(tails)  # placement arcs follow, in `arcs` order
        for vi, si, cost, st in arcs:
            kit = 0
            pick = -1
            if st:
                pick = min(st, key=lambda k: lam[k] + city_cost[k])
                kit = lam[pick] + city_cost[pick]
            chosen_stock.append(pick)
            arc(vday(vi, p.slots[si].day), slot_node + si, 1, cost + kit)
        for si, slot in enumerate(p.slots):
            if slot.headcount <= 0:
                continue
            miss = 1 if cover_only else unfilled_weight(slot, posts[slot.post], w)
            if not service_only:
                arc(0, slot_node + si, slot.headcount, miss)
            near = nearest[si]
            if not near.complete:
                # Anyone not in the list is at least `beyond` away and adds at least 1 to Σ load²;
                # their kit costs at least the cheapest price of any stock for this item and day.
                outside = 0 if cover_only else near.beyond * w.travel + w.fairness
                if slot.kit is not None:
                    outside += min(
                        (lam[k] + city_cost[k] for k in by_item_day.get((slot.kit, slot.day), ())),
                        default=0,
                    )
                outside_arcs.append(len(tails))
                arc(
                    0,
                    slot_node + si,
                    slot.headcount,
                    outside if service_only else min(outside, miss),
                )
            arc(slot_node + si, 1, slot.headcount, 0)
        f.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.caps, net.costs)
        f.set_node_supply(0, supply)
        f.set_node_supply(1, -supply)
        status = f.solve()
        if status != f.OPTIMAL:
            break
        flows = [int(x) for x in f.flows(list(range(len(tails))))]
        usage = [0] * len(p.stocks)
        covered = int(sum(flows[a] for a in outside_arcs))
        for j, (_vi, _si, _c, _st) in enumerate(arcs):
            if flows[first + j]:
                covered += 1
                if chosen_stock[j] >= 0:
                    usage[chosen_stock[j]] += 1
        value = f.optimal_cost() - sum(lam[k] * p.stocks[k].quantity for k in range(len(lam)))
        if value > best.value:
            service = sum(flows[a] * costs[a] for a in service_arcs) + sum(
                flows[first + j] * arcs[j][2] for j in range(len(arcs))
            )
            best = Bound(
                float(value), covered, it, "min-cost flow, Lagrangian stock prices", float(service)
            )
        over = [usage[k] - p.stocks[k].quantity for k in range(len(lam))]
        if all(g <= 0 for g in over) and all(lam[k] == 0 or over[k] == 0 for k in range(len(lam))):
            break  # complementary slackness: no better multipliers
        lam = [max(0, round(lam[k] + step * over[k])) for k in range(len(lam))]
        step *= 0.7
    return best
