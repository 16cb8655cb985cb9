"""A lower bound on travel + fairness that keeps each volunteer's week whole.

The min-cost flow (`matching.flow`) lets one volunteer work a night and the next morning. Here
only what couples volunteers is priced: each slot's headcount, the heads covered in all and the
kits (below). The rest falls apart into one small problem per volunteer, solved exactly by
dynamic programming over the days (`matching.weeks`): one shift a day, the minimum rest between
consecutive days, the period's cap on shifts and the convex fairness term. For any prices the
weeks' reduced costs plus the prices' constant are a lower bound (weak duality), so the bound is
honest whatever prices are tried.

Prices: first the flow's own duals (its shortest-path distances), where the weeks already give
at least the flow's bound; then, on problems small enough, column generation: a master LP over
the weeks found so far (GLOP) proposes prices, the weeks at a point between those and the best
prices so far (Wentges' smoothing) are priced and added as columns, until the LP and the bound
meet or time runs out. Its optimum is the LP over all weeks, the tightest bound of this kind.

Where the master LP is too large (county: 10,000 volunteers), the prices climb a smoothed form
of the bound instead (`matching.soft_weeks`), which approaches the same LP.

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
from matching.soft_weeks import smoothed_ascent
from matching.weeks import INF, Prices, Weeks

SMOOTHING = 0.5  # weight of the best prices so far in the point priced next


@dataclass(frozen=True)
class WeekBound:
    """The bound, how it was reached, and the flow's bound beside it."""

    value: float
    flow: float  # the min-cost flow over the start's lists (no rest across days)
    method: str  # "flow duals", "flow duals, smoothed ascent (n evaluations)", "columns (n rounds)"


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
    start_net: Network | None = None,
) -> WeekBound:
    """The weeks' bound at the flow's duals and, with `columns`, column generation from there
    until `deadline`; `weeks` (volunteer, slots) seed the master LP (a roster's, say). With
    `kit_prices` (per stock, per reserve kit: a Lagrangian's, say) the flow's duals at those
    prices are tried too, and the better start kept. Without `columns` but with a `target` (a
    roster's travel + fairness, which no bound passes), the prices climb from the better start
    until `deadline` or the target. `start_net`: the same problem over shorter lists, for the
    flow's duals (a flow over every arc of deep lists takes minutes); any prices hold for
    `net`'s weeks."""
    w = Weeks(net)
    flow, start = flow_prices(start_net or net)
    best, arcs = w.bound(start)
    if kit_prices is not None:
        _, priced = flow_prices(start_net or net, *kit_prices)
        value, priced_arcs = w.bound(priced)
        if value > best:
            best, arcs, start = value, priced_arcs, priced
    if not columns:
        if target is None:
            return WeekBound(best, flow, "flow duals")
        value, _, evaluations = smoothed_ascent(w, start, deadline=deadline, target=target)
        method = f"flow duals, smoothed ascent ({evaluations} evaluations)"
        return WeekBound(max(best, value), flow, method)
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
