"""Neighbourhood search for large problems by decomposition: free the slots of a few nearby posts
over a few days, keep every other placement, and re-solve that small problem exactly.

The small problem has the freed slots, the volunteers who are candidates for them, and, pinned,
those volunteers' other shifts (so rest, caps and fair load still see the whole week). Stocks
keep only what the fixed placements leave. Its objective differs from the whole problem's by a
constant, so a better small roster is a better whole roster.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from matching.build import build_model
from matching.candidates import Candidate
from matching.checker import score
from matching.problem import Placement, Problem, Slot
from matching.roster import Roster, unfilled_heads


def _roster(problem: Problem, placements: list[Placement]) -> Roster:
    return Roster(tuple(placements), unfilled_heads(problem, placements))


class Decomposer:
    """Builds and solves neighbourhoods of a large problem around a current roster."""

    def __init__(self, problem: Problem, candidates: list[Candidate]) -> None:
        self.p = problem
        self.by_slot: dict[int, list[Candidate]] = defaultdict(list)
        for c in candidates:
            self.by_slot[c.slot].append(c)
        self.slot_ix = {s.id: i for i, s in enumerate(problem.slots)}
        self.vol_ix = {v.id: i for i, v in enumerate(problem.volunteers)}
        self.stock_ix = {k.id: i for i, k in enumerate(problem.stocks)}
        self.post_slots: dict[str, list[int]] = defaultdict(list)
        for si, s in enumerate(problem.slots):
            self.post_slots[s.post].append(si)
        self.posts = list(problem.posts)
        self._near_posts: dict[str, list[str]] = {}

    def near_posts(self, post_id: str) -> list[str]:
        """Posts by distance from `post_id`, nearest (itself) first."""
        got = self._near_posts.get(post_id)
        if got is None:
            here = next(p.location for p in self.posts if p.id == post_id)
            got = [p.id for p in sorted(self.posts, key=lambda p: math.dist(p.location, here))]
            self._near_posts[post_id] = got
        return got

    def neighbourhood(self, seed_slot: int, *, n_slots: int, days: int) -> set[int]:
        """Slots of the posts nearest the seed's, within `days` days around its day."""
        s0 = self.p.slots[seed_slot]
        lo = s0.day - (days - 1) // 2
        hi = lo + days
        free: set[int] = set()
        for post in self.near_posts(s0.post):
            free.update(si for si in self.post_slots[post] if lo <= self.p.slots[si].day < hi)
            if len(free) >= n_slots:
                break
        return free

    def solve_part(
        self,
        placements: list[Placement],
        free: set[int],
        *,
        time_limit_s: float,
        workers: int,
        seed: int,
    ) -> tuple[list[Placement], float, float] | None:
        """Re-solve the freed slots; (new placements of the freed slots, old cost, new cost)."""
        p = self.p
        free_ids = {p.slots[si].id for si in free}
        vols = sorted({c.volunteer for si in free for c in self.by_slot[si]})
        vset = {p.volunteers[v].id for v in vols}
        inside = [a for a in placements if a.slot in free_ids]
        context = [a for a in placements if a.volunteer in vset and a.slot not in free_ids]
        # Stocks: what is left once every placement outside the freed slots has drawn its kit.
        drawn: dict[str, int] = defaultdict(int)
        for a in placements:
            if a.stock is not None and a.slot not in free_ids:
                drawn[a.stock] += 1
        stock_ids = sorted({k for si in free for c in self.by_slot[si] for k in c.stocks})
        stocks = [
            replace(p.stocks[k], quantity=max(0, p.stocks[k].quantity - drawn[p.stocks[k].id]))
            for k in stock_ids
        ]
        free_slots = [p.slots[si] for si in sorted(free)]
        ctx_slots: dict[str, Slot] = {}
        for a in context:
            s = p.slots[self.slot_ix[a.slot]]
            ctx_slots[s.id] = replace(
                s, headcount=0, max_over=len(vols), over_weight=0, kit=None, unfilled_weight=0
            )
        sub = replace(
            p,
            volunteers=tuple(p.volunteers[v] for v in vols),
            slots=tuple(free_slots) + tuple(ctx_slots.values()),
            stocks=tuple(stocks),
            requests=tuple(r for r in p.requests if r.volunteer in vset),
            pinned=tuple(a for a in p.pinned if a.slot in free_ids)
            + tuple(Placement(a.volunteer, a.slot) for a in context),
            previous=tuple(a for a in p.previous if a.slot in free_ids),
        )
        sv = {v: i for i, v in enumerate(vols)}
        ss = {s.id: i for i, s in enumerate(sub.slots)}
        sk = {k: i for i, k in enumerate(stock_ids)}
        cands = [
            Candidate(sv[c.volunteer], ss[p.slots[si].id], tuple(sk[k] for k in c.stocks))
            for si in sorted(free)
            for c in self.by_slot[si]
        ]
        cands += [Candidate(sv[self.vol_ix[a.volunteer]], ss[a.slot], ()) for a in context]
        old = inside + [Placement(a.volunteer, a.slot) for a in context]
        old_cost = sum(score(sub, _roster(sub, old)).values())
        m = build_model(sub, candidates=cands)
        on = {(sv[self.vol_ix[a.volunteer]], ss[a.slot]) for a in old}
        for key, x in m.x.items():
            m.model.add_hint(x, key in on)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(m.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        kit_of: dict[tuple[int, int], int] = {}
        for (v, s, k), lit in m.kit.items():
            if solver.boolean_value(lit):
                kit_of[(v, s)] = k
        new = []
        for (v, s), x in m.x.items():
            if solver.boolean_value(x) and s < len(free_slots):
                k = kit_of.get((v, s))
                new.append(
                    Placement(
                        sub.volunteers[v].id, sub.slots[s].id, None if k is None else stocks[k].id
                    )
                )
        whole = new + [Placement(a.volunteer, a.slot) for a in context]
        new_cost = sum(score(sub, _roster(sub, whole)).values())
        return new, old_cost, new_cost


def improve_by_parts(
    problem: Problem,
    candidates: list[Candidate],
    placements: list[Placement],
    *,
    deadline: float,
    workers: int,
    seed: int,
    on_improve: Callable[[float], None] | None = None,
) -> list[Placement]:
    """Improve `placements` by re-solving neighbourhoods until `deadline` (time.monotonic())."""
    rng = random.Random(seed)
    dec = Decomposer(problem, candidates)
    current = list(placements)
    n_slots = 80
    while time.monotonic() < deadline - 0.5:
        count: dict[str, int] = defaultdict(int)
        for a in current:
            count[a.slot] += 1
        short = [si for si, s in enumerate(problem.slots) if count[s.id] < s.headcount]
        # Unfilled heads dominate the objective: most neighbourhoods start from one.
        pool = short if short and rng.random() < 0.8 else range(len(problem.slots))
        seed_slot = rng.choice(list(pool)) if pool else 0
        free = dec.neighbourhood(seed_slot, n_slots=n_slots, days=3)
        budget = min(1.5, deadline - time.monotonic() - 0.3)
        if budget <= 0.2:
            break
        t0 = time.monotonic()
        got = dec.solve_part(
            current, free, time_limit_s=budget, workers=workers, seed=rng.randrange(1 << 30)
        )
        took = time.monotonic() - t0
        n_slots = int(n_slots * 1.2) if took < 0.6 * budget else max(20, int(n_slots / 1.25))
        if got is None:
            continue
        new, old_cost, new_cost = got
        if new_cost < old_cost:
            free_ids = {problem.slots[si].id for si in free}
            current = [a for a in current if a.slot not in free_ids] + new
            if on_improve is not None:
                on_improve(old_cost - new_cost)
    return current


def person_by_person(
    problem: Problem, candidates: list[Candidate], *, deadline: float, workers: int, seed: int
) -> list[Placement] | None:
    """A roster built one volunteer at a time, each solved exactly against what is left.

    Each volunteer's own rules (minimum minutes, runs, weekends) are what make a first roster
    hard to find; they couple people only through headcounts and stocks, which are passed on
    as remaining demand and capacity. None if some volunteer's schedule cannot be completed."""
    p = problem
    mine: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        mine[c.volunteer].append(c)
    placed: dict[str, int] = defaultdict(int)
    drawn: dict[str, int] = defaultdict(int)
    out: list[Placement] = []
    order = list(range(len(p.volunteers)))
    random.Random(seed).shuffle(order)
    for n, vi in enumerate(order):
        left_s = deadline - time.monotonic()
        if left_s <= 0:
            return None
        cs = mine.get(vi, [])
        slot_ids = sorted({c.slot for c in cs})
        stock_ids = sorted({k for c in cs for k in c.stocks})
        slots = []
        for si in slot_ids:
            s = p.slots[si]
            room = s.headcount + s.max_over - placed[s.id]
            need = max(0, s.headcount - placed[s.id])
            slots.append(replace(s, headcount=need, max_over=max(0, room - need)))
        stocks = [
            replace(p.stocks[k], quantity=max(0, p.stocks[k].quantity - drawn[p.stocks[k].id]))
            for k in stock_ids
        ]
        v = p.volunteers[vi]
        sub = replace(
            p,
            volunteers=(v,),
            slots=tuple(slots),
            stocks=tuple(stocks),
            requests=tuple(r for r in p.requests if r.volunteer == v.id),
            pinned=tuple(a for a in p.pinned if a.volunteer == v.id),
            previous=tuple(a for a in p.previous if a.volunteer == v.id),
        )
        ss = {si: i for i, si in enumerate(slot_ids)}
        sk = {k: i for i, k in enumerate(stock_ids)}
        sub_cands = [Candidate(0, ss[c.slot], tuple(sk[k] for k in c.stocks)) for c in cs]
        m = build_model(sub, candidates=sub_cands)
        solver = cp_model.CpSolver()
        # A good schedule per person is enough here; the search afterwards improves it.
        solver.parameters.max_time_in_seconds = max(0.05, min(1.0, left_s / (len(order) - n)))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(m.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        kit_of = {s: k for (_, s, k), lit in m.kit.items() if solver.boolean_value(lit)}
        for (_, s), x in m.x.items():
            if solver.boolean_value(x):
                k = kit_of.get(s)
                stock = None if k is None else stocks[k].id
                out.append(Placement(v.id, slots[s].id, stock))
                placed[slots[s].id] += 1
                if stock is not None:
                    drawn[stock] += 1
    return out
