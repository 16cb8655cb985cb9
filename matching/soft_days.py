"""The smoothed weeks' dynamic programme over the days, compiled (numba).

Per volunteer: each (day, window) cell's arcs soft-minimised into one cell weight, the forward
and backward passes over the days in log space (states: off, or at work in a window; with k
shifts so far), and from them each arc's probability of being worked. The volunteers are
independent, so they are split between two threads; each thread sums its own slot and kit-row
use. At county size (10,000 volunteers, 2.3 M arcs over 120-deep lists) numpy took 0.27 s an
evaluation, these passes 0.045-0.09 s (more arcs weigh at prices near the optimum); the ascent's
prices improve with every evaluation it affords, and deeper lists bound tighter."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

NEG = -np.inf
THREADS = 2
# Arcs this many temperatures above their cell's cheapest weigh under e^-40 beside it: left out.
NEGLIGIBLE = 40.0


@njit(cache=True, inline="always")
def _weigh(x: float) -> float:
    """exp(x) for x <= 0, nothing for terms too small to count (and no slow underflow)."""
    return np.exp(x) if x > -NEGLIGIBLE else 0.0


@njit(cache=True, parallel=True)
def soft_weeks(
    base: np.ndarray,
    slot: np.ndarray,
    row: np.ndarray,
    slot_price: np.ndarray,
    row_price: np.ndarray,
    cover: float,
    starts: np.ndarray,
    cells: np.ndarray,
    first_cell: np.ndarray,
    follows: np.ndarray,
    group: np.ndarray,
    most: np.ndarray,
    fair: np.ndarray,
    days: int,
    n_w: int,
    tau: float,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Σ over volunteers of -tau log Σ over their weeks of exp(-cost / tau), and the weeks'
    expected heads per slot and kits per kit row (each arc's probability of being worked,
    summed).

    Arcs in cell order: arc a costs base[a] + row_price[row[a]] + slot_price[slot[a]] - cover;
    cell c (flat (volunteer, day, window) index cells[c]) holds arcs starts[c]:starts[c + 1];
    volunteer v's cells are first_cell[v]:first_cell[v + 1]. follows[group[v], a, b]: window b
    may follow window a the next day; a week holds at most most[v] shifts and costs fair[k]
    for k of them."""
    n_v = len(first_cell) - 1
    n_s, n_k = n_w + 1, len(fair)
    use = np.zeros(len(base))  # per arc: its reduced cost, then its weight in its cell
    total = np.empty(len(cells))
    slot_uses = np.zeros((THREADS, len(slot_price)))
    row_uses = np.zeros((THREADS, len(row_price)))
    values = np.zeros(THREADS)
    for part in prange(THREADS):
        cell_w = np.empty((days, n_w))
        fw = np.empty((days, n_s, n_k))
        bw = np.empty((days, n_s, n_k))
        prev = np.empty((n_s, n_k))
        end = np.empty(n_k)
        worked = np.empty((days, n_w))
        for v in range(part * n_v // THREADS, (part + 1) * n_v // THREADS):
            # Each cell's arcs: the cheapest, the sum of weights, the cell's log-weight.
            cell_w[:, :] = NEG
            for c in range(first_cell[v], first_cell[v + 1]):
                lo = np.inf
                for a in range(starts[c], starts[c + 1]):
                    r = base[a] + row_price[row[a]] + slot_price[slot[a]] - cover
                    use[a] = r
                    lo = min(lo, r)
                t = 0.0
                for a in range(starts[c], starts[c + 1]):
                    e = _weigh((lo - use[a]) / tau)
                    use[a] = e
                    t += e
                total[c] = t
                local = cells[c] - v * days * n_w
                cell_w[local // n_w, local % n_w] = -lo / tau + np.log(t)
            g = group[v]
            for k in range(n_k):
                end[k] = -fair[k] / tau if k <= most[v] else NEG
            # Forward: log-weight of the first d + 1 days ending in state s with k shifts.
            prev[:, :] = NEG
            prev[0, 0] = 0.0
            for d in range(days):
                for k in range(n_k):
                    m = NEG
                    for s in range(n_s):
                        m = max(m, prev[s, k])
                    if m == NEG:
                        fw[d, 0, k] = NEG
                        continue
                    t = 0.0
                    for s in range(n_s):
                        t += _weigh(prev[s, k] - m)
                    fw[d, 0, k] = m + np.log(t)
                for w in range(n_w):
                    fw[d, 1 + w, 0] = NEG
                    for k in range(1, n_k):
                        m = prev[0, k - 1]
                        for a in range(n_w):
                            if follows[g, a, w]:
                                m = max(m, prev[1 + a, k - 1])
                        if m == NEG or cell_w[d, w] == NEG:
                            fw[d, 1 + w, k] = NEG
                            continue
                        t = _weigh(prev[0, k - 1] - m)
                        for a in range(n_w):
                            if follows[g, a, w]:
                                t += _weigh(prev[1 + a, k - 1] - m)
                        fw[d, 1 + w, k] = m + np.log(t) + cell_w[d, w]
                prev[:, :] = fw[d]
            m = NEG
            for s in range(n_s):
                for k in range(n_k):
                    m = max(m, prev[s, k] + end[k])
            t = 0.0
            for s in range(n_s):
                for k in range(n_k):
                    t += _weigh(prev[s, k] + end[k] - m)
            log_z = m + np.log(t)
            values[part] -= tau * log_z
            # Backward: log-weight of the days after d from state s with k shifts so far.
            for s in range(n_s):
                bw[days - 1, s, :] = end
            for d in range(days - 1, 0, -1):
                for s in range(n_s):
                    for k in range(n_k):
                        m = bw[d, 0, k]
                        for w in range(n_w):
                            if k + 1 < n_k and (s == 0 or follows[g, s - 1, w]):
                                m = max(m, cell_w[d, w] + bw[d, 1 + w, k + 1])
                        if m == NEG:
                            bw[d - 1, s, k] = NEG
                            continue
                        t = _weigh(bw[d, 0, k] - m)
                        for w in range(n_w):
                            if k + 1 < n_k and (s == 0 or follows[g, s - 1, w]):
                                t += _weigh(cell_w[d, w] + bw[d, 1 + w, k + 1] - m)
                        bw[d - 1, s, k] = m + np.log(t)
            # Each cell's probability of being worked, shared among its arcs by weight.
            for d in range(days):
                for w in range(n_w):
                    t = 0.0
                    for k in range(n_k):
                        t += _weigh(fw[d, 1 + w, k] + bw[d, 1 + w, k] - log_z)
                    worked[d, w] = t
            for c in range(first_cell[v], first_cell[v + 1]):
                local = cells[c] - v * days * n_w
                share = worked[local // n_w, local % n_w] / total[c]
                for a in range(starts[c], starts[c + 1]):
                    slot_uses[part, slot[a]] += use[a] * share
                    row_uses[part, row[a]] += use[a] * share
    return values.sum(), slot_uses.sum(axis=0), row_uses.sum(axis=0)
