"""The week bound's prices climbed on a smoothed dual.

The bound at prices, Σ over volunteers of their cheapest week plus the prices' constant, is
concave but piecewise linear: subgradient steps zigzag and stall (county seed 1: 779,000 after
two minutes where the LP lies above 789,000). Here every minimum in it (over a volunteer's
weeks, over a cell's arcs, over the stocks that may supply a kit, and whether an outside head is
taken) becomes a soft minimum at a temperature τ, -τ log Σ exp(-cost / τ): a smooth concave
function that lies below the bound, within τ times the log of the choices, and whose gradient
is each row's expected use less its right-hand side (forward-backward over the days, as for a
chain's marginals, compiled in `matching.soft_days`). L-BFGS-B climbs it at falling
temperatures; the bound itself is always taken exactly (`Weeks.bound`) at the prices reached,
so it stays honest whatever τ did.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize

from matching.soft_days import soft_weeks
from matching.weeks import Prices, Weeks

# Temperatures, as shares of the median arc's cost (county: 53, so 0.5 down to 0.016): each
# stage starts from the last one's prices and gets an equal share of the time left.
TEMPERATURES = (1e-2, 3e-3, 1e-3, 3e-4)
MEMORY = 20  # L-BFGS corrections kept


class SoftWeeks:
    """The smoothed bound and its gradient, over the arcs of a `Weeks` in cell order."""

    def __init__(self, w: Weeks) -> None:
        self.w = w
        net = w.net
        order = w.order
        # Arc data in (volunteer, day, window) cell order, gathered once.
        self.base = w.base[order]
        self.slot = net.asl[order]
        self.row = w.arc_row[order]
        self.starts = np.r_[w.starts, len(order)].astype(np.int64)
        n_v = len(w.follows)
        self.first_cell = np.searchsorted(w.cells // (w.days * w.n_w), np.arange(n_v + 1))
        self.scale = float(np.median(net.cost)) if len(net.cost) else 1.0

    def value_and_gradient(
        self, prices: Prices, tau: float
    ) -> tuple[float, np.ndarray, np.ndarray, float, float]:
        """The smoothed bound at `prices` and its slope in each slot's, stock's, the reserve's
        and the cover's price."""
        w, net = self.w, self.w.net
        stock_price = np.r_[prices.stock + prices.reserve * w.is_city, np.inf, 0.0]
        offer = stock_price[w.kits.matrix]  # per kit row, its stocks' prices (inf: padding)
        kit, share = _soft_min(offer, tau)
        value, slot, rows = self._weeks(kit, prices, tau)
        # An outside arc: every head of it taken, softly, when its reduced cost is below 0.
        out = w.outside(prices, kit)
        soft_out, taken = _soft_min(np.stack([out, np.zeros_like(out)], axis=1), tau)
        heads = w.head[w.out_slots]
        value += float((heads * soft_out).sum()) + w.constant(prices)
        out_use = heads * taken[:, 0]
        worked = float(slot.sum() + out_use.sum())
        slot += np.bincount(w.out_slots, weights=out_use, minlength=len(w.head))
        rows += np.bincount(w.out_row, weights=out_use, minlength=len(offer))
        drawn = np.bincount(
            w.kits.matrix.ravel(), weights=(rows[:, None] * share).ravel(), minlength=len(w.qty) + 2
        )[: len(w.qty)]
        reserve = 0.0
        if w.reserve_cap is not None:
            reserve = float(drawn[w.is_city].sum() - w.reserve_cap)
        cover = float(net.covered) - worked
        return value, slot - w.head, drawn - w.qty, reserve, cover

    def _weeks(
        self, kit: np.ndarray, prices: Prices, tau: float
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """Σ over volunteers of the soft minimum over their weeks (`kit`: each kit row's soft
        price), and the weeks' expected heads per slot and kits per kit row."""
        w = self.w
        if not len(self.base):
            return 0.0, np.zeros(len(w.head)), np.zeros(len(kit))
        value, slot, rows = soft_weeks(
            self.base,
            self.slot,
            self.row,
            np.asarray(prices.slot, dtype=float),
            kit,
            float(prices.cover),
            self.starts,
            w.cells,
            self.first_cell,
            w.rest_follows,
            w.rest_of,
            w.most,
            w.fair,
            w.days,
            w.n_w,
            tau,
        )
        return float(value), slot, rows


def smoothed_ascent(
    w: Weeks, prices: Prices, *, deadline: float, target: float
) -> tuple[float, Prices, int]:
    """The best bound met climbing the smoothed bound from `prices` at falling temperatures
    (`target`: a roster's travel + fairness, which no bound passes), the prices giving it, and
    how many times the smoothed bound was evaluated."""
    soft = SoftWeeks(w)
    n_s, n_k = len(prices.slot), len(prices.stock)
    best, best_prices = w.bound(prices)[0], prices
    x = np.r_[prices.slot, prices.stock, prices.reserve, prices.cover]
    bounds = [(0.0, None)] * (n_s + n_k + 1) + [(None, None)]  # the cover's price is free

    def unpack(z: np.ndarray) -> Prices:
        return Prices(z[:n_s], float(z[-1]), z[n_s : n_s + n_k], float(z[-2]))

    evaluations = 0
    for i, share in enumerate(TEMPERATURES):
        if best >= target or time.monotonic() >= deadline:
            break
        until = time.monotonic() + (deadline - time.monotonic()) / (len(TEMPERATURES) - i)
        stage = _Stage(soft, unpack, tau=share * soft.scale, until=until, x=x)
        with contextlib.suppress(_OutOfTime):
            minimize(
                stage,
                x,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": 100_000, "maxcor": MEMORY, "ftol": 1e-10, "gtol": 1e-9},
            )
        x, evaluations = stage.x, evaluations + stage.evaluations
        value = w.bound(unpack(x))[0]
        if value > best:
            best, best_prices = value, unpack(x)
    return best, best_prices, evaluations


class _Stage:
    """The smoothed bound at one temperature, negated for L-BFGS-B, keeping the best point it
    was asked about (the search may be stopped between its own iterations)."""

    def __init__(
        self,
        soft: SoftWeeks,
        unpack: Callable[[np.ndarray], Prices],
        *,
        tau: float,
        until: float,
        x: np.ndarray,
    ) -> None:
        self.soft, self.unpack, self.tau, self.until = soft, unpack, tau, until
        self.x, self.lowest, self.evaluations = x, np.inf, 0

    def __call__(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        if time.monotonic() > self.until:
            raise _OutOfTime
        value, slot, stock, reserve, cover = self.soft.value_and_gradient(self.unpack(z), self.tau)
        self.evaluations += 1
        if -value < self.lowest:
            self.lowest, self.x = -value, z.copy()
        return -value, -np.r_[slot, stock, reserve, cover]


class _OutOfTime(Exception):
    """A stage's time is up (L-BFGS-B has no clock of its own)."""


def _soft_min(costs: np.ndarray, tau: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `costs` (inf: not a choice), the soft minimum and each choice's share."""
    low = costs.min(axis=1)
    with np.errstate(invalid="ignore"):
        weight = np.exp(-(costs - low[:, None]) / tau)
    weight[~np.isfinite(costs)] = 0.0
    total = weight.sum(axis=1)
    return low - tau * np.log(total), weight / total[:, None]
