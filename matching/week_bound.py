"""A lower bound on travel + fairness that keeps each volunteer's week whole.

The min-cost flow (`matching.flow`) lets one volunteer work a night and the next morning. Here
only what couples volunteers is priced: each slot's headcount, the heads covered in all and the
kits (below). The rest falls apart into one small problem per volunteer, solved exactly by
dynamic programming over the days: one shift a day, the minimum rest between consecutive days,
the period's cap on shifts and the convex fairness term. For any prices the weeks' reduced
costs plus the prices' constant are a lower bound (weak duality), so the bound is honest
whatever prices are tried.

Prices: first the flow's own duals (its shortest-path distances), where the weeks already give
at least the flow's bound; then, on problems small enough, column generation: a master LP over
the weeks found so far (GLOP) proposes prices, the weeks at a point between those and the best
prices so far (Wentges' smoothing) are priced and added as columns, until the LP and the bound
meet or time runs out. Its optimum is the LP over all weeks, the tightest bound of this kind.

Where the master LP is too large (county: 10,000 volunteers), the prices climb from the flow's
duals by subgradient ascent instead: each slot's price follows its heads beyond the headcount
in the weeks, each stock's its kits beyond the quantity, the reserve's its kits beyond the cap,
by Polyak steps toward a roster's travel + fairness (no bound can pass it), each direction
deflected by the last to damp the zigzag; the step halves when the bound stalls for a while.
The cover's price stays where the flow put it (moving it too cost county seed 1 2,000).

Kits are priced too: each placement pays its cheapest allowed stock's price, each stock's
quantity and the network's cap on city-reserve kits (if any) are the right-hand sides; in the
master LP a kit row per set of allowed stocks draws from those stocks.

Left out, which only makes the weeks cheaper: runs of days, successions, rest across two days,
minimum hours. Everyone beyond a slot's list stands in one arc per slot, as in the flow: at
least as far as the list's last, one fairness step, the cheapest kit of the item that day.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from matching.flow import Network
from matching.problem import MINUTES_PER_DAY

INF = float("inf")
SMOOTHING = 0.5  # weight of the best prices so far in the point priced next
DEFLECTION = 0.7  # share of the last ascent direction kept in the next (county: best of 0.3-0.7)
STALL = 20  # ascent steps without a better bound before the step halves
FIRST_STEP = 0.5  # of the Polyak step: the target is a roster, above the best bound
SMALLEST_STEP = 1e-3  # the step scale at which the ascent has converged


@dataclass(frozen=True)
class Prices:
    """Lagrange prices, each for one unit beyond a right-hand side: a head beyond a slot's
    headcount, a head covered in all (free sign), a kit beyond a stock's quantity, a kit beyond
    the city-reserve cap."""

    slot: np.ndarray
    cover: float
    stock: np.ndarray
    reserve: float = 0.0

    def between(self, other: Prices, weight: float) -> Prices:
        """`weight` of these prices and the rest of `other`'s."""
        return Prices(
            weight * self.slot + (1 - weight) * other.slot,
            weight * self.cover + (1 - weight) * other.cover,
            weight * self.stock + (1 - weight) * other.stock,
            weight * self.reserve + (1 - weight) * other.reserve,
        )


@dataclass(frozen=True)
class WeekBound:
    """The bound, how it was reached, and the flow's bound beside it."""

    value: float
    flow: float  # the min-cost flow over the same lists (no rest across days)
    method: str  # "flow duals", "flow duals, ascent (n steps)" or "columns (n rounds)"


class Weeks:
    """Each volunteer's cheapest week under prices, over a service-mode `Network`'s arcs.

    Only volunteers allowed one shift a day are supported: the weeks hold exactly one, and a
    relaxation must not be tighter than the rules."""

    def __init__(self, net: Network) -> None:
        if net.mode != "service":
            raise ValueError("the week bound is on travel + fairness: a service-mode network")
        p = self.p = net.p
        self.net = net
        rules = [p.rules_for(v) for v in p.volunteers]
        if any(r.max_shifts_per_day != 1 for r in rules):
            raise ValueError("the week bound needs one shift a day for every volunteer")
        self.days = days = net.days
        n_v = len(p.volunteers)
        # Shift windows (start within the day, length): rest is a matter of windows alone.
        keys = [(s.start - s.day * MINUTES_PER_DAY, s.end - s.start) for s in p.slots]
        windows = sorted(set(keys))
        self.n_w = n_w = max(1, len(windows))
        index = {k: i for i, k in enumerate(windows)}
        slot_w = np.array([index[k] for k in keys], dtype=np.int64)
        # follows[v, a, b]: window b the day after window a keeps v's minimum rest.
        rests = sorted({r.min_rest_minutes for r in rules})
        rest_of = np.array([rests.index(r.min_rest_minutes) for r in rules], dtype=np.int64)
        ok = np.zeros((len(rests), n_w, n_w), dtype=bool)
        for g, rest in enumerate(rests):
            for a, (off_a, len_a) in enumerate(windows):
                for b, (off_b, _) in enumerate(windows):
                    ok[g, a, b] = MINUTES_PER_DAY + off_b - (off_a + len_a) >= rest
        self.follows = ok[rest_of] if n_v else np.zeros((0, n_w, n_w), dtype=bool)
        # Shifts a week allows: the periods' minutes over the volunteer's shortest shift.
        most = np.full(n_v, days, dtype=np.int64)
        for v, r in enumerate(rules):
            if r.max_minutes_per_period is not None and net.shortest[v] < 1 << 30:
                periods = -(-days // (r.period_days or days))
                most[v] = min(days, periods * r.max_minutes_per_period // int(net.shortest[v]))
        self.most = most
        self.k_max = int(most.max()) if n_v else 0
        self.fair = net.fairness * np.arange(self.k_max + 1, dtype=float) ** 2
        # Arcs sorted by (volunteer, day, window) cell, for per-cell minima.
        cell = (net.av * days + net.arc_day) * n_w + slot_w[net.asl]
        self.order = np.argsort(cell, kind="stable")
        sorted_cell = cell[self.order]
        self.starts = (
            np.flatnonzero(np.r_[True, sorted_cell[1:] != sorted_cell[:-1]])
            if len(cell)
            else np.zeros(0, dtype=np.int64)
        )
        self.cells = sorted_cell[self.starts]
        self.group = np.repeat(np.arange(len(self.starts)), np.diff(np.r_[self.starts, len(cell)]))
        self.head = np.array([s.headcount for s in p.slots], dtype=float)
        self.base = net.cost.astype(float)
        # Everyone beyond a list, as in the flow: at least that far, one fairness step.
        outside = [si for si, n in enumerate(net.nearest) if not n.complete]
        self.out_slots = np.array(outside, dtype=np.int64)
        self.out_cost = np.array(
            [net.nearest[si].beyond * p.weights.travel + net.fairness for si in outside],
            dtype=float,
        )
        # Kits: each arc's allowed stocks as a row of a padded matrix; an outside arc may take
        # any stock of the item that day.
        by_item: dict[tuple[str, int], list[int]] = {}
        for k, stock in enumerate(p.stocks):
            by_item.setdefault((stock.item, stock.day), []).append(k)
        out_stocks = [
            tuple(by_item.get((kit, p.slots[si].day), ())) if (kit := p.slots[si].kit) else ()
            for si in outside
        ]
        self.kits = _KitRows(list(net.stocks) + out_stocks, len(p.stocks))
        self.arc_row = self.kits.row[: len(net.stocks)]
        self.out_row = self.kits.row[len(net.stocks) :]
        self.qty = np.array([k.quantity for k in p.stocks], dtype=float)
        self.is_city = net.is_city
        self.reserve_cap = net.reserve_kits

    def bound(self, prices: Prices) -> tuple[float, np.ndarray]:
        """The lower bound at `prices`, and the arcs of every volunteer's cheapest week."""
        kit = self.kits.cheapest(prices.stock + prices.reserve * self.is_city)
        reduced = self.base + kit[self.arc_row] + prices.slot[self.net.asl] - prices.cover
        value, arcs = self.weeks(reduced)
        out = self._outside(prices, kit)
        value += float((self.head[self.out_slots] * np.minimum(out, 0.0)).sum())
        value -= float((prices.slot * self.head).sum())
        value += prices.cover * self.net.covered
        value -= float((prices.stock * self.qty).sum())
        if self.reserve_cap is not None:
            value -= prices.reserve * self.reserve_cap
        return value, arcs

    def excess(self, prices: Prices, arcs: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """The bound's slope at `prices`, where the weeks `arcs` (and the outside arcs) are
        chosen: heads beyond each slot's headcount, kits beyond each stock's quantity and
        beyond the reserve cap (0 without one)."""
        stock, kit = self.kits.cheapest_stock(prices.stock + prices.reserve * self.is_city)
        slot = np.bincount(self.net.asl[arcs], minlength=len(self.head)).astype(float)
        kits = np.bincount(stock[self.arc_row[arcs]], minlength=len(self.qty) + 2)
        heads = np.where(self._outside(prices, kit) < 0, self.head[self.out_slots], 0.0)
        slot += np.bincount(self.out_slots, weights=heads, minlength=len(self.head))
        kits = kits + np.bincount(stock[self.out_row], weights=heads, minlength=len(kits))
        kits = kits[: len(self.qty)]
        reserve = 0.0
        if self.reserve_cap is not None:
            reserve = float(kits[self.is_city].sum() - self.reserve_cap)
        return slot - self.head, kits - self.qty, reserve

    def _outside(self, prices: Prices, kit: np.ndarray) -> np.ndarray:
        """Per outside arc, a head's reduced cost (`kit`: each kit row's cheapest price); the
        bound takes every head of those below zero."""
        return self.out_cost + kit[self.out_row] + prices.slot[self.out_slots] - prices.cover

    def weeks(self, reduced: np.ndarray) -> tuple[float, np.ndarray]:
        """Σ over volunteers of their cheapest week's cost when arc j costs `reduced[j]`, and
        the arcs of those weeks."""
        n_v, days, n_w, k_max = len(self.p.volunteers), self.days, self.n_w, self.k_max
        r = reduced[self.order]
        mins = np.minimum.reduceat(r, self.starts) if len(r) else np.zeros(0)
        # Per cell, the first arc reaching its minimum.
        hit = np.flatnonzero(r == mins[self.group])
        first = np.unique(self.group[hit], return_index=True)[1]
        cost = np.full(n_v * days * n_w, INF)
        cost[self.cells] = mins
        arc_of = np.full(n_v * days * n_w, -1, dtype=np.int64)
        arc_of[self.cells] = self.order[hit[first]]
        cost = cost.reshape(n_v, days, n_w)
        # dp[v, s, k]: the cheapest first days ending in state s (0 off, 1 + w at work in
        # window w) with k shifts; back[d] keeps each state's predecessor for the walk back.
        dp = np.full((n_v, n_w + 1, k_max + 1), INF)
        dp[:, 0, 0] = 0.0
        back = np.zeros((days, n_v, n_w + 1, k_max + 1), dtype=np.int8)
        rows = np.arange(n_v)
        ks = np.arange(k_max + 1)
        after_off = np.ones((n_v, 1), dtype=bool)
        for d in range(days):
            new = np.full_like(dp, INF)
            back[d, :, 0, :] = dp.argmin(axis=1)
            new[:, 0, :] = dp.min(axis=1)
            for w in range(n_w):
                allowed = np.concatenate([after_off, self.follows[:, :, w]], axis=1)
                prev = np.where(allowed[:, :, None], dp, INF)
                arg = prev.argmin(axis=1)
                low = prev[rows[:, None], arg, ks[None, :]]
                new[:, 1 + w, 1:] = low[:, :-1] + cost[:, d, w][:, None]
                back[d, :, 1 + w, 1:] = arg[:, :-1]
            dp = new
        end = dp + self.fair[None, None, :]
        end = np.where(ks[None, None, :] > self.most[:, None, None], INF, end).reshape(n_v, -1)
        flat = end.argmin(axis=1)
        value = float(end[rows, flat].sum())
        state, k = flat // (k_max + 1), flat % (k_max + 1)
        chosen = []
        for d in range(days - 1, -1, -1):
            working = state > 0
            cells = (rows * days + d) * n_w + np.maximum(state - 1, 0)
            chosen.append(arc_of[cells[working]])
            prev_state = back[d, rows, state, k].astype(np.int64)
            k = k - working
            state = prev_state
        arcs = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
        return value, arcs


def flow_prices(
    net: Network, stock: np.ndarray | None = None, reserve: float = 0.0
) -> tuple[float, Prices]:
    """The flow's cost at these kit prices (default none) and its duals as prices: a slot's
    reward for a head (cover price less slot price) is what one more head there would cost,
    capped at what one more anywhere would (a slot with heads to spare has no price of its
    own)."""
    if stock is None:
        stock = np.zeros(len(net.p.stocks))
    priced = np.rint(stock + reserve * net.is_city).astype(np.int64)
    cost, reward, anywhere = net.rewards(priced)
    slot = np.maximum(0.0, anywhere - reward)
    # A slot with no heads is not in the network, and its potential means nothing: no reward.
    empty = np.array([s.headcount == 0 for s in net.p.slots], dtype=bool)
    slot[empty] = max(0.0, anywhere)
    return float(cost), Prices(slot, anywhere, stock.astype(float), float(reserve))


def week_bound(
    net: Network,
    *,
    deadline: float,
    columns: bool = True,
    weeks: Iterable[tuple[int, tuple[int, ...]]] = (),
    kit_prices: tuple[np.ndarray, float] | None = None,
    target: float | None = None,
) -> WeekBound:
    """The weeks' bound at the flow's duals and, with `columns`, column generation from there
    until `deadline`; `weeks` (volunteer, slots) seed the master LP (a roster's, say). With
    `kit_prices` (per stock, per reserve kit: a Lagrangian's, say) the flow's duals at those
    prices are tried too, and the better start kept. Without `columns` but with a `target` (a
    roster's travel + fairness), the prices ascend from there toward it until `deadline`."""
    w = Weeks(net)
    flow, start = flow_prices(net)
    best, arcs = w.bound(start)
    # The ascent climbs from kit prices where it has them: from none (county) its first steps
    # overdraw the stocks so far that it only falls.
    climb = (start, best)
    if kit_prices is not None:
        _, priced = flow_prices(net, *kit_prices)
        value, priced_arcs = w.bound(priced)
        climb = (priced, value)
        if value > best:
            best, arcs, start = value, priced_arcs, priced
    if not columns:
        if target is None:
            return WeekBound(best, flow, "flow duals")
        value, steps = _ascend(w, *climb, target=target, deadline=deadline)
        return WeekBound(max(best, value), flow, f"flow duals, ascent ({steps} steps)")
    master = _Master(w)
    master.add(weeks)
    master.add_arcs(arcs)
    center = start
    rounds = 0
    while time.monotonic() < deadline:
        duals = master.solve(deadline - time.monotonic())
        if duals is None:
            break
        rounds += 1
        point = center.between(duals, SMOOTHING)
        value, arcs = w.bound(point)
        added = master.add_arcs(arcs)
        if value > best:
            best, center = value, point
        if not added:  # nothing new at the smoothed point: price at the LP's own duals
            value, arcs = w.bound(duals)
            if value > best:
                best, center = value, duals
            if not master.add_arcs(arcs):
                break  # no week prices out: the LP is optimal over all weeks
        if master.value - best <= 1e-7 * max(1.0, abs(best)):
            break
    return WeekBound(best, flow, f"columns ({rounds} rounds)")


def _ascend(
    w: Weeks, prices: Prices, value: float, *, target: float, deadline: float
) -> tuple[float, int]:
    """The best bound met climbing from `prices` (bound `value`) by deflected subgradient
    steps toward `target`, and the steps taken."""
    best, scale = value, FIRST_STEP
    direction: tuple[np.ndarray, np.ndarray, float] | None = None
    stalled = steps = 0
    while time.monotonic() < deadline and scale >= SMALLEST_STEP and best < target:
        value, arcs = w.bound(prices)
        steps += 1
        if value > best:
            best, stalled = value, 0
        else:
            stalled += 1
            if stalled >= STALL:
                scale, stalled = scale / 2, 0
        slot, stock, reserve = w.excess(prices, arcs)
        # A price at zero that its slope would push below zero stays put: out of the norm.
        slot[(prices.slot <= 0) & (slot < 0)] = 0.0
        stock[(prices.stock <= 0) & (stock < 0)] = 0.0
        if prices.reserve <= 0 and reserve < 0:
            reserve = 0.0
        if direction is not None:
            slot = slot + DEFLECTION * direction[0]
            stock = stock + DEFLECTION * direction[1]
            reserve += DEFLECTION * direction[2]
        direction = (slot, stock, reserve)
        norm = float((slot**2).sum() + (stock**2).sum() + reserve**2)
        if norm == 0:
            break  # every headcount and stock met exactly: no step improves on these prices
        step = scale * (target - value) / norm
        prices = Prices(
            np.maximum(0.0, prices.slot + step * slot),
            prices.cover,
            np.maximum(0.0, prices.stock + step * stock),
            max(0.0, prices.reserve + step * reserve),
        )
    return best, steps


class _KitRows:
    """Distinct sets of allowed stocks, as rows of a padded matrix for cheapest-price lookups
    (padding: a stock priced inf; a kit-free set holds one priced 0)."""

    def __init__(self, sets: list[tuple[int, ...]], n_stocks: int) -> None:
        ids: dict[tuple[int, ...], int] = {}
        self.row = np.array([ids.setdefault(t, len(ids)) for t in sets], dtype=np.int64)
        self.sets = list(ids)
        width = max((len(t) for t in ids), default=1) or 1
        self.matrix = np.full((max(1, len(ids)), width), n_stocks, dtype=np.int64)
        for t, i in ids.items():
            if t:
                self.matrix[i, : len(t)] = t
            else:
                self.matrix[i, 0] = n_stocks + 1

    def cheapest(self, prices: np.ndarray) -> np.ndarray:
        """Per row, its cheapest stock's price."""
        return np.r_[prices, INF, 0.0][self.matrix].min(axis=1)

    def cheapest_stock(self, prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row, its cheapest stock (past the stocks' indexes where it needs no kit) and
        that stock's price."""
        padded = np.r_[prices, INF, 0.0]
        rows = np.arange(len(self.matrix))
        stock = self.matrix[rows, padded[self.matrix].argmin(axis=1)]
        return stock, padded[stock]


class _Master:
    """The LP over known weeks: each volunteer at most one week, each slot at most its
    headcount, exactly `covered` heads (a costly slack keeps it feasible from the start); the
    kits each set of allowed stocks needs drawn from those stocks, none beyond its quantity,
    and no more city-reserve kits than the cap."""

    def __init__(self, w: Weeks) -> None:
        self.w = w
        net = w.net
        p = net.p
        lp = self.lp = pywraplp.Solver.CreateSolver("GLOP")
        inf = lp.infinity()
        self.vol = [lp.RowConstraint(-inf, 1.0, "") for _ in p.volunteers]
        self.slot = [lp.RowConstraint(-inf, float(h), "") for h in w.head]
        self.cover = lp.RowConstraint(float(net.covered), float(net.covered), "")
        self.obj = lp.Objective()
        self.obj.SetMinimization()
        self.stock = [lp.RowConstraint(-inf, q, "") for q in w.qty.tolist()]
        self.reserve = (
            lp.RowConstraint(-inf, float(w.reserve_cap), "") if w.reserve_cap is not None else None
        )
        self.kit = []  # per set of allowed stocks: kits needed less kits drawn <= 0
        for stocks in w.kits.sets:
            row = lp.RowConstraint(-inf, 0.0, "")
            for k in stocks:
                z = lp.NumVar(0.0, inf, "")
                row.SetCoefficient(z, -1.0)
                self.stock[k].SetCoefficient(z, 1.0)
                if self.reserve is not None and w.is_city[k]:
                    self.reserve.SetCoefficient(z, 1.0)
            self.kit.append(row if stocks else None)
        for i, si in enumerate(w.out_slots.tolist()):
            kits = [int(w.out_row[i])]
            self._column(float(w.out_cost[i]), [si], kits, vol=None, ub=float(w.head[si]))
        # A head from nowhere, dearer than any week could make it.
        dear = float(w.base.max(initial=0.0) + net.fairness * (2 * w.days + 1)) * 10 + 1
        slack = lp.NumVar(0.0, inf, "")
        self.obj.SetCoefficient(slack, dear)
        self.cover.SetCoefficient(slack, 1.0)
        pairs = zip(net.av.tolist(), net.asl.tolist(), strict=True)
        self.arc = {pair: j for j, pair in enumerate(pairs)}
        self.seen: set[tuple[int, tuple[int, ...]]] = set()
        self.value = INF

    def _column(
        self, cost: float, slots: list[int], kits: list[int], *, vol: int | None, ub: float
    ) -> None:
        x = self.lp.NumVar(0.0, ub, "")
        self.obj.SetCoefficient(x, cost)
        if vol is not None:
            self.vol[vol].SetCoefficient(x, 1.0)
        for s in slots:
            self.slot[s].SetCoefficient(x, 1.0)
        self.cover.SetCoefficient(x, float(len(slots)))
        for g in kits:
            row = self.kit[g]
            if row is not None:
                row.SetCoefficient(x, row.GetCoefficient(x) + 1.0)

    def add(self, weeks: Iterable[tuple[int, tuple[int, ...]]]) -> int:
        """Add each new week (its slots outside the volunteer's lists dropped); how many."""
        added = 0
        for v, slots in weeks:
            kept = tuple(sorted(s for s in slots if (v, s) in self.arc))
            if not kept or (v, kept) in self.seen:
                continue
            self.seen.add((v, kept))
            cost = sum(float(self.w.base[self.arc[(v, s)]]) for s in kept)
            cost += float(self.w.fair[len(kept)]) if len(kept) < len(self.w.fair) else INF
            if cost < INF:
                kits = [int(self.w.arc_row[self.arc[(v, s)]]) for s in kept]
                self._column(cost, list(kept), kits, vol=v, ub=self.lp.infinity())
                added += 1
        return added

    def add_arcs(self, arcs: np.ndarray) -> int:
        """Add the weeks these arcs make, volunteer by volunteer."""
        net = self.w.net
        by_v: dict[int, list[int]] = {}
        for v, s in zip(net.av[arcs].tolist(), net.asl[arcs].tolist(), strict=True):
            by_v.setdefault(v, []).append(s)
        return self.add((v, tuple(ss)) for v, ss in by_v.items())

    def solve(self, seconds: float) -> Prices | None:
        """The LP's duals as prices, None if it did not solve to optimality in time."""
        if seconds <= 0:
            return None
        self.lp.SetTimeLimit(max(1, int(seconds * 1000)))
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        self.value = self.obj.Value()

        def prices(rows: list[pywraplp.Constraint]) -> np.ndarray:
            return np.maximum(0.0, -np.array([c.dual_value() for c in rows], dtype=float))

        reserve = 0.0 if self.reserve is None else float(prices([self.reserve])[0])
        return Prices(
            prices(self.slot), float(self.cover.dual_value()), prices(self.stock), reserve
        )
