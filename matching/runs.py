"""One person's days worked, by dynamic programming over run states.

The state after each day is the current run (working or off, its length capped, and whether
it touches day 0 and is so exempt from minimums) and the weekends worked so far; for each state
the reachable numbers of days worked are kept as the bits of one integer. A pattern meeting the
run rules, the weekend cap and a range of days worked is then read back from the last day,
preferring to work where `gain` is positive.
"""

from __future__ import annotations

import random

State = tuple[int, int, int]  # (1 working / 0 off / -1 before day 0, run length, exempt)
START: State = (-1, 0, 1)


def _step(s: State, work: bool, hi: int | None, lo_w: int, lo_o: int) -> State | None:
    kind, k, exempt = s
    if kind == -1:
        return (1, 1, 1) if work else (0, 1, 1)
    if kind == 1:
        if work:
            if hi is not None and k >= hi:
                return None
            return (1, min(k + 1, hi if hi is not None else lo_w), exempt)
        return (0, 1, 0) if exempt or k >= lo_w else None
    if work:
        return (1, 1, 0) if exempt or k >= lo_o else None
    return (0, min(k + 1, lo_o), exempt)


def day_pattern(
    *,
    available: list[bool],
    gain: list[float],
    weekend: list[int | None],
    max_run: int | None,
    min_run: int,
    min_off: int,
    max_weekends: int | None,
    least: int,
    most: int,
    rng: random.Random,
) -> list[int] | None:
    """Days worked (1) or not (0) meeting every rule given, None if there is no such pattern."""
    days = len(available)
    lo_w, lo_o = max(1, min_run), max(1, min_off)
    most = min(most, days)
    if least > most:
        return None
    mask = (1 << (most + 1)) - 1
    layers: list[dict[tuple[State, int], int]] = [{(START, 0): 1}]
    for d in range(days):
        nxt: dict[tuple[State, int], int] = {}
        for (s, used), bits in layers[-1].items():
            off = _step(s, False, max_run, lo_w, lo_o)
            if off is not None:
                nxt[(off, used)] = nxt.get((off, used), 0) | bits
            if not available[d]:
                continue
            on = _step(s, True, max_run, lo_w, lo_o)
            if on is None:
                continue
            new_weekend = weekend[d] is not None and not (
                s[0] == 1 and d > 0 and weekend[d - 1] == weekend[d]
            )
            u = used + (1 if new_weekend and max_weekends is not None else 0)
            if max_weekends is not None and u > max_weekends:
                continue
            shifted = (bits << 1) & mask
            if shifted:
                nxt[(on, u)] = nxt.get((on, u), 0) | shifted
        layers.append(nxt)
    wanted = ((1 << (most + 1)) - 1) ^ ((1 << least) - 1)
    ends = [(key, bits & wanted) for key, bits in layers[-1].items() if bits & wanted]
    if not ends:
        return None
    key, bits = rng.choice(ends)
    counts = [c for c in range(least, most + 1) if bits >> c & 1]
    c = max(counts) if rng.random() < 0.5 else rng.choice(counts)
    out = [0] * days
    for d in range(days - 1, -1, -1):
        options = []
        for (s, used), pbits in layers[d].items():
            for work in (False, True):
                if work and not available[d]:
                    continue
                t = _step(s, work, max_run, lo_w, lo_o)
                if t is None:
                    continue
                u = used
                same = s[0] == 1 and d > 0 and weekend[d - 1] == weekend[d]
                if work and max_weekends is not None and weekend[d] is not None and not same:
                    u += 1
                prev = c - int(work)
                if (t, u) == key and prev >= 0 and pbits >> prev & 1:
                    options.append(((s, used), work))
        if not options:
            return None  # cannot happen: every kept state has a predecessor
        lean = gain[d] > 0
        preferred = [o for o in options if o[1] == lean]
        (key, work) = rng.choice(preferred if preferred and rng.random() < 0.8 else options)
        out[d] = int(work)
        c -= int(work)
    return out


def best_day_pattern(
    *,
    available: list[bool],
    gain: list[float],
    weekend: list[int | None],
    max_run: int | None,
    min_run: int,
    min_off: int,
    max_weekends: int | None,
    least: int,
    most: int,
    rng: random.Random,
) -> list[int] | None:
    """Like `day_pattern`, but the pattern of greatest total `gain` over the days worked (ties
    broken at random), by dynamic programming over (run state, weekends, days worked)."""
    days = len(available)
    lo_w, lo_o = max(1, min_run), max(1, min_off)
    most = min(most, days)
    if least > most:
        return None
    gain = [g + 1e-6 * rng.random() for g in gain]
    layer: dict[tuple[State, int, int], float] = {(START, 0, 0): 0.0}
    back: list[dict[tuple[State, int, int], tuple[State, int, int]]] = []
    for d in range(days):
        nxt: dict[tuple[State, int, int], float] = {}
        came: dict[tuple[State, int, int], tuple[State, int, int]] = {}
        for key, value in layer.items():
            s, used, n = key
            for work in (False, True):
                if work and (not available[d] or n >= most):
                    continue
                t = _step(s, work, max_run, lo_w, lo_o)
                if t is None:
                    continue
                u = used
                same = s[0] == 1 and d > 0 and weekend[d - 1] == weekend[d]
                if work and max_weekends is not None and weekend[d] is not None and not same:
                    u += 1
                    if u > max_weekends:
                        continue
                to = (t, u, n + int(work))
                v = value + (gain[d] if work else 0.0)
                if to not in nxt or v > nxt[to]:
                    nxt[to] = v
                    came[to] = key
        back.append(came)
        layer = nxt
    ends = [key for key in layer if key[2] >= least]
    if not ends:
        return None
    key = max(ends, key=layer.__getitem__)
    out = [0] * days
    for d in range(days - 1, -1, -1):
        prev = back[d][key]
        out[d] = key[2] - prev[2]
        key = prev
    return out


def pattern_states(
    days: int, max_run: int | None, min_run: int, min_off: int, max_weekends: int | None, most: int
) -> int:
    """An upper estimate of the work of `best_day_pattern` (states times days)."""
    runs = 2 * ((max_run or max(1, min_run)) + max(1, min_off)) + 1
    return days * runs * ((max_weekends or 0) + 1) * (min(most, days) + 1)
