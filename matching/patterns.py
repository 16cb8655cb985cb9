"""Day patterns that keep the minimum rest, so that a min-cost flow can respect it exactly.

Where everyone works at most one shift a day and shifts are ranked by the hour they start
(day, evening, night), rest holds between two working days whenever the later day's shift
starts no earlier in its day than the earlier day's did. A pattern gives each volunteer, per
day, an interval of ranks (or none) such that any choice of one shift a day within it has that
property; a flow over only the arcs the patterns allow then yields rosters that keep the rest.

The patterns come from a flow that ignores rest: each volunteer keeps as much of their part of
it as a pattern can (a dynamic programme over days), and every day without a kept shift stays
as open as the days around it allow.
"""

from __future__ import annotations

from collections.abc import Sequence

from matching.nearest import Nearest
from matching.problem import MINUTES_PER_DAY, Problem

Interval = tuple[int, int] | None  # lowest and highest rank allowed that day; None: off


def shift_ranks(problem: Problem) -> list[int] | None:
    """Each slot's rank by its start within the day, if ranking keeps the rest as described
    above for every volunteer; None where it does not (then patterns do not apply)."""
    p = problem
    rules = [p.rules_for(v) for v in p.volunteers]
    if not p.slots or not rules or any(r.max_shifts_per_day != 1 for r in rules):
        return None
    rest = max(r.min_rest_minutes for r in rules)
    ends: dict[int, int] = {}  # start within the day → latest end after that day's midnight
    for s in p.slots:
        at = s.start % MINUTES_PER_DAY
        ends[at] = max(ends.get(at, 0), at + s.minutes)
    starts = sorted(ends)
    for i, a in enumerate(starts):
        for b in starts[i:]:  # same or later start, next day
            if MINUTES_PER_DAY + b < ends[a] + rest:
                return None
        for b in starts:  # any start two days on
            if 2 * MINUTES_PER_DAY + b < ends[a] + rest:
                return None
    rank = {at: i for i, at in enumerate(starts)}
    return [rank[s.start % MINUTES_PER_DAY] for s in p.slots]


def kept_days(wanted: dict[int, int], *, days: int) -> dict[int, int]:
    """The largest part of a volunteer's wanted (day → rank) shifts whose ranks never fall
    from one working day to the next."""
    # State: rank worked the day before (-1: off); value: shifts kept so far.
    best: dict[int, tuple[int, dict[int, int]]] = {-1: (0, {})}
    for d in range(days):
        nxt: dict[int, tuple[int, dict[int, int]]] = {}
        for last, (n, kept) in best.items():
            if -1 not in nxt or n > nxt[-1][0]:
                nxt[-1] = (n, kept)  # off (or its wish dropped)
            r = wanted.get(d)
            if r is not None and r >= last and (r not in nxt or n + 1 > nxt[r][0]):
                nxt[r] = (n + 1, {**kept, d: r})
        best = nxt
    return max(best.values(), key=lambda x: x[0])[1]


def open_pattern(worked: dict[int, int], *, days: int, ranks: int) -> list[Interval]:
    """Worked days keep their rank; each stretch of free days climbs from the rank before it
    to the rank after it (with one day off first where it must fall)."""
    out: list[Interval] = [None] * days
    d = 0
    while d < days:
        if d in worked:
            out[d] = (worked[d], worked[d])
            d += 1
            continue
        e = d
        while e < days and e not in worked:
            e += 1
        lo, hi = worked.get(d - 1, 0), worked.get(e, ranks - 1)
        if lo > hi:
            out[d] = None  # a day off lets the rank fall
            lo, d = 0, d + 1
        n = e - d
        steps = [lo + round((hi - lo) * k / n) for k in range(n + 1)] if n else []
        for k in range(n):
            out[d + k] = (steps[k], steps[k + 1])
        d = e
    return out


def restrict(
    nearest: Sequence[Nearest],
    *,
    problem: Problem,
    ranks: list[int],
    patterns: list[list[Interval]],
) -> list[Nearest]:
    """Each slot's list, without the volunteers whose pattern does not allow it."""
    out = []
    for si, near in enumerate(nearest):
        s = problem.slots[si]
        day, r = s.day, ranks[si]
        keep = [
            i
            for i, v in enumerate(near.volunteers)
            if 0 <= day < len(patterns[v])
            and (iv := patterns[v][day]) is not None
            and iv[0] <= r <= iv[1]
        ]
        out.append(
            Nearest(
                tuple(near.volunteers[i] for i in keep),
                tuple(near.travel[i] for i in keep),
                tuple(near.stocks[i] for i in keep),
                near.complete,
                near.beyond,
            )
        )
    return out


def rest_keeping_lists(
    problem: Problem,
    nearest: Sequence[Nearest],
    *,
    ranks: list[int],
    worked: Sequence[tuple[int, int]],
) -> list[Nearest]:
    """The slots' lists cut to day patterns built around `worked` (volunteer, slot) pairs,
    typically a flow's that ignored rest."""
    days = max(problem.days, 1)
    wanted: dict[int, dict[int, int]] = {}
    for v, si in worked:
        day = problem.slots[si].day
        if 0 <= day < days:
            wanted.setdefault(v, {})[day] = ranks[si]
    n_ranks = max(ranks) + 1
    patterns = [
        open_pattern(kept_days(wanted.get(v, {}), days=days), days=days, ranks=n_ranks)
        for v in range(len(problem.volunteers))
    ]
    return restrict(nearest, problem=problem, ranks=ranks, patterns=patterns)
