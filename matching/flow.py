"""Rosters and bounds from one min-cost-flow network over the nearest eligible volunteers.

Network: source → volunteer (unit arcs costing the fairness steps 1, 3, 5, …) → volunteer-day
(capacity: shifts per day) → slot (travel, unclaimed grid, and the cheapest priced kit) → sink
(the headcount); source → slot bypass arcs at the unfilled weight. Rest between days and runs are
what the flow does not see (relaxed); stocks are priced in (Lagrange multipliers, raised by
subgradient steps), so for any prices the flow's cost less their value is a lower bound.

Arcs are numpy arrays, so a county-sized network (half a million arcs) builds in well under a
second and each solve is OR-Tools' own.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.checker import check_workload
from matching.nearest import Nearest
from matching.problem import Placement, Problem, unfilled_weight

# In "cover" mode an open head costs this much, so stock prices can be fractions of a head.
COVER_UNIT = 100


@dataclass
class State:
    """A partial roster: shifts per volunteer, heads still open per slot, kits left per stock."""

    shifts: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    need: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


class Network:
    """The static part of the network: one arc per (nearest volunteer, slot).

    `mode` "full" prices every term the flow sees; "cover" only counts open heads (1 each), so
    its bound is on heads no roster can cover; "service" covers exactly `covered` heads at the
    least travel plus fairness, a bound on those terms for any roster covering that many."""

    def __init__(
        self, problem: Problem, nearest: list[Nearest], *, mode: str = "full", covered: int = 0
    ) -> None:
        p = self.p = problem
        w = p.weights
        self.mode = mode
        self.covered = covered
        posts = {post.id: post for post in p.posts}
        self.days = max(p.days, 1)
        av, asl, cost, stocks = [], [], [], []
        for si, near in enumerate(nearest):
            post = posts[p.slots[si].post]
            claimed = post.claimed_by
            for vi, t, st in zip(near.volunteers, near.travel, near.stocks, strict=True):
                c = 0 if mode == "cover" else t * w.travel
                if mode == "full" and claimed is not None and p.volunteers[vi].unit != claimed:
                    c += w.unclaimed_grid
                av.append(vi)
                asl.append(si)
                cost.append(c)
                stocks.append(st)
        self.av = np.array(av, dtype=np.int64)
        self.asl = np.array(asl, dtype=np.int64)
        self.cost = np.array(cost, dtype=np.int64)
        self.stocks = stocks
        self.slot_day = np.array([s.day for s in p.slots], dtype=np.int64)
        self.arc_day = self.slot_day[self.asl] if len(asl) else np.zeros(0, dtype=np.int64)
        self.miss = np.array(
            [
                COVER_UNIT if mode == "cover" else unfilled_weight(s, posts[s.post], w)
                for s in p.slots
            ],
            dtype=np.int64,
        )
        self.city = np.array(
            [w.city_reserve_kit if k.is_city_reserve and mode == "full" else 0 for k in p.stocks],
            dtype=np.int64,
        )
        self.fairness = 0 if mode == "cover" else w.fairness
        self.nearest = nearest
        # Per volunteer: shifts a week allows, counted with their shortest candidate shift.
        n_v = len(p.volunteers)
        shortest = np.full(n_v, 1 << 30, dtype=np.int64)
        minutes = np.array([s.minutes for s in p.slots], dtype=np.int64)
        if len(asl):
            np.minimum.at(shortest, self.av, minutes[self.asl])
        self.shortest = shortest

    def kit_costs(self, prices: np.ndarray, left: list[int] | None) -> np.ndarray:
        """Per arc, the cheapest priced allowed stock (with kits left); -1 where none has any."""
        by_tuple: dict[tuple[int, ...], int] = {}
        total = prices + self.city
        out = np.empty(len(self.stocks), dtype=np.int64)
        for j, st in enumerate(self.stocks):
            got = by_tuple.get(st)
            if got is None:
                if not st:
                    got = 0
                else:
                    opts = [k for k in st if left is None or left[k] > 0]
                    got = int(min(total[k] for k in opts)) if opts else -1
                by_tuple[st] = got
            out[j] = got
        return out

    def cap(self, v: int, state: State) -> int:
        """Shifts volunteer v may still take under the daily and period caps."""
        r = self.p.rules_for(self.p.volunteers[v])
        per_day = r.max_shifts_per_day or 99
        n = self.days * per_day
        if r.max_minutes_per_period is not None:
            period = r.period_days or self.days
            periods = -(-self.days // period)
            used = sum(self.p.slots[s].minutes for s in state.shifts.get(v, ()))
            n = min(n, (periods * r.max_minutes_per_period - used) // int(self.shortest[v]))
        return max(0, n - len(state.shifts.get(v, ())))

    def solve(
        self, prices: np.ndarray, state: State, *, outside: bool = False
    ) -> tuple[int, np.ndarray, np.ndarray, int]:
        """Min-cost flow over what `state` leaves open: (cost, arc flows, kit cost per arc,
        heads covered through the `outside` arcs that stand for everyone not in the lists)."""
        p = self.p
        n_v = len(p.volunteers)
        days = self.days
        vol_node = 2
        vday_node = vol_node + n_v
        slot_node = vday_node + n_v * days
        need = np.array(state.need, dtype=np.int64)
        kit = self.kit_costs(prices, state.left if state.placements else None)
        ok = (need[self.asl] > 0) & (kit >= 0)
        busy = np.zeros((n_v, days), dtype=bool)
        load = np.zeros(n_v, dtype=np.int64)
        for v, ss in state.shifts.items():
            load[v] = len(ss)
            for s in ss:
                busy[v, self.p.slots[s].day] = True
        if state.placements:
            ok &= ~busy[self.av, self.arc_day]
            ok &= self._rest_ok(state)
        tails, heads, caps, costs = [], [], [], []
        used_v = np.unique(self.av[ok])
        for v in used_v.tolist():
            c = self.cap(v, state)
            for k in range(int(load[v]), int(load[v]) + c):
                tails.append(0)
                heads.append(vol_node + v)
                caps.append(1)
                costs.append(self.fairness * (2 * k + 1))
        per_day = np.array(
            [p.rules_for(v).max_shifts_per_day or 99 for v in p.volunteers], dtype=np.int64
        )
        vd = np.unique(self.av[ok] * days + self.arc_day[ok])
        vv, dd = vd // days, vd % days
        t_arr = [np.array(tails, dtype=np.int64), vol_node + vv]
        h_arr = [np.array(heads, dtype=np.int64), vday_node + vd]
        c_arr = [np.array(caps, dtype=np.int64), per_day[vv]]
        k_arr = [np.array(costs, dtype=np.int64), np.zeros(len(vd), dtype=np.int64)]
        del dd
        first = sum(len(a) for a in t_arr)
        idx = np.flatnonzero(ok)
        t_arr.append(vday_node + self.av[idx] * days + self.arc_day[idx])
        h_arr.append(slot_node + self.asl[idx])
        c_arr.append(np.ones(len(idx), dtype=np.int64))
        k_arr.append(self.cost[idx] + kit[idx])
        open_s = np.flatnonzero(need > 0)
        if self.mode != "service":
            t_arr.append(np.zeros(len(open_s), dtype=np.int64))
            h_arr.append(slot_node + open_s)
            c_arr.append(need[open_s])
            k_arr.append(self.miss[open_s])
        out_first = sum(len(a) for a in t_arr)
        out_slots = np.zeros(0, dtype=np.int64)
        if outside:
            out_slots, out_cost = self._outside(prices, open_s)
            t_arr.append(np.zeros(len(out_slots), dtype=np.int64))
            h_arr.append(slot_node + out_slots)
            c_arr.append(need[out_slots])
            k_arr.append(out_cost)
        t_arr.append(slot_node + open_s)
        h_arr.append(np.ones(len(open_s), dtype=np.int64))
        c_arr.append(need[open_s])
        k_arr.append(np.zeros(len(open_s), dtype=np.int64))
        f = min_cost_flow.SimpleMinCostFlow()
        f.add_arcs_with_capacity_and_unit_cost(
            np.concatenate(t_arr).astype(np.int32),
            np.concatenate(h_arr).astype(np.int32),
            np.concatenate(c_arr),
            np.concatenate(k_arr),
        )
        total = int(need.sum()) if self.mode != "service" else self.covered
        f.set_node_supply(0, total)
        f.set_node_supply(1, -total)
        if f.solve() != f.OPTIMAL:
            raise RuntimeError("min-cost flow failed")
        flows = np.zeros(len(self.av), dtype=np.int64)
        got = f.flows(np.arange(first, first + len(idx), dtype=np.int32))
        flows[idx] = got
        out_flow = 0
        if len(out_slots):
            arcs = np.arange(out_first, out_first + len(out_slots), dtype=np.int32)
            out_flow = int(np.asarray(f.flows(arcs)).sum())
        return int(f.optimal_cost()), flows, kit, out_flow

    def _outside(self, prices: np.ndarray, open_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Arcs for everyone beyond a slot's list: at least that far, one fairness step, and the
        cheapest priced kit of the item that day."""
        p = self.p
        w = p.weights
        cheapest: dict[tuple[str, int], int] = {}
        total = prices + self.city
        for k, stock in enumerate(p.stocks):
            key = (stock.item, stock.day)
            cheapest[key] = min(cheapest.get(key, 1 << 60), int(total[k]))
        slots, cost = [], []
        for si in open_s.tolist():
            near = self.nearest[si]
            if near.complete:
                continue
            s = p.slots[si]
            c = 0 if self.mode == "cover" else near.beyond * w.travel + self.fairness
            if s.kit is not None:
                c += cheapest.get((s.kit, s.day), 0)
            slots.append(si)
            cost.append(c if self.mode == "service" else min(c, int(self.miss[si])))
        return np.array(slots, dtype=np.int64), np.array(cost, dtype=np.int64)

    def _rest_ok(self, state: State) -> np.ndarray:
        """Per arc: the slot keeps the minimum rest from the volunteer's placed shifts."""
        p = self.p
        ok = np.ones(len(self.av), dtype=bool)
        has = np.zeros(len(p.volunteers), dtype=bool)
        for v, ss in state.shifts.items():
            if ss:
                has[v] = True
        for j in np.flatnonzero(has[self.av]).tolist():
            v = int(self.av[j])
            s = p.slots[int(self.asl[j])]
            rest = p.rules_for(p.volunteers[v]).min_rest_minutes
            for t in state.shifts[v]:
                o = p.slots[t]
                if s.start < o.end + rest and o.start < s.end + rest:
                    ok[j] = False
                    break
        return ok


def lagrangian(
    net: Network, *, deadline: float, max_iterations: int = 8
) -> tuple[float, np.ndarray, int]:
    """Subgradient steps on the stock prices: (best lower bound, its prices, heads it covers)."""
    p = net.p
    qty = np.array([k.quantity for k in p.stocks], dtype=np.int64)
    prices = np.zeros(len(p.stocks), dtype=np.int64)
    best = (float("-inf"), prices, 0)
    step = COVER_UNIT / 4 if net.mode == "cover" else max(1.0, float(p.weights.travel * 10))
    state = _empty(p)
    for it in range(max_iterations):
        if it and time.monotonic() > deadline:
            break
        cost, flows, _kit, out_flow = net.solve(prices, state, outside=True)
        value = cost - int((prices * qty).sum())
        usage = _usage(net, prices, flows)
        covered = int(flows.sum()) + out_flow
        if net.mode == "cover":
            value /= COVER_UNIT
        if value > best[0]:
            best = (float(value), prices.copy(), covered)
        over = usage - qty
        if (over <= 0).all() and ((prices == 0) | (over == 0)).all():
            break
        prices = np.maximum(0, np.rint(prices + step * over)).astype(np.int64)
        step *= 0.7
    return best


def _usage(net: Network, prices: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """Kits each stock would give if every placement took its cheapest priced stock."""
    total = prices + net.city
    usage = np.zeros(len(net.p.stocks), dtype=np.int64)
    for j in np.flatnonzero(flows).tolist():
        st = net.stocks[j]
        if st:
            usage[min(st, key=lambda k: total[k])] += 1
    return usage


def _empty(p: Problem) -> State:
    return State(need=[s.headcount for s in p.slots], left=[k.quantity for k in p.stocks])


def one_type_lists(problem: Problem, nearest: list[Nearest]) -> list[Nearest]:
    """The lists cut to each volunteer's one shift type: the type of most of their candidate
    slots. Whoever works one type only keeps any rest up to a day less the shift, so a flow over
    these lists breaks no rest rule (caps per day and per week it honours itself)."""
    p = problem
    votes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for si, near in enumerate(nearest):
        t = p.slots[si].shift_type
        for v in near.volunteers:
            votes[v][t] += 1
    kind = {v: max(ts, key=lambda t: (ts[t], t)) for v, ts in votes.items()}
    out = []
    for si, near in enumerate(nearest):
        t = p.slots[si].shift_type
        keep = [j for j, v in enumerate(near.volunteers) if kind[v] == t]
        out.append(
            Nearest(
                tuple(near.volunteers[j] for j in keep),
                tuple(near.travel[j] for j in keep),
                tuple(near.stocks[j] for j in keep),
                True,
                0,
            )
        )
    return out


def flow_roster(problem: Problem, nearest: list[Nearest], prices: np.ndarray) -> list[Placement]:
    """A roster from one flow over one-type lists: each placement, most important slots first,
    kept with its cheapest priced stock that still has a kit (dropped if none has, or if some
    rule still objects)."""
    p = problem
    net = Network(p, one_type_lists(p, nearest))
    state = _empty(p)
    _cost, flows, _kit, _ = net.solve(prices, state)
    total = prices + net.city
    left = list(state.left)
    chosen = sorted(
        np.flatnonzero(flows).tolist(),
        key=lambda j: (-int(net.miss[net.asl[j]]), int(net.cost[j])),
    )
    mine: dict[int, list] = defaultdict(list)
    out = []
    for j in chosen:
        v, si = int(net.av[j]), int(net.asl[j])
        slot = p.slots[si]
        k = None
        if slot.kit is not None:
            opts = [x for x in net.stocks[j] if left[x] > 0]
            if not opts:
                continue
            k = min(opts, key=lambda x: total[x])
        if check_workload(p, volunteer=p.volunteers[v], shifts=[*mine[v], slot]):
            continue
        mine[v].append(slot)
        if k is not None:
            left[k] -= 1
        out.append(Placement(p.volunteers[v].id, slot.id, None if k is None else p.stocks[k].id))
    return out
