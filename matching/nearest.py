"""Nearest eligible volunteers per slot, with every filter as a boolean array over volunteers.

A slot's eligible volunteers are the AND of a few arrays: free for its shift window (availability,
days off, health), holding its skill, certified for its post on its day, and able to draw its kit
from some stock that day. Each post sorts volunteers by travel once; each of its slots then takes
the first `reach` that pass its filters. Vectorised, this is fast enough at city scale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matching.candidates import StockIndex
from matching.problem import (
    MINUTES_PER_DAY,
    Post,
    Problem,
    Slot,
    travel_units,
    travel_units_apart,
)

Bools = np.ndarray


@dataclass(frozen=True, slots=True)
class Nearest:
    """A slot's nearest eligible volunteers, by travel, and whether anyone else is eligible."""

    volunteers: tuple[int, ...]
    travel: tuple[int, ...]
    stocks: tuple[tuple[int, ...], ...]
    complete: bool  # True: no other volunteer is eligible
    beyond: int  # every other eligible volunteer is at least this far (travel units)

    def first(self, k: int) -> Nearest:
        """The nearest `k` of these."""
        if len(self.volunteers) <= k:
            return self
        return Nearest(
            self.volunteers[:k], self.travel[:k], self.stocks[:k], False, self.travel[k - 1]
        )


class Filters:
    """The per-placement eligibility filters as cached boolean arrays over volunteers."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        vols = problem.volunteers
        self.n = len(vols)
        self.days = max(problem.days, max((s.day for s in problem.slots), default=0) + 1)
        free = np.ones((self.days, self.n), dtype=bool)
        for i, v in enumerate(vols):
            for d in v.days_off | v.unwell_days:
                if 0 <= d < self.days:
                    free[d, i] = False
        self._free_day = free
        # Availability intervals flattened: volunteer index, start, end.
        iv, lo, hi = [], [], []
        self._always = np.zeros(self.n, dtype=bool)
        for i, v in enumerate(vols):
            if v.availability is None:
                self._always[i] = True
                continue
            for a, b in v.availability:
                iv.append(i)
                lo.append(a)
                hi.append(b)
        self._iv = np.array(iv, dtype=np.int64)
        self._lo = np.array(lo, dtype=np.int64)
        self._hi = np.array(hi, dtype=np.int64)
        certs: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        big = 1 << 40
        for i, v in enumerate(vols):
            for c in v.certificates:
                first = -big if c.first_day is None else c.first_day
                last = big if c.last_day is None else c.last_day
                certs[c.kind].append((i, first, last))
        self._certs = {k: np.array(rows, dtype=np.int64) for k, rows in certs.items()}
        units = sorted({v.unit for v in vols if v.unit is not None})
        self._unit_ix = {u: j for j, u in enumerate(units)}
        self.unit_of = np.array(
            [self._unit_ix[v.unit] if v.unit is not None else -1 for v in vols], dtype=np.int64
        )
        supply: dict[tuple[str | None, str, int], bool] = {}
        for k in problem.stocks:
            if k.quantity > 0:
                supply[(k.owner, k.item, k.day)] = True
        self._supply = supply
        self._units = units
        self.stocks = StockIndex(problem)
        self._cache: dict[tuple, Bools] = {}

    def _cached(self, key: tuple, make: Callable[[], Bools]) -> Bools:
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = make()
        return got

    def window(self, start: int, end: int) -> Bools:
        """Free for the whole window [start, end) and not off or unwell on its day."""

        def make() -> Bools:
            inside = (self._lo <= start) & (end <= self._hi)
            ok = np.bincount(self._iv[inside], minlength=self.n) > 0
            ok |= self._always
            day = start // MINUTES_PER_DAY
            if 0 <= day < self.days:
                ok &= self._free_day[day]
            return ok

        return self._cached(("w", start, end), make)

    def skill(self, skill: str) -> Bools:
        """Holds `skill`."""
        return self._cached(
            ("s", skill),
            lambda: np.array([skill in v.skills for v in self.p.volunteers], dtype=bool),
        )

    def certified(self, kinds: frozenset[str], day: int) -> Bools:
        """Holds every certificate in `kinds`, valid on `day`."""

        def make() -> Bools:
            ok = np.ones(self.n, dtype=bool)
            for kind in kinds:
                rows = self._certs.get(kind)
                if rows is None:
                    return np.zeros(self.n, dtype=bool)
                valid = (rows[:, 1] <= day) & (day <= rows[:, 2])
                ok &= np.bincount(rows[valid, 0], minlength=self.n) > 0
            return ok

        return self._cached(("c", kinds, day), make)

    def kit(self, item: str, day: int, using_unit: str | None) -> Bools:
        """Some stock allowed to equip the volunteer has `item` on `day`."""

        def make() -> Bools:
            if self._supply.get((None, item, day)):
                return np.ones(self.n, dtype=bool)  # the city reserve may equip anyone
            unit_ok = np.array([bool(self._supply.get((u, item, day))) for u in self._units] + [0])
            social = bool(using_unit is not None and self._supply.get((using_unit, item, day)))
            unit_ok[-1] = social  # index -1: social volunteers, equipped by the using unit
            return unit_ok[self.unit_of].astype(bool)

        return self._cached(("k", item, day, using_unit), make)


def _passes(f: Filters, s: Slot, post: Post, among: np.ndarray) -> Bools:
    """Which of the volunteers `among` pass every filter for s (taken on those alone: the
    nearest few thousand, not every volunteer)."""
    ok = f.window(s.start, s.end)[among]
    if s.skill is not None:
        ok &= f.skill(s.skill)[among]
    if post.required_certificates:
        ok &= f.certified(post.required_certificates, s.day)[among]
    if s.kit is not None:
        ok &= f.kit(s.kit, s.day, post.using_unit)[among]
    return ok


def nearest_eligible(
    problem: Problem, *, reach: int = 40, only: set[int] | None = None
) -> list[Nearest]:
    """For every slot (or those in `only`), up to `reach` nearest eligible volunteers, nearest
    first; slots not in `only` get empty lists."""
    p = problem
    f = Filters(p)
    n = len(p.volunteers)
    homes = np.array([v.home for v in p.volunteers], dtype=float).reshape(n, 2)
    xs, ys = homes[:, 0].copy(), homes[:, 1].copy()  # contiguous: a fifth of the time per post
    posts = {post.id: post for post in p.posts}
    by_post: dict[str, list[int]] = defaultdict(list)
    for si, s in enumerate(p.slots):
        if only is None or si in only:
            by_post[s.post].append(si)
    tables: dict[tuple[str, int], dict[int, tuple[int, ...]]] = {}
    owner = f.unit_of  # a volunteer's unit (index), -1 if social
    users: dict[str | None, int] = {}
    out: list[Nearest] = [Nearest((), (), (), True, 0)] * len(p.slots)
    # Each post first looks among its nearest `near` volunteers, then among all if too few pass.
    near = min(n, max(2_000, 40 * reach))
    for pid, sids in by_post.items():
        post = posts[pid]
        if n == 0:
            break
        dx, dy = xs - post.location[0], ys - post.location[1]
        travel = travel_units_apart(dx, dy)
        if near < n:
            part = np.argpartition(travel, near - 1)[:near]
            order = part[np.lexsort((part, travel[part]))]
        else:
            order = np.lexsort((np.arange(n), travel))
        full_order: np.ndarray | None = order if near >= n else None
        chosen: list[tuple[int, np.ndarray, bool]] = []
        social = -1 - users.setdefault(post.using_unit, len(users))  # its social volunteers' key
        for si in sids:
            s = p.slots[si]
            use = order
            hits = np.flatnonzero(_passes(f, s, post, use))
            if len(hits) < reach + 1 and full_order is None:
                full_order = np.lexsort((np.arange(n), travel))
            if len(hits) < reach + 1 and full_order is not None:
                use = full_order
                hits = np.flatnonzero(_passes(f, s, post, use))
            chosen.append((si, use[hits[:reach]], len(hits) <= reach and use is full_order))
        # The post's slots mostly choose among the same volunteers: each exact travel once.
        ids = np.unique(np.concatenate([c for _, c, _ in chosen])).tolist() if chosen else []
        known = {vi: travel_units(p.volunteers[vi].home, post.location) for vi in ids}
        for si, picked, complete in chosen:
            s = p.slots[si]
            vis = tuple(picked.tolist())
            ts = tuple(map(known.__getitem__, vis))
            if ts != tuple(travel[picked].tolist()):  # rounding differs: order by exact travel
                exact = sorted(zip(ts, vis, strict=True))
                vis, ts = tuple(vi for _, vi in exact), tuple(t for t, _ in exact)
            if s.kit is None:
                stocks: tuple[tuple[int, ...], ...] = ((),) * len(vis)
            else:
                # Who may equip a volunteer depends on their unit alone (social: the post's).
                table = tables.setdefault((s.kit, s.day), {})
                mine = owner[list(vis)]
                units = np.where(mine < 0, social, mine).tolist()
                for u, vi in zip(units, vis, strict=True):
                    if u not in table:
                        table[u] = f.stocks.allowed(p.volunteers[vi], s, post)
                stocks = tuple(map(table.__getitem__, units))
            out[si] = Nearest(vis, ts, stocks, complete, ts[-1] if ts and not complete else 0)
    return out
