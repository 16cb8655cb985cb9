"""One person's cheapest schedule at given prices, by an exact dynamic programme (compiled).

Pricing a ward's columns (`matching.columns`) asks, every round and for every person, for the
schedule of least cost under that person's rules alone. The rules of a ward bind along the days
through a state: the current run (a day off, or the last shift's type as far as what may follow
it goes, the run's length capped, whether it touches day 0 and so is exempt from the minimums),
the weekends worked, the minutes worked (in units of their greatest common divisor) and the
shifts of each capped type.

The moves between states with the caps left out, on some path from the first day to a valid
end, do not depend on the prices: each pricer finds them once (`_edges`; a few hundred a day on
Curtois & Qu instances 1-12). At each round's prices a backward pass along them gives every
state the least cost of the days left, caps aside: a lower bound. The forward pass follows the
same moves carrying the capped-type counts, and keeps only the states whose cost so far plus
that bound can still end within a ceiling (in column generation, the person's dual, which the
cheapest schedule never exceeds). Each capped type multiplies the state by its cap plus one,
but few of those states survive the ceiling.

Rules outside that state (minutes over periods shorter than the horizon), or a state too large,
leave the person to CP-SAT: `Pricer.of` returns None for them.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numba import njit

from matching.problem import Rules

INF = 1e18
# A person's state space above this many values is left to CP-SAT (the forward pass keeps
# four arrays of this length).
MOST_STATES = 4_000_000
MOST_OPTIONS = 30_000  # slots a day above this leave the person to CP-SAT too


# Layout of the integer parameters handed to the compiled passes.
HI, LO_W, LO_O, RUN_W, RUNS, WEEKENDS_ON, N_W, N_M, N_C = range(9)


@njit(cache=True)
def _to(
    d: int,
    s: int,
    o: int,
    opt_type: np.ndarray,
    opt_mu: np.ndarray,
    follows: np.ndarray,
    group: np.ndarray,
    weekend: np.ndarray,
    cap_stride: np.ndarray,
    cap_top: np.ndarray,
    p: np.ndarray,
) -> int:
    """The state after day `d` from state `s` (the state after day d - 1; none on day 0) by
    option `o` (-1: a day off); -1 where the rules forbid it.

    State (last, r, f, w, m, c) flattened: last 0 off or 1 + the last shift type's group (types
    that forbid the same followers share one), r the run's length less one (capped), f exempt
    from minimums, w weekends worked, m minute units, c capped-type counts (mixed radix, the
    lowest digits, so that s // n_c is the state with the caps left out)."""
    runs, n_w, n_m, n_c = p[RUNS], p[N_W], p[N_M], p[N_C]
    lo_w, lo_o = p[LO_W], p[LO_O]
    first = d == 0
    if first:
        last, r, f, w, m, c = 0, lo_o - 1, 1, 0, 0, 0
    else:
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
    if o < 0:
        if last == 0:
            nr = 0 if first else min(r + 1, lo_o - 1)
            nf = f
        elif f == 1 or r + 1 >= lo_w:
            nr, nf = 0, 0
        else:
            return -1
        return ((((nr * 2 + nf) * n_w + w) * n_m + m) * n_c) + c
    ty = opt_type[d, o]
    if last == 0:
        if not (first or f == 1 or r + 1 >= lo_o):
            return -1
        nr = 0
        nf = 1 if first else 0
        new_weekend = weekend[d] >= 0
    else:
        if not follows[last - 1, ty]:
            return -1
        if p[HI] > 0 and r + 1 >= p[HI]:
            return -1
        nr = min(r + 1, p[RUN_W] - 1)
        nf = f
        new_weekend = weekend[d] >= 0 and weekend[d - 1] != weekend[d]
    nw = w
    if new_weekend and p[WEEKENDS_ON] == 1:
        nw = w + 1
        if nw >= n_w:
            return -1
    nm = m + opt_mu[d, o]
    if nm >= n_m:
        return -1
    nc = c
    stride = cap_stride[ty]
    if stride > 0:
        if (c // stride) % (cap_top[ty] + 1) == cap_top[ty]:
            return -1
        nc = c + stride
    return (((((1 + group[ty]) * runs + nr) * 2 + nf) * n_w + nw) * n_m + nm) * n_c + nc


@njit(cache=True)
def _place(listed: np.ndarray, offsets: np.ndarray, d: int, s: int) -> int:
    """Where state `s`, live on day `d`, stands in `listed`."""
    lo = offsets[d]
    return lo + np.searchsorted(listed[lo : offsets[d + 1]], s)


@njit(cache=True)
def _edges(
    opt_type: np.ndarray,
    opt_mu: np.ndarray,
    n_opt: np.ndarray,
    follows: np.ndarray,
    group: np.ndarray,
    weekend: np.ndarray,
    p: np.ndarray,
    least_m: int,
) -> tuple[np.ndarray, ...]:
    """The moves between states with the caps left out that lie on some path from the start
    to a valid end, day by day (rows from starts[d] to starts[d + 1]): from, option, to, and
    where the bounds of `to` and of `from` are kept (each day's live states numbered from
    offsets[d]). They do not depend on the prices, so each pricer finds them once."""
    days = n_opt.shape[0]
    q = p.copy()
    q[N_C] = 1
    no_caps = np.zeros(follows.shape[1], dtype=np.int64)
    size = (follows.shape[0] + 1) * q[RUNS] * 2 * q[N_W] * q[N_M]
    reached = np.zeros((days + 1, size), dtype=np.bool_)
    reached[0, 0] = True  # (day 0 reads no state)
    for d in range(days):
        for s in range(size if d > 0 else 1):
            if reached[d, s]:
                for o in range(-1, n_opt[d]):
                    t = _to(d, s, o, opt_type, opt_mu, follows, group, weekend, no_caps, no_caps, q)
                    if t >= 0:
                        reached[d + 1, t] = True
    alive = np.zeros((days + 1, size), dtype=np.bool_)
    for s in range(size):
        alive[days, s] = reached[days, s] and s % q[N_M] >= least_m
    n = 0
    for d in range(days - 1, -1, -1):
        for s in range(size if d > 0 else 1):
            if reached[d, s]:
                for o in range(-1, n_opt[d]):
                    t = _to(d, s, o, opt_type, opt_mu, follows, group, weekend, no_caps, no_caps, q)
                    if t >= 0 and alive[d + 1, t]:
                        alive[d, s] = True
                        n += 1
    # Each day's live states in order, from offsets[d]: the bounds are kept for those alone.
    offsets = np.zeros(days + 2, dtype=np.int64)
    for d in range(days + 1):
        offsets[d + 1] = offsets[d] + alive[d, : size if d > 0 else 1].sum()
    listed = np.empty(offsets[days + 1], dtype=np.int64)
    for d in range(days + 1):
        listed[offsets[d] : offsets[d + 1]] = np.nonzero(alive[d, : size if d > 0 else 1])[0]
    e_from = np.empty(n, dtype=np.int64)
    e_opt = np.empty(n, dtype=np.int64)
    e_to = np.empty(n, dtype=np.int64)
    e_at = np.empty(n, dtype=np.int64)  # where the bound of `to` is kept
    e_back = np.empty(n, dtype=np.int64)  # where the bound of `from` is kept
    starts = np.zeros(days + 1, dtype=np.int64)
    k = 0
    for d in range(days):
        for s in range(size if d > 0 else 1):
            if alive[d, s]:
                for o in range(-1, n_opt[d]):
                    t = _to(d, s, o, opt_type, opt_mu, follows, group, weekend, no_caps, no_caps, q)
                    if t >= 0 and alive[d + 1, t]:
                        e_from[k], e_opt[k], e_to[k] = s, o, t
                        e_at[k] = _place(listed, offsets, d + 1, t)
                        e_back[k] = _place(listed, offsets, d, s)
                        k += 1
        starts[d + 1] = k
    return e_from, e_opt, e_to, e_at, e_back, starts, offsets


@njit(cache=True)
def _completions(
    cost: np.ndarray,
    e_opt: np.ndarray,
    e_at: np.ndarray,
    e_back: np.ndarray,
    starts: np.ndarray,
    offsets: np.ndarray,
) -> np.ndarray:
    """Per day and live state without the caps (numbered as `_edges` does) the least cost of
    the days from that day on to a valid end, the caps left out: a lower bound with them. One
    backward pass over the moves."""
    days = cost.shape[0]
    back = np.full(offsets[days + 1], INF)
    back[offsets[days] : offsets[days + 1]] = 0.0
    for d in range(days - 1, 0, -1):
        for k in range(starts[d], starts[d + 1]):
            o = e_opt[k]
            v = back[e_at[k]] + (cost[d, o] if o >= 0 else 0.0)
            if v < back[e_back[k]]:
                back[e_back[k]] = v
    return back


@njit(cache=True)
def _grown(a: np.ndarray, need: int) -> np.ndarray:
    if need <= a.shape[0]:
        return a
    out = np.empty(max(need, 2 * a.shape[0]), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def _forward(
    cost: np.ndarray,
    opt_type: np.ndarray,
    e_from: np.ndarray,
    e_opt: np.ndarray,
    e_to: np.ndarray,
    e_at: np.ndarray,
    e_starts: np.ndarray,
    cap_stride: np.ndarray,
    cap_top: np.ndarray,
    n_c: int,
    back: np.ndarray,
    upper: float,
    value: np.ndarray,
    nxt: np.ndarray,
    came: np.ndarray,
    took: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Forward pass along `_edges`' moves, the capped-type counts carried beside them, over
    the states reached at a cost that may still end at most `upper` (by `back`'s bound on the
    rest): the end states and their least costs, and per day (rows from starts[d] to
    starts[d + 1], sorted by state) each state reached, the state it came from and the option
    taken. `value` and `nxt` are scratch, all INF on entry and on return; `came` and `took`
    scratch of the same length."""
    days = cost.shape[0]
    live = np.zeros(1, dtype=np.int64)  # day 0 starts from one state (not read)
    n_live = 1
    new = np.empty(1024, dtype=np.int64)
    rec_state = np.empty(4096, dtype=np.int64)
    rec_came = np.empty(4096, dtype=np.int64)
    rec_took = np.empty(4096, dtype=np.int64)
    starts = np.zeros(days + 1, dtype=np.int64)
    k = 0
    for d in range(days):
        n_new = 0
        j = e_starts[d]  # the live states come sorted, so their moves are met in order
        last_j = e_starts[d + 1]
        for i in range(n_live):
            s = live[i]
            base = 0.0 if d == 0 else value[s]
            free = s // n_c
            c = s - free * n_c
            while j < last_j and e_from[j] < free:
                j += 1
            m = j
            while m < last_j and e_from[m] == free:
                o = e_opt[m]
                t_free = e_to[m]
                rest = back[e_at[m]]
                m += 1
                nc = c
                v = base
                if o >= 0:
                    stride = cap_stride[opt_type[d, o]]
                    if stride > 0:
                        top = cap_top[opt_type[d, o]]
                        if (c // stride) % (top + 1) == top:
                            continue
                        nc = c + stride
                    v += cost[d, o]
                if v + rest > upper:
                    continue
                t = t_free * n_c + nc
                if v < nxt[t]:
                    if nxt[t] >= INF:
                        new = _grown(new, n_new + 1)
                        new[n_new] = t
                        n_new += 1
                    nxt[t] = v
                    came[t] = s
                    took[t] = o
        if d > 0:
            for i in range(n_live):
                value[live[i]] = INF
        live = np.sort(new[:n_new])
        n_live = n_new
        rec_state = _grown(rec_state, k + n_live)
        rec_came = _grown(rec_came, k + n_live)
        rec_took = _grown(rec_took, k + n_live)
        for i in range(n_live):
            t = live[i]
            rec_state[k] = t
            rec_came[k] = came[t]
            rec_took[k] = took[t]
            k += 1
            value[t] = nxt[t]
            nxt[t] = INF
        starts[d + 1] = k
    ends = live[:n_live].copy()
    costs = np.empty(n_live)
    for i in range(n_live):
        costs[i] = value[ends[i]]
        value[ends[i]] = INF
    return ends, costs, rec_state[:k], rec_came[:k], rec_took[:k], starts


@njit(cache=True)
def _trace(
    rec_state: np.ndarray, rec_came: np.ndarray, rec_took: np.ndarray, starts: np.ndarray, end: int
) -> np.ndarray:
    """The option taken on each day (-1: off) on the way to state `end` after the last day."""
    days = starts.shape[0] - 1
    out = np.empty(days, dtype=np.int64)
    s = end
    for d in range(days - 1, -1, -1):
        lo = starts[d]
        i = lo + np.searchsorted(rec_state[lo : starts[d + 1]], s)
        out[d] = rec_took[i]
        s = rec_came[i]
    return out


@dataclass
class Pricer:
    """One person's rules and options, laid out for the compiled passes."""

    slots: np.ndarray  # [day, option] -> slot
    opt_type: np.ndarray
    opt_mu: np.ndarray
    n_opt: np.ndarray
    follows: np.ndarray  # [group, type] -> the type may follow the group's types the next day
    group: np.ndarray  # [type] -> group: types that forbid the same followers
    weekend: np.ndarray  # weekend index per day, -1 on weekdays
    # The rules' integers in the layout `_to` reads (HI, LO_W, ... N_C): longest run, shortest
    # runs at work and off, run lengths kept, whether weekends are counted (capped), and the
    # number of values of weekends, minute units and capped-type counts.
    params: np.ndarray
    least_m: int  # the fewest minute units a schedule may end with
    cap_stride: np.ndarray
    cap_top: np.ndarray

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
                if n_c > MOST_STATES:
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
        if size > MOST_STATES:
            return None
        return cls(
            slots=slots,
            opt_type=opt_type,
            opt_mu=opt_mu,
            n_opt=n_opt,
            follows=follows,
            group=group,
            weekend=np.array([-1 if w is None else w for w in weekend], dtype=np.int64),
            params=np.array(
                [hi, lo_w, lo_o, run_w, runs, int(weekends_on), n_w, n_m, n_c], dtype=np.int64
            ),
            least_m=least_m,
            cap_stride=cap_stride,
            cap_top=cap_top,
        )

    @cached_property
    def edges(self) -> tuple[np.ndarray, ...]:
        """The moves between states with the caps left out, by `_edges`."""
        return _edges(
            self.opt_type,
            self.opt_mu,
            self.n_opt,
            self.follows,
            self.group,
            self.weekend,
            self.params,
            self.least_m,
        )

    @property
    def size(self) -> int:
        """Number of state values."""
        p = self.params
        return int((self.follows.shape[0] + 1) * p[RUNS] * 2 * p[N_W] * p[N_M] * p[N_C])

    def cheapest(
        self, price: np.ndarray, *, many: int = 1, upper: float = math.inf
    ) -> list[tuple[float, list[int]]]:
        """Up to `many` schedules ([day] -> slot or -1) of least total `price[slot]` and at most
        `upper`, the cheapest first, each with its cost; none if no schedule meets the rules
        within `upper`. A finite `upper` (a schedule known to cost that much, say) lets the
        pass drop every state that cannot end below it."""
        cost = np.where(self.slots >= 0, price[np.maximum(self.slots, 0)], 0.0)
        e_from, e_opt, e_to, e_at, e_back, e_starts, offsets = self.edges
        back = _completions(cost, e_opt, e_at, e_back, e_starts, offsets)
        value, nxt, came, took = _scratch(self.size)
        ends, costs, rec_state, rec_came, rec_took, starts = _forward(
            cost,
            self.opt_type,
            e_from,
            e_opt,
            e_to,
            e_at,
            e_starts,
            self.cap_stride,
            self.cap_top,
            int(self.params[N_C]),
            back,
            min(upper, INF / 2),
            value,
            nxt,
            came,
            took,
        )
        out = []
        for i in np.argsort(costs, kind="stable")[:many]:
            options = _trace(rec_state, rec_came, rec_took, starts, int(ends[i]))
            row = [int(self.slots[d, o]) if o >= 0 else -1 for d, o in enumerate(options)]
            out.append((float(costs[i]), row))
        return out


_local = threading.local()


def _scratch(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """This thread's scratch arrays for `_forward`, at least `size` long (values all INF)."""
    held = getattr(_local, "arrays", None)
    if held is None or len(held[0]) < size:
        held = (
            np.full(size, INF),
            np.full(size, INF),
            np.empty(size, dtype=np.int32),
            np.empty(size, dtype=np.int32),
        )
        _local.arrays = held
    return held
