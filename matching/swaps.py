"""Fill open heads by short chains of moves, where no free volunteer can take them directly.

For an open head on slot s: a candidate v who is blocked only by one of their own shifts t
(same day, too little rest, weekly cap) moves from t to s, and another candidate u takes t (or t
stays open when it matters less than s); a candidate whose allowed stocks are empty gets a kit
after some other placement switches to another stock it may draw from. Every step is tested
against the checker's own workload rules and the stocks left, so the roster stays valid, and
each move fills a head, which outweighs any change in travel, kits or fairness.
"""

from __future__ import annotations

import time

from matching.candidates import Candidate
from matching.nearest import nearest_eligible
from matching.problem import Placement, Problem
from matching.working import WorkingRoster, travel

WIDE_CANDIDATES = 4_000_000  # at most this many extra candidates for the slots left short


def fill_by_moves(
    problem: Problem,
    candidates: list[Candidate],
    placements: list[Placement],
    *,
    deadline: float,
    width: int = 60,
    reach: int = 1500,
) -> list[Placement]:
    """`placements` with open heads filled by direct placements, kit switches and one-step
    ejection chains, most important heads first, until nothing more is found or `deadline`."""
    r = WorkingRoster(problem, candidates, placements)
    by_priority = sorted(range(len(r.slots)), key=lambda si: -r.miss[si])
    direct_until = max(deadline, time.monotonic() + 2.0)  # some filling after the set-up
    for n, si in enumerate(by_priority):
        if n % 256 == 0 and time.monotonic() > direct_until:
            break
        while r.need[si] > 0 and _direct(r, si):
            pass
    # Open heads may need volunteers beyond the pruned lists: look further for those slots.
    short = {si for si in range(len(r.slots)) if r.need[si] > 0}
    if short and time.monotonic() < deadline:
        # Deep lists for a few short slots, shallower for many (memory grows with the product).
        deep = max(width, min(reach, WIDE_CANDIDATES // len(short)))
        wide = nearest_eligible(problem, reach=deep, only=short)
        r.add_candidates(
            [
                Candidate(vi, si, st)
                for si in short
                for vi, st in zip(wide[si].volunteers, wide[si].stocks, strict=True)
            ]
        )
    progress = True
    while progress and time.monotonic() < deadline:
        progress = False
        open_slots = sorted(
            (si for si in range(len(r.slots)) if r.need[si] > 0), key=lambda si: -r.miss[si]
        )
        for si in open_slots:
            while r.need[si] > 0 and time.monotonic() < deadline:
                if not (
                    _cheapest(r, si, width) or _switch_kit(r, si, width) or _eject(r, si, width)
                ):
                    break
                progress = True
    return r.placements()


def _cheapest(r: WorkingRoster, s: int, width: int) -> bool:
    """The cheaper in travel of two ways to fill a head of s: the nearest free candidate, or
    a nearer candidate v leaving one of their shifts t for s while the nearest who fits takes t
    (open heads left by the first pass are often far from anyone free)."""
    direct = _nearest_free(r, s)
    best: tuple[int, int, int, int] | None = None  # (added travel, v, t, u)
    limit = direct[0] if direct is not None else 1 << 40
    for d_vs, v, _st in r.cands.get(s, [])[:width]:
        if d_vs >= limit:
            break  # v alone already costs more than the best way found
        if v in r.on[s]:
            continue
        for t in r.shifts[v]:
            if (v, t) in r.pinned or r.miss[t] < r.miss[s] or not r.fits(v, s, without=t):
                continue
            saved = d_vs - travel(r, v, t)
            for d_ut, u, _ in r.cands.get(t, [])[:width]:
                if saved + d_ut >= limit:
                    break
                if u == v or u in r.on[t] or not r.fits(u, t):
                    continue
                best, limit = (saved + d_ut, v, t, u), saved + d_ut
                break
    if best is None:
        if direct is None:
            return False
        v = direct[1]
        r.add(v, s, r.kit_for(v, s))  # type: ignore[arg-type]
        return True
    _, v, t, u = best
    kv = r.remove(v, t)
    k_s = r.kit_for(v, s)
    if k_s is not False:
        r.add(v, s, k_s)  # type: ignore[arg-type]
        k_t = r.kit_for(u, t)
        if k_t is not False and r.fits(u, t):
            r.add(u, t, k_t)  # type: ignore[arg-type]
            return True
        r.remove(v, s)
    r.add(v, t, kv)  # kits ran short on the way: nothing moves
    if direct is not None:
        r.add(direct[1], s, r.kit_for(direct[1], s))  # type: ignore[arg-type]
        return True
    return False


def _nearest_free(r: WorkingRoster, s: int) -> tuple[int, int] | None:
    """(travel, volunteer) of the nearest candidate for s who fits and can get a kit."""
    for d, v, _st in r.cands.get(s, []):
        if v not in r.on[s] and r.fits(v, s) and r.kit_for(v, s) is not False:
            return d, v
    return None


def _direct(r: WorkingRoster, s: int) -> bool:
    found = _nearest_free(r, s)
    if found is None:
        return False
    r.add(found[1], s, r.kit_for(found[1], s))  # type: ignore[arg-type]
    return True


def _switch_kit(r: WorkingRoster, s: int, width: int) -> bool:
    """A free candidate lacks a kit: move another placement onto a different allowed stock."""
    if r.slots[s].kit is None:
        return False
    for _, v, st in r.cands.get(s, [])[:width]:
        if v in r.on[s] or not r.fits(v, s):
            continue
        for k in st:
            for w, t in list(r.users[k]):
                if (w, t) in r.pinned:
                    continue
                alt = [x for x in r.allowed.get((w, t), ()) if x != k and r.left[x] > 0]
                if not alt:
                    continue
                r.remove(w, t)
                r.add(w, t, min(alt, key=lambda x: r.city[x]))
                r.add(v, s, k)
                return True
    return False


def _eject(r: WorkingRoster, s: int, width: int) -> bool:
    """A candidate v leaves one of their shifts t for s; u takes t, or t matters less than s."""
    for _, v, _st in r.cands.get(s, [])[:width]:
        if v in r.on[s]:
            continue
        for t in list(r.shifts[v]):
            if (v, t) in r.pinned or not r.fits(v, s, without=t):
                continue
            kv = r.remove(v, t)
            k = r.kit_for(v, s)
            if k is not False:
                r.add(v, s, k)  # type: ignore[arg-type]
                if r.miss[t] < r.miss[s]:
                    _refill(r, t, width, exclude=v)
                    return True
                if _refill(r, t, width, exclude=v):
                    return True
                r.remove(v, s)
            r.add(v, t, kv)
    return False


def _refill(r: WorkingRoster, t: int, width: int, *, exclude: int) -> bool:
    for _, u, _st in r.cands.get(t, [])[:width]:
        if u == exclude or u in r.on[t] or not r.fits(u, t):
            continue
        k = r.kit_for(u, t)
        if k is False:
            continue
        r.add(u, t, k)  # type: ignore[arg-type]
        return True
    return False


def improve_service(
    problem: Problem,
    candidates: list[Candidate],
    placements: list[Placement],
    *,
    deadline: float,
) -> list[Placement]:
    """Lower travel, fairness, reserve kits and grid claims: each placement, farthest first,
    goes to a nearer free candidate when that costs less overall (the head stays filled)."""
    p = problem
    if p.requests:
        return placements  # preferences are per person and day; leave them to the exact search
    r = WorkingRoster(p, candidates, placements)
    w = p.weights

    def farthest_first() -> list[tuple[int, int, int]]:
        return sorted(((travel(r, v, s), v, s) for s, vs in r.on.items() for v in vs), reverse=True)

    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for t_v, v, s in farthest_first():
            if time.monotonic() > deadline:
                break
            if v not in r.on[s] or (v, s) in r.pinned:
                continue
            k_v = r.on[s][v]
            now = r.cost(v, s, t_v, k_v) + w.fairness * (2 * len(r.shifts[v]) - 1)
            for t_u, u, _st in r.cands.get(s, []):
                if t_u * w.travel - (w.change if s in r.published else 0) >= now:
                    break  # nobody farther can be cheaper
                if u in r.on[s] or not r.fits(u, s):
                    continue
                r.remove(v, s)
                k = r.kit_for(u, s)
                if k is not False:
                    fair = w.fairness * (2 * len(r.shifts[u]) + 1)
                    new = r.cost(u, s, travel(r, u, s), k) + fair  # type: ignore[arg-type]
                    if new < now:
                        r.add(u, s, k)  # type: ignore[arg-type]
                        improved = True
                        break
                r.add(v, s, k_v)
        if _chain_pass(r, farthest_first(), deadline=deadline):
            improved = True
    return r.placements()


def _chain_pass(
    r: WorkingRoster,
    order: list[tuple[int, int, int]],
    *,
    deadline: float,
) -> bool:
    """Short chains where that costs less: v, far from slot s, gives it up to u, who lives
    nearer but works slot t; t goes to w, the nearest who then fits (v too: a trade)."""
    improved = False
    for t_v, v, s in order:
        if time.monotonic() > deadline:
            break
        if v not in r.on[s] or (v, s) in r.pinned:
            continue
        for t_u, u, _st in r.cands.get(s, []):
            if t_u >= t_v:
                break  # only nearer volunteers for s
            if u in r.on[s]:
                continue
            if any((u, t) not in r.pinned and _chain(r, v, s, u, t) for t in list(r.shifts[u])):
                improved = True
                break
    return improved


def _chain(
    r: WorkingRoster,
    v: int,
    s: int,
    u: int,
    t: int,
) -> bool:
    """u leaves t for s, v leaves s, and someone takes t, if all fit and it costs less; else
    nothing moves."""
    t_vs, t_ut, t_us = travel(r, v, s), travel(r, u, t), travel(r, u, s)
    reach = t_vs + t_ut - t_us  # t's new volunteer must live nearer than this
    others = r.cands.get(t, [])
    if not others or others[0][0] >= reach or not r.fits(u, s, without=t):
        return False  # nobody near enough for t, or u cannot take s even without t
    k_v, k_u = r.on[s][v], r.on[t][u]
    before = r.cost(v, s, t_vs, k_v) + r.cost(u, t, t_ut, k_u)
    fairness = r.p.weights.fairness
    r.remove(v, s)
    r.remove(u, t)
    if (k1 := r.kit_for(u, s)) is not False:
        r.add(u, s, k1)
        for t_w, w, _st in others:
            if t_w >= reach:
                break
            if w == u or w in r.on[t] or not r.fits(w, t):
                continue
            k2 = r.kit_for(w, t)
            if k2 is False:
                continue
            # Loads: v one shift fewer and w one more, unless w is v.
            fair = 0 if w == v else fairness * 2 * (len(r.shifts[w]) - len(r.shifts[v]))
            if r.cost(u, s, t_us, k1) + r.cost(w, t, t_w, k2) + fair < before:
                r.add(w, t, k2)
                return True
        r.remove(u, s)
    r.add(v, s, k_v)
    r.add(u, t, k_u)
    return False
