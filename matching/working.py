"""A mutable roster with the indexes local search needs: who works where, kits left, candidates.

Every change goes through `add` and `remove`, so the indexes stay in step; `fits` asks the
checker's own workload rules (via `matching.workload`) whether one more shift may join a week.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from matching.candidates import Candidate
from matching.problem import (
    Placement,
    Problem,
    travel_units,
    travel_units_apart,
    unfilled_weight,
)
from matching.workload import may_add


class WorkingRoster:
    """A mutable roster with the indexes the moves need."""

    def __init__(self, problem: Problem, candidates: list[Candidate], placements: list[Placement]):
        p = self.p = problem
        self.slots = p.slots
        posts = {post.id: post for post in p.posts}
        self.miss = [unfilled_weight(s, posts[s.post], p.weights) for s in p.slots]
        vix = {v.id: i for i, v in enumerate(p.volunteers)}
        six = {s.id: i for i, s in enumerate(p.slots)}
        kix = {k.id: i for i, k in enumerate(p.stocks)}
        self.city = [k.is_city_reserve for k in p.stocks]
        self.posts = posts
        self._homes: np.ndarray | None = None
        self._where: np.ndarray | None = None
        self.cands: dict[int, list[tuple[int, int, tuple[int, ...]]]] = {}
        self.allowed: dict[tuple[int, int], tuple[int, ...]] = {}
        self.add_candidates(candidates)
        self.shifts: dict[int, list[int]] = defaultdict(list)
        self.on: dict[int, dict[int, int | None]] = defaultdict(dict)  # slot → volunteer → stock
        self.users: dict[int, set[tuple[int, int]]] = defaultdict(set)  # stock → placements
        self.left = [k.quantity for k in p.stocks]
        self.need = [s.headcount for s in p.slots]
        self.day = [s.day for s in p.slots]
        self.busy: dict[int, dict[int, int]] = defaultdict(dict)  # volunteer → day → shifts
        for a in placements:
            k = kix[a.stock] if a.stock is not None else None
            self.add(vix[a.volunteer], six[a.slot], k)
        self.pinned = {(vix[a.volunteer], six[a.slot]) for a in p.pinned}
        self.before = {(vix.get(a.volunteer, -1), six.get(a.slot, -1)) for a in p.previous}
        self.published = {s for _, s in self.before}
        self.one_a_day = [p.rules_for(v).max_shifts_per_day == 1 for v in p.volunteers]
        self._kept: dict[int, list[int]] = defaultdict(list)  # slot → its published volunteers
        for v, s in self.before:
            self._kept[s].append(v)
        # Units by index (volunteers', posts' users, stock owners), each volunteer's (-1: social).
        named = {v.unit for v in p.volunteers} | {x.using_unit for x in p.posts}
        self.units = sorted((named | {k.owner for k in p.stocks}) - {None})
        self.unit_ix = {u: i for i, u in enumerate(self.units)}
        self.unit_of = np.array([self.unit_ix.get(v.unit, -1) for v in p.volunteers], np.int64)

    def add_candidates(self, candidates: list[Candidate]) -> None:
        """More candidates; each slot's list stays sorted by travel."""
        p = self.p
        new = []
        for c in candidates:
            if (c.volunteer, c.slot) not in self.allowed:
                self.allowed[(c.volunteer, c.slot)] = c.stocks
                new.append(c)
        if not new:
            return
        if self._homes is None:
            self._homes = np.array([v.home for v in p.volunteers], dtype=float)
            self._where = np.array([self.posts[s.post].location for s in p.slots], dtype=float)
        vs = np.array([c.volunteer for c in new], dtype=np.int64)
        ss = np.array([c.slot for c in new], dtype=np.int64)
        d = self._homes[vs] - self._where[ss]
        travel = travel_units_apart(d[:, 0], d[:, 1]).tolist()
        by_slot: dict[int, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)
        for c, t in zip(new, travel, strict=True):
            by_slot[c.slot].append((t, c.volunteer, c.stocks))
        for si, cs in by_slot.items():
            self.cands[si] = sorted([*self.cands.get(si, []), *cs])

    def add(self, v: int, s: int, k: int | None) -> None:
        self.shifts[v].append(s)
        busy = self.busy[v]
        busy[self.day[s]] = busy.get(self.day[s], 0) + 1
        self.on[s][v] = k
        self.need[s] -= 1
        if k is not None:
            self.left[k] -= 1
            self.users[k].add((v, s))

    def remove(self, v: int, s: int) -> int | None:
        k = self.on[s].pop(v)
        self.shifts[v].remove(s)
        self.busy[v][self.day[s]] -= 1
        self.need[s] += 1
        if k is not None:
            self.left[k] += 1
            self.users[k].discard((v, s))
        return k

    def fits(self, v: int, s: int, without: int | None = None) -> bool:
        """Volunteer v may add slot s to their shifts (less `without`) under every workload rule."""
        if self.one_a_day[v]:
            # Most candidates asked about already work that day: answer them first.
            day = self.day[s]
            if self.busy[v].get(day, 0) - (without is not None and self.day[without] == day):
                return False
        mine = [t for t in self.shifts[v] if t != without]
        if s in mine:
            return False
        shifts = [self.slots[t] for t in mine]
        return may_add(self.p, self.p.volunteers[v], shifts, self.slots[s])

    def kit_for(self, v: int, s: int) -> int | bool | None:
        """A stock with a kit left for v on s (None if s needs none); False if none has any."""
        if self.slots[s].kit is None:
            return None
        opts = [k for k in self.allowed.get((v, s), ()) if self.left[k] > 0]
        if not opts:
            return False
        return min(opts, key=lambda k: self.city[k])

    def placements(self) -> list[Placement]:
        p = self.p
        return [
            Placement(p.volunteers[v].id, p.slots[s].id, None if k is None else p.stocks[k].id)
            for s, vs in self.on.items()
            for v, k in vs.items()
        ]

    def cost(self, v: int, s: int, t: int, k: int | None) -> int:
        """What v on s (at travel t, kit from stock k) costs, fairness aside: travel, a
        city-reserve kit, an unclaimed grid, a change to the published roster (or a kept
        placement's saving)."""
        w = self.p.weights
        post = self.posts[self.slots[s].post]
        c = t * w.travel
        if k is not None and self.city[k]:
            c += w.city_reserve_kit
        if post.claimed_by is not None and self.p.volunteers[v].unit != post.claimed_by:
            c += w.unclaimed_grid
        if s in self.published:
            c += -w.change if (v, s) in self.before else w.change
        return c

    def costs(self, s: int, vols: np.ndarray, travel: np.ndarray) -> np.ndarray:
        """`cost` of each of `vols` on s (at `travel`), no kit: for many volunteers at once."""
        w = self.p.weights
        post = self.posts[self.slots[s].post]
        c = travel * w.travel
        if post.claimed_by is not None:
            claimant = self.unit_ix.get(post.claimed_by, -2)
            c = c + w.unclaimed_grid * (self.unit_of[vols] != claimant)
        if s in self.published:
            c = c + w.change - 2 * w.change * np.isin(vols, self._kept[s])
        return c


def travel(r: WorkingRoster, v: int, s: int) -> int:
    """Travel units from v's home to s's post."""
    return travel_units(r.p.volunteers[v].home, r.posts[r.slots[s].post].location)
