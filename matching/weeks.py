"""Each volunteer's cheapest week under Lagrange prices: the subproblem of the week bound.

Prices sit on what couples volunteers: each slot's headcount, the heads covered in all, each
stock's quantity and the city-reserve cap. Under them every volunteer's week is a small
problem of its own, solved exactly by dynamic programming over the days (`Weeks.weeks`): one
shift a day, the minimum rest between consecutive days, the period's cap on shifts and the
convex fairness term. `matching.soft_weeks` solves the same problem with every minimum made
soft, which gives the prices a gradient to climb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.flow import Network
from matching.problem import MINUTES_PER_DAY

INF = float("inf")


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
        self.rest_follows, self.rest_of = ok, rest_of  # the same, once per rest rule
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
        self.kits = KitRows(list(net.stocks) + out_stocks, len(p.stocks))
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
        out = self.outside(prices, kit)
        value += float((self.head[self.out_slots] * np.minimum(out, 0.0)).sum())
        return value + self.constant(prices), arcs

    def outside(self, prices: Prices, kit: np.ndarray) -> np.ndarray:
        """Per outside arc, a head's reduced cost (`kit`: each kit row's price); the bound takes
        every head of those below zero."""
        return self.out_cost + kit[self.out_row] + prices.slot[self.out_slots] - prices.cover

    def constant(self, prices: Prices) -> float:
        """The prices' own term of the bound: each price times its right-hand side."""
        value = prices.cover * self.net.covered - float((prices.slot * self.head).sum())
        value -= float((prices.stock * self.qty).sum())
        if self.reserve_cap is not None:
            value -= prices.reserve * self.reserve_cap
        return value

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


class KitRows:
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
