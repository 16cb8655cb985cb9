"""Rosters and bounds from one min-cost-flow network over the nearest eligible volunteers.

Network: source → volunteer (unit arcs costing the fairness steps 1, 3, 5, …) → volunteer-day
(capacity: shifts per day) → slot (travel, unclaimed grid, and the cheapest priced kit) → sink
(the headcount); source → slot bypass arcs at the unfilled weight. What the flow cannot hold is
priced in by Lagrange multipliers: each stock's quantity and each rest clique (one volunteer's
shifts on two days too close together, at most one of which can be worked), so for any prices
the flow's cost less their value is a lower bound. Runs of days stay relaxed.

Arcs are numpy arrays, so a county-sized network (a million arcs) builds in about a second and
each solve is OR-Tools' own.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.nearest import Nearest
from matching.problem import Placement, Problem, unfilled_weight
from matching.workload import may_add

# In "cover" mode an open head costs this much, so stock prices can be fractions of a head.
COVER_UNIT = 100


@dataclass
class State:
    """A partial roster: shifts per volunteer, heads still open per slot, kits left per stock."""

    shifts: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    need: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


@dataclass
class _Graph:
    """One network's arcs as arrays, and where its parts begin."""

    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    supply: int  # heads sent from the source (node 0) to the sink (node 1)
    nodes: int
    slot_node: int  # the first slot's node
    first: int  # the first (volunteer-day, slot) arc
    idx: np.ndarray  # the network's arcs those stand for
    out_first: int
    out_slots: np.ndarray
    kit: np.ndarray

    def run(self) -> min_cost_flow.SimpleMinCostFlow:
        """The optimal flow (OR-Tools' own solver)."""
        f = min_cost_flow.SimpleMinCostFlow()
        f.add_arcs_with_capacity_and_unit_cost(
            self.tails.astype(np.int32), self.heads.astype(np.int32), self.caps, self.costs
        )
        f.set_node_supply(0, self.supply)
        f.set_node_supply(1, -self.supply)
        if f.solve() != f.OPTIMAL:
            raise RuntimeError("min-cost flow failed")
        return f


class Network:
    """The static part of the network: one arc per (nearest volunteer, slot).

    `mode` "full" prices every term the flow sees; "cover" only counts open heads (1 each), so
    its bound is on heads no roster can cover; "service" covers exactly `covered` heads at the
    least travel plus fairness, a bound on those terms for any roster covering that many and,
    with `reserve_kits`, drawing at most that many kits from the city reserve."""

    def __init__(
        self,
        problem: Problem,
        nearest: list[Nearest],
        *,
        mode: str = "full",
        covered: int = 0,
        reserve_kits: int | None = None,
        rest_cliques: bool = True,
    ) -> None:
        p = self.p = problem
        w = p.weights
        self.mode = mode
        self.covered = covered
        self.reserve_kits = reserve_kits if mode == "service" else None
        self.is_city = np.array([k.is_city_reserve for k in p.stocks], dtype=bool)
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
        # Lists cut to rest-keeping patterns (matching.patterns) need no rest cliques.
        self.clique_arc, self.clique_of = (
            self._rest_cliques() if rest_cliques else (np.zeros(0, dtype=np.int64),) * 2
        )
        self.cliques = int(self.clique_of.max()) + 1 if len(self.clique_of) else 0

    def _rest_cliques(self) -> tuple[np.ndarray, np.ndarray]:
        """Each volunteer's candidate slots that pairwise break the rest rule across days, as
        (arc, clique) pairs: with every shift stretched by the rest that must follow it, the
        arcs whose stretched shifts contain one shift's start hold at most one placement."""
        p = self.p
        start = np.array([s.start for s in p.slots], dtype=np.int64)
        end = np.array([s.end for s in p.slots], dtype=np.int64)
        rest = np.array([p.rules_for(v).min_rest_minutes for v in p.volunteers], dtype=np.int64)
        order = np.argsort(self.av, kind="stable")
        cuts = np.flatnonzero(np.diff(self.av[order])) + 1
        arcs, ids = [], []
        n = 0
        for js in np.split(order, cuts) if len(order) else []:
            st = start[self.asl[js]]
            stretched = end[self.asl[js]] + rest[self.av[js[0]]]
            day = self.arc_day[js]
            for t in np.unique(st).tolist():
                inside = np.flatnonzero((st <= t) & (t < stretched))
                if len(inside) < 2 or day[inside].min() == day[inside].max():
                    continue  # one day's shifts: the volunteer-day capacity holds them
                arcs.append(js[inside])
                ids.append(np.full(len(inside), n, dtype=np.int64))
                n += 1
        if not arcs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(arcs), np.concatenate(ids)

    def rest_costs(self, rest_prices: np.ndarray) -> np.ndarray:
        """Per arc, the prices of the rest cliques it belongs to."""
        out = np.zeros(len(self.av), dtype=np.int64)
        if len(self.clique_arc):
            np.add.at(out, self.clique_arc, rest_prices[self.clique_of])
        return out

    def rest_excess(self, flows: np.ndarray) -> np.ndarray:
        """Per rest clique, placements in it beyond the one allowed."""
        load = np.zeros(self.cliques, dtype=np.int64)
        if len(self.clique_arc):
            np.add.at(load, self.clique_of, flows[self.clique_arc])
        return load - 1

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
        self,
        prices: np.ndarray,
        state: State,
        *,
        outside: bool = False,
        rest_prices: np.ndarray | None = None,
    ) -> tuple[int, np.ndarray, np.ndarray, int]:
        """Min-cost flow over what `state` leaves open: (cost, arc flows, kit cost per arc,
        heads covered through the `outside` arcs that stand for everyone not in the lists)."""
        g = self._graph(prices, state, outside=outside, rest_prices=rest_prices)
        f = g.run()
        flows = np.zeros(len(self.av), dtype=np.int64)
        flows[g.idx] = f.flows(np.arange(g.first, g.first + len(g.idx), dtype=np.int32))
        out_flow = 0
        if len(g.out_slots):
            arcs = np.arange(g.out_first, g.out_first + len(g.out_slots), dtype=np.int32)
            out_flow = int(np.asarray(f.flows(arcs)).sum())
        return int(f.optimal_cost()), flows, g.kit, out_flow

    def rewards(self, prices: np.ndarray | None = None) -> tuple[int, np.ndarray, float]:
        """The flow at these stock prices (default none) over the lists and outside arcs, and
        its duals: (cost, per slot the cost of one more head there, that of one more head
        anywhere), as node potentials relative to the source's. The optimal flow's residual
        network has no negative cycle, so shortest distances from a root joined to every node
        are such potentials (every residual arc's reduced cost is then at least zero)."""
        if prices is None:
            prices = np.zeros(len(self.p.stocks), dtype=np.int64)
        g = self._graph(prices, _empty(self.p), outside=True, rest_prices=None)
        f = g.run()
        flows = np.asarray(f.flows(np.arange(len(g.tails), dtype=np.int32)), dtype=np.int64)
        dist = _distances(g.tails, g.heads, g.caps, g.costs, flows, g.nodes)
        dist -= dist[0]
        slots = dist[g.slot_node : g.slot_node + len(self.p.slots)]
        return int(f.optimal_cost()), slots, float(dist[1])

    def _graph(
        self,
        prices: np.ndarray,
        state: State,
        *,
        outside: bool,
        rest_prices: np.ndarray | None,
    ) -> _Graph:
        """The network's arcs over what `state` leaves open."""
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
        vv = vd // days
        t_arr = [np.array(tails, dtype=np.int64), vol_node + vv]
        h_arr = [np.array(heads, dtype=np.int64), vday_node + vd]
        c_arr = [np.array(caps, dtype=np.int64), per_day[vv]]
        k_arr = [np.array(costs, dtype=np.int64), np.zeros(len(vd), dtype=np.int64)]
        first = sum(len(a) for a in t_arr)
        idx = np.flatnonzero(ok)
        t_arr.append(vday_node + self.av[idx] * days + self.arc_day[idx])
        h_arr.append(slot_node + self.asl[idx])
        c_arr.append(np.ones(len(idx), dtype=np.int64))
        arc_cost = self.cost + kit
        if rest_prices is not None:
            arc_cost = arc_cost + self.rest_costs(rest_prices)
        k_arr.append(arc_cost[idx])
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
        total = int(need.sum()) if self.mode != "service" else self.covered
        return _Graph(
            tails=np.concatenate(t_arr),
            heads=np.concatenate(h_arr),
            caps=np.concatenate(c_arr),
            costs=np.concatenate(k_arr),
            supply=total,
            nodes=slot_node + len(p.slots),
            slot_node=slot_node,
            first=first,
            idx=idx,
            out_first=out_first,
            out_slots=out_slots,
            kit=kit,
        )

    def worked(self) -> list[tuple[int, int]]:
        """The (volunteer, slot) arcs of the flow at zero prices over these lists alone: what
        people would work if only what the network holds (and not stocks) bound."""
        zero = np.zeros(len(self.p.stocks), dtype=np.int64)
        _cost, flows, _kit, _ = self.solve(zero, _empty(self.p))
        arcs = np.flatnonzero(flows)
        return list(zip(self.av[arcs].tolist(), self.asl[arcs].tolist(), strict=True))

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
        n_v = len(p.volunteers)
        most = max((len(ss) for ss in state.shifts.values()), default=0)
        if most == 0:
            return np.ones(len(self.av), dtype=bool)
        # Placed shifts per volunteer, padded with windows that clash with nothing.
        far = 1 << 40
        starts = np.full((n_v, most), far, dtype=np.int64)
        ends = np.full((n_v, most), -far, dtype=np.int64)
        for v, ss in state.shifts.items():
            for i, t in enumerate(ss):
                starts[v, i] = p.slots[t].start
                ends[v, i] = p.slots[t].end
        rest = np.array([p.rules_for(v).min_rest_minutes for v in p.volunteers], dtype=np.int64)
        s_start = np.array([s.start for s in p.slots], dtype=np.int64)[self.asl][:, None]
        s_end = np.array([s.end for s in p.slots], dtype=np.int64)[self.asl][:, None]
        r = rest[self.av][:, None]
        clash = (s_start < ends[self.av] + r) & (starts[self.av] < s_end + r)
        return ~clash.any(axis=1)


@dataclass
class Dual:
    """A Lagrangian lower bound and the prices that give it."""

    value: float
    stock_prices: np.ndarray
    rest_prices: np.ndarray
    reserve_price: int = 0  # per city-reserve kit, with the network's reserve cap


def lagrangian(
    net: Network, *, deadline: float, max_iterations: int = 8, target: float | None = None
) -> Dual:
    """Subgradient steps on the prices of what the flow does not enforce: each stock's quantity,
    each rest clique's one placement and, with `net.reserve_kits`, the cap on city-reserve kits.
    For any prices the flow's cost less their value is a lower bound; the best one is returned.

    Steps are Polyak's, towards a little above the best bound so far but never above `target`
    (the value of some roster the bound is for), halved after two steps without a better one."""
    p = net.p
    scale = COVER_UNIT if net.mode == "cover" else 1
    qty = np.array([k.quantity for k in p.stocks], dtype=np.int64)
    # Multipliers move in fractions; the flow sees them rounded, and the bound is the rounded
    # ones' (any non-negative prices give a valid bound).
    stock_f = np.zeros(len(p.stocks))
    rest_f = np.zeros(net.cliques)
    reserve_f = 0.0  # price of a city-reserve kit, for the cap on how many the roster draws
    cap = net.reserve_kits
    best = Dual(float("-inf"), stock_f.astype(np.int64), rest_f.astype(np.int64))
    theta, stale = 1.0, 0
    state = _empty(p)
    for it in range(max_iterations):
        if it and time.monotonic() > deadline:
            break
        prices, rest = np.rint(stock_f).astype(np.int64), np.rint(rest_f).astype(np.int64)
        reserve = round(reserve_f)
        priced = prices + reserve * net.is_city
        cost, flows, _kit, _ = net.solve(priced, state, outside=True, rest_prices=rest)
        value = cost - int((prices * qty).sum()) - int(rest.sum())
        if cap is not None:
            value -= reserve * cap
        if value / scale > best.value:
            best, stale = Dual(value / scale, prices, rest, reserve), 0
        else:
            stale += 1
        # Subgradients, projected: a price at zero with slack stays there.
        usage = _usage(net, priced, flows)
        over = usage - qty
        over[(stock_f == 0) & (over < 0)] = 0
        excess = net.rest_excess(flows)
        excess[(rest_f == 0) & (excess < 0)] = 0
        over_cap = 0
        if cap is not None:
            over_cap = int(usage[net.is_city].sum()) - cap
            if reserve_f == 0 and over_cap < 0:
                over_cap = 0
        norms = [float((over * over).sum()), float((excess * excess).sum()), float(over_cap**2)]
        if not any(norms):
            break  # complementary slackness: the bound is the relaxation's optimum
        if stale >= 2:
            theta, stale = theta / 2, 0
        # Aim a little above the best bound so far (Held and Karp), never above `target`.
        goal = 1.05 * best.value * scale + scale
        if target is not None:
            goal = min(goal, target * scale)
        # Each kind of price gets its share of the step: kit shortages count in dozens, rest
        # clashes in ones, and one norm for all would leave the small ones unpriced.
        share = theta * max(1.0, goal - value) / sum(1 for n in norms if n)
        t = [share / n if n else 0.0 for n in norms]
        stock_f = np.maximum(0.0, stock_f + t[0] * over)
        rest_f = np.maximum(0.0, rest_f + t[1] * excess)
        reserve_f = max(0.0, reserve_f + t[2] * over_cap)
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


def _distances(
    tails: np.ndarray,
    heads: np.ndarray,
    caps: np.ndarray,
    costs: np.ndarray,
    flows: np.ndarray,
    nodes: int,
) -> np.ndarray:
    """Shortest distances over the residual arcs of `flows` from a root joined to every node
    at no cost (Bellman-Ford, one vectorised pass over every arc at a time)."""
    fwd, bwd = flows < caps, flows > 0
    t = np.concatenate([tails[fwd], heads[bwd]])
    h = np.concatenate([heads[fwd], tails[bwd]])
    c = np.concatenate([costs[fwd], -costs[bwd]]).astype(float)
    dist = np.zeros(nodes)
    if not len(t):
        return dist
    order = np.argsort(h, kind="stable")
    t, h, c = t[order], h[order], c[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    into = h[starts]
    for _ in range(nodes + 1):
        best = np.minimum.reduceat(dist[t] + c, starts)
        new = dist.copy()
        new[into] = np.minimum(dist[into], best)
        if np.array_equal(new, dist):
            return dist
        dist = new
    raise RuntimeError("negative cycle in a residual network: the flow was not optimal")


def _empty(p: Problem) -> State:
    return State(need=[s.headcount for s in p.slots], left=[k.quantity for k in p.stocks])


def flow_roster(net: Network, dual: Dual, *, deadline: float, rounds: int = 4) -> list[Placement]:
    """A roster from rounds of min-cost flow, each over what the last left open.

    The flow sees caps per day and per week but not rest between days, so each round keeps
    what the rules allow, most important slots and cheapest placements first, each with its
    cheapest priced stock that still has a kit; the next round routes the rest around them
    (its arcs already keep rest from every kept shift). The prices of `dual` steer every
    round: kits to stocks that last, shifts that rest allows."""
    p = net.p
    prices = dual.stock_prices
    state = _empty(p)
    total = prices + net.city
    for _ in range(rounds):
        if time.monotonic() > deadline or not any(n > 0 for n in state.need):
            break
        _cost, flows, kit, _ = net.solve(prices, state, rest_prices=dual.rest_prices)
        chosen = sorted(
            np.flatnonzero(flows).tolist(),
            key=lambda j: (-int(net.miss[net.asl[j]]), int(net.cost[j] + kit[j])),
        )
        kept = 0
        for j in chosen:
            v, si = int(net.av[j]), int(net.asl[j])
            slot = p.slots[si]
            if state.need[si] <= 0:
                continue
            k = None
            if slot.kit is not None:
                opts = [x for x in net.stocks[j] if state.left[x] > 0]
                if not opts:
                    continue
                k = min(opts, key=lambda x: total[x])
            mine = [p.slots[t] for t in state.shifts[v]]
            if not may_add(p, p.volunteers[v], mine, slot):
                continue
            state.shifts[v].append(si)
            state.need[si] -= 1
            if k is not None:
                state.left[k] -= 1
            stock = None if k is None else p.stocks[k].id
            state.placements.append(Placement(p.volunteers[v].id, slot.id, stock))
            kept += 1
        if kept == 0:
            break
    return state.placements
