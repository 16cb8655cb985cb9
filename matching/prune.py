"""Candidate pruning for large problems: per slot, the nearest eligible volunteers.

Each slot keeps the `reach` nearest eligible volunteers (for the relaxation bound, which also
learns the distance beyond which every other eligible volunteer lies), and the model keeps a
subset of those: the nearest, but at most `per_unit` from any one unit, so that local stocks
are not starved by a slot whose nearest volunteers all draw on the same unit.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from matching.candidates import Candidate, StockIndex
from matching.nearest import Nearest, nearest_eligible
from matching.problem import Problem

__all__ = ["Nearest", "nearest_eligible", "pruned_candidates"]


class _Eligibility:
    """Per-placement filters as bit masks over the problem's distinct shift windows."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.window_id: dict[tuple[int, int], int] = {}
        for s in problem.slots:
            self.window_id.setdefault((s.start, s.end), len(self.window_id))
        self.windows = sorted(self.window_id.items())  # ((start, end), id) by start
        self.starts = [w[0][0] for w in self.windows]
        self.all = (1 << len(self.window_id)) - 1
        self.day_mask: dict[int, int] = defaultdict(int)
        for (start, _), w in self.window_id.items():
            self.day_mask[start // 1440] |= 1 << w
        self.stocks = StockIndex(problem)
        self.posts = {p.id: p for p in problem.posts}
        self._base: dict[int, int] = {}
        self._cert: dict[tuple[int, frozenset[str]], int] = {}
        self._kit: dict[tuple[str | None, str], int] = {}
        supply: dict[tuple[str | None, str], set[int]] = defaultdict(set)
        for k in problem.stocks:
            if k.quantity > 0:
                supply[(k.owner, k.item)].add(k.day)
        self._supply = supply

    def base_mask(self, vi: int) -> int:
        """Windows volunteer vi is available for, not on a day off, and not unwell."""
        mask = self._base.get(vi)
        if mask is None:
            v = self.p.volunteers[vi]
            if v.availability is None:
                mask = self.all
            else:
                mask = 0
                for lo, hi in v.availability:
                    i = bisect_left(self.starts, lo)
                    while i < len(self.windows) and self.windows[i][0][0] < hi:
                        (_, end), w = self.windows[i]
                        if end <= hi:
                            mask |= 1 << w
                        i += 1
            for d in v.days_off | v.unwell_days:
                mask &= ~self.day_mask.get(d, 0)
            self._base[vi] = mask
        return mask

    def cert_mask(self, vi: int, kinds: frozenset[str]) -> int:
        """Windows on whose day volunteer vi holds every certificate in `kinds`."""
        if not kinds:
            return self.all
        key = (vi, kinds)
        mask = self._cert.get(key)
        if mask is None:
            certs = self.p.volunteers[vi].certificates
            mask = 0
            for d, dm in self.day_mask.items():
                if all(any(c.kind == k and c.valid_on(d) for c in certs) for k in kinds):
                    mask |= dm
            self._cert[key] = mask
        return mask

    def kit_mask(self, owner: str | None, item: str) -> int:
        """Windows on whose day `owner`'s stock or the city reserve has `item`."""
        key = (owner, item)
        mask = self._kit.get(key)
        if mask is None:
            days = self._supply.get((None, item), set())
            if owner is not None:
                days = days | self._supply.get((owner, item), set())
            mask = 0
            for d in days:
                mask |= self.day_mask.get(d, 0)
            self._kit[key] = mask
        return mask

    def stocks_for(self, vi: int, si: int) -> tuple[int, ...] | None:
        """Allowed stocks if vi may take si (() when no kit is needed), None if not eligible."""
        s = self.p.slots[si]
        v = self.p.volunteers[vi]
        post = self.posts[s.post]
        bit = 1 << self.window_id[(s.start, s.end)]
        if not self.base_mask(vi) & self.cert_mask(vi, post.required_certificates) & bit:
            return None
        if s.skill is not None and s.skill not in v.skills:
            return None
        if s.kit is None:
            return ()
        allowed = self.stocks.allowed(v, s, post)
        return allowed if allowed else None


def pruned_candidates(
    problem: Problem, nearest: list[Nearest], *, per_slot: int = 16, per_unit: int = 5
) -> list[Candidate]:
    """The model's candidates: per slot the nearest, at most `per_unit` from any one unit,
    at least `per_slot` (or 4 per head), plus every pinned and previous placement still eligible."""
    out = []
    keep: set[tuple[int, int]] = set()
    for si, near in enumerate(nearest):
        want = max(per_slot, 4 * problem.slots[si].headcount)
        units: dict[str | None, int] = defaultdict(int)
        n = 0
        for vi, st in zip(near.volunteers, near.stocks, strict=True):
            u = problem.volunteers[vi].unit
            if units[u] >= per_unit:
                continue
            units[u] += 1
            out.append(Candidate(vi, si, st))
            keep.add((vi, si))
            n += 1
            if n >= want:
                break
    elig = _Eligibility(problem)
    vix = {v.id: i for i, v in enumerate(problem.volunteers)}
    six = {s.id: i for i, s in enumerate(problem.slots)}
    for a in (*problem.pinned, *problem.previous):
        key = (vix.get(a.volunteer, -1), six.get(a.slot, -1))
        if key[0] < 0 or key[1] < 0 or key in keep:
            continue
        st = elig.stocks_for(*key)
        if st is not None:
            out.append(Candidate(key[0], key[1], st))
            keep.add(key)
    return out
