"""One person's cheapest schedule at given prices, by an exact dynamic programme (compiled).

Pricing a ward's columns (`matching.columns`) asks, every round and for every person, for the
schedule of least cost under that person's rules alone. The rules of a ward bind along the days
through a small state: the current run (a day off, or the last shift's type as far as what may
follow it goes, the run's length capped, whether it touches day 0 and so is exempt from the
minimums), the weekends worked, the minutes worked (in units of their greatest common divisor)
and the shifts of each capped type. Over the Curtois & Qu wards that state has a few thousand to
some tens of thousands of values, and one pass over the days finds the optimum exactly, where
CP-SAT needed tens of milliseconds a person for a good schedule and up to seconds to prove it
the cheapest.

Rules outside that state (minutes over periods shorter than the horizon), or a state too large,
leave the person to CP-SAT: `Pricer.of` returns None for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from matching.problem import Rules

INF = 1e18
# A person's state space above this many values (times days) is left to CP-SAT.
MOST_STATES = 2_000_000
MOST_OPTIONS = 30_000  # slots a day (the options taken are kept as 16-bit integers)


@njit(cache=True)
def _passes(
    cost: np.ndarray,
    opt_type: np.ndarray,
    opt_mu: np.ndarray,
    n_opt: np.ndarray,
    follows: np.ndarray,
    group: np.ndarray,
    weekend: np.ndarray,
    hi: int,
    lo_w: int,
    lo_o: int,
    run_w: int,
    runs: int,
    weekends_on: bool,
    n_w: int,
    n_m: int,
    cap_stride: np.ndarray,
    cap_top: np.ndarray,
    n_c: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward pass over the days: the least cost of every state after the last day, and per
    day and state the state it came from and the option taken (-1: off, else option index).

    State (last, r, f, w, m, c) flattened: last 0 off or 1 + the last shift type's group (types
    that forbid the same followers share one), r the run's length less one
    (capped), f exempt from minimums, w weekends worked, m minute units, c capped-type counts
    (mixed radix)."""
    days = cost.shape[0]
    n_last_values = follows.shape[0] + 1
    size = n_last_values * runs * 2 * n_w * n_m * n_c
    value = np.full(size, INF)
    came = np.full((days, size), -1, dtype=np.int32)
    took = np.full((days, size), -2, dtype=np.int16)
    nxt = np.full(size, INF)
    for d in range(days):
        nxt[:] = INF
        same_weekend = d > 0 and weekend[d] >= 0 and weekend[d - 1] == weekend[d]
        first = d == 0
        for s in range(size if not first else 1):
            if first:
                base = 0.0
                last = 0
                r = lo_o - 1
                f = 1
                w = 0
                m = 0
                c = 0
            else:
                base = value[s]
                if base >= INF:
                    continue
                rest = s
                c = rest % n_c
                rest //= n_c
                m = rest % n_m
                rest //= n_m
                w = rest % n_w
                rest //= n_w
                f = rest % 2
                rest //= 2
                r = rest % runs
                last = rest // runs
            # A day off.
            if last == 0:
                n_last, nr, nf = 0, min(r + 1, lo_o - 1), f
                if first:
                    nr = 0
                ok = True
            else:
                n_last, nr, nf = 0, 0, 0
                ok = f == 1 or r + 1 >= lo_w
            if ok:
                t = (((n_last * runs + nr) * 2 + nf) * n_w + w) * n_m + m
                t = t * n_c + c
                if base < nxt[t]:
                    nxt[t] = base
                    came[d, t] = s
                    took[d, t] = -1
            # A shift.
            for o in range(n_opt[d]):
                ty = opt_type[d, o]
                if last == 0:
                    if not (first or f == 1 or r + 1 >= lo_o):
                        continue
                    nr = 0
                    nf = 1 if first else 0
                    new_weekend = weekend[d] >= 0
                else:
                    if not follows[last - 1, ty]:
                        continue
                    if hi > 0 and r + 1 >= hi:
                        continue
                    nr = min(r + 1, run_w - 1)
                    nf = f
                    new_weekend = weekend[d] >= 0 and not same_weekend
                nw = w
                if new_weekend and weekends_on:
                    nw = w + 1
                    if nw >= n_w:
                        continue
                nm = m + opt_mu[d, o]
                if nm >= n_m:
                    continue
                nc = c
                stride = cap_stride[ty]
                if stride > 0:
                    if (c // stride) % (cap_top[ty] + 1) == cap_top[ty]:
                        continue
                    nc = c + stride
                t = ((((1 + group[ty]) * runs + nr) * 2 + nf) * n_w + nw) * n_m + nm
                t = t * n_c + nc
                v = base + cost[d, o]
                if v < nxt[t]:
                    nxt[t] = v
                    came[d, t] = s
                    took[d, t] = o
        value[:] = nxt
    return value, came, took


@njit(cache=True)
def _trace(came: np.ndarray, took: np.ndarray, end: int) -> np.ndarray:
    """The option taken on each day (-1: off) on the way to state `end` after the last day."""
    days = came.shape[0]
    out = np.empty(days, dtype=np.int64)
    s = end
    for d in range(days - 1, -1, -1):
        out[d] = took[d, s]
        s = came[d, s]
    return out


@dataclass
class Pricer:
    """One person's rules and options, laid out for `_passes`."""

    slots: np.ndarray  # [day, option] -> slot
    opt_type: np.ndarray
    opt_mu: np.ndarray
    n_opt: np.ndarray
    follows: np.ndarray  # [group, type] -> the type may follow the group's types the next day
    group: np.ndarray  # [type] -> group: types that forbid the same followers
    weekend: np.ndarray  # weekend index per day, -1 on weekdays
    hi: int
    lo_w: int
    lo_o: int
    run_w: int
    runs: int
    weekends_on: bool  # the weekends worked are capped (then counted up to the cap)
    n_w: int
    n_m: int
    least_m: int  # the fewest minute units a schedule may end with
    cap_stride: np.ndarray
    cap_top: np.ndarray
    n_c: int

    @classmethod
    def of(
        cls,
        *,
        allowed: list[list[int]],
        kind: list[str],
        minutes: list[int],
        weekend: list[int | None],
        rules: Rules,
        forbidden: set[tuple[str, str]],
    ) -> Pricer | None:
        """The pricer of a person who may take `allowed[day]` slots, None where the rules
        reach beyond its state (minutes over periods shorter than the horizon) or the state
        is too large."""
        days = len(allowed)
        r = rules
        period = r.period_days or days
        has_minutes = r.max_minutes_per_period is not None or (
            r.min_minutes_per_period is not None and period <= days
        )
        if has_minutes and period < days:
            return None
        types = sorted({kind[si] for row in allowed for si in row})
        index = {t: i for i, t in enumerate(types)}
        width = max((len(row) for row in allowed), default=0)
        if width > MOST_OPTIONS:
            return None
        slots = np.full((days, max(width, 1)), -1, dtype=np.int64)
        opt_type = np.zeros((days, max(width, 1)), dtype=np.int64)
        opt_mu = np.zeros((days, max(width, 1)), dtype=np.int64)
        n_opt = np.array([len(row) for row in allowed], dtype=np.int64)
        unit = 0
        if has_minutes:
            for row in allowed:
                for si in row:
                    unit = math.gcd(unit, minutes[si])
        n_m, least_m = 1, 0
        if has_minutes and not unit and (r.min_minutes_per_period or 0) > 0:
            return None  # no shift at all against a minimum: CP-SAT reports it infeasible
        if has_minutes and unit:
            most = sum(max((minutes[si] for si in row), default=0) for row in allowed) // unit
            if r.max_minutes_per_period is not None:
                most = min(most, r.max_minutes_per_period // unit)
            n_m = most + 1
            if r.min_minutes_per_period is not None and period <= days:
                least_m = -(-r.min_minutes_per_period // unit)
        for d, row in enumerate(allowed):
            for o, si in enumerate(row):
                slots[d, o] = si
                opt_type[d, o] = index[kind[si]]
                opt_mu[d, o] = minutes[si] // unit if n_m > 1 else 0
        follows_type = np.ones((len(types), len(types)), dtype=np.bool_)
        for a, b in forbidden:
            if a in index and b in index:
                follows_type[index[a], index[b]] = False
        # Only what may follow the last shift matters, not its type: fewer states.
        groups: dict[tuple[bool, ...], int] = {}
        group = np.array(
            [groups.setdefault(tuple(row), len(groups)) for row in follows_type.tolist()],
            dtype=np.int64,
        )
        follows = np.ones((max(len(groups), 1), len(types)), dtype=np.bool_)
        for row, g in groups.items():
            follows[g] = row
        cap_stride = np.zeros(len(types), dtype=np.int64)
        cap_top = np.zeros(len(types), dtype=np.int64)
        n_c = 1
        # The most shifts any schedule holds: one a day, and within the most minutes.
        most_shifts = sum(bool(row) for row in allowed)
        shortest = min((minutes[si] for row in allowed for si in row), default=0)
        if r.max_minutes_per_period is not None and shortest > 0:
            most_shifts = min(most_shifts, r.max_minutes_per_period // shortest)
        for t, i in index.items():
            cap = r.max_shifts_per_type.get(t)
            open_days = sum(any(kind[si] == t for si in row) for row in allowed)
            if cap is not None and cap < min(open_days, most_shifts):
                cap_stride[i], cap_top[i] = n_c, cap
                n_c *= cap + 1
                if n_c * days > MOST_STATES:
                    return None
        weekends = [w for w in weekend if w is not None]
        cap_w = r.max_working_weekends
        weekends_on = cap_w is not None and len(set(weekends)) > cap_w
        n_w = cap_w + 1 if weekends_on else 1
        hi = r.max_consecutive_days or 0
        lo_w = max(1, r.min_consecutive_days or 1)
        lo_o = max(1, r.min_consecutive_days_off or 1)
        run_w = hi if hi else lo_w
        runs = max(run_w, lo_o)
        size = (len(groups) + 1) * runs * 2 * n_w * n_m * n_c
        if size * days > MOST_STATES:
            return None
        return cls(
            slots=slots,
            opt_type=opt_type,
            opt_mu=opt_mu,
            n_opt=n_opt,
            follows=follows,
            group=group,
            weekend=np.array([-1 if w is None else w for w in weekend], dtype=np.int64),
            hi=hi,
            lo_w=lo_w,
            lo_o=lo_o,
            run_w=run_w,
            runs=runs,
            weekends_on=weekends_on,
            n_w=n_w,
            n_m=n_m,
            least_m=least_m,
            cap_stride=cap_stride,
            cap_top=cap_top,
            n_c=n_c,
        )

    def cheapest(self, price: np.ndarray, *, many: int = 1) -> list[tuple[float, list[int]]]:
        """Up to `many` schedules ([day] -> slot or -1) of least total `price[slot]`, the
        cheapest first, each with its cost; none if no schedule meets the rules."""
        cost = np.where(self.slots >= 0, price[np.maximum(self.slots, 0)], 0.0)
        value, came, took = _passes(
            cost,
            self.opt_type,
            self.opt_mu,
            self.n_opt,
            self.follows,
            self.group,
            self.weekend,
            self.hi,
            self.lo_w,
            self.lo_o,
            self.run_w,
            self.runs,
            self.weekends_on,
            self.n_w,
            self.n_m,
            self.cap_stride,
            self.cap_top,
            self.n_c,
        )
        # Ends with too few minutes fail the minimum.
        m_of = (np.arange(len(value)) // self.n_c) % self.n_m
        value = np.where(m_of >= self.least_m, value, INF)
        ends = np.argsort(value, kind="stable")[:many]
        out = []
        for end in ends:
            if value[end] >= INF:
                break
            options = _trace(came, took, int(end))
            row = [int(self.slots[d, o]) if o >= 0 else -1 for d, o in enumerate(options)]
            if all(row != known for _, known in out):
                out.append((float(value[end]), row))
        return out
