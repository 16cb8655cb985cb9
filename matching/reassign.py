"""Exact re-solves of one day's placements of one kit item, everything else held.

Held: every placement on other days or of other kit items, pinned placements, and each slot's
number of heads in the group (so cover never changes). Free: who fills those heads and which
stock equips them. Each volunteer takes at most one of the group's slots, and only one that
fits their other shifts under the workload rules, so any choice of the group's placements keeps
the roster valid, and the group is a min-cost flow whose cost is the roster's own: city-reserve
kits, travel, the fairness step each volunteer's load takes, grid claims and changes. Two
shapes, taken in turn:

- by item (day, item): every slot of that day needing the item. An agency volunteer's kit comes
  from their own unit's stock: stock nodes before the volunteers. A social volunteer's comes
  from the post's using unit: stock nodes after the slots. A slot's heads cannot bound both
  kinds together when one kind's stock comes after it, so each slot keeps its number of agency
  and of social heads, and a stock (or the reserve) both kinds draw on keeps its split.
- by using unit (day, item, unit): the slots of one unit's posts. Every social volunteer there
  draws on that unit's stock, known before the slot, so every stock sits before the volunteers
  and the split is free.

Kits are then handed out own stock first, the reserve after, which never draws more reserve
kits than the flow did. A group's new placements are kept only when they cost less.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.candidates import Candidate
from matching.problem import Placement, Problem
from matching.working import WorkingRoster, travel
from matching.workload import has_minimums

SOURCE, SINK = 0, 1
# (day, item or "", by using unit?, that unit): one day's slots needing the item, all or one
# using unit's (None: posts without one).
Group = tuple[int, str, bool, str | None]
Placed = tuple[int, int, int | None]  # (volunteer, slot, stock)


class _Flow:
    """Arcs of one group's network, added one by one, solved by OR-Tools."""

    def __init__(self) -> None:
        self.nodes = 2
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []

    def node(self) -> int:
        self.nodes += 1
        return self.nodes - 1

    def arc(self, tail: int, head: int, cap: int, cost: int) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.costs.append(cost)
        return len(self.tails) - 1

    def solve(self, supply: int) -> np.ndarray | None:
        """Each arc's flow at the optimum sending `supply` from source to sink; None if none."""
        f = min_cost_flow.SimpleMinCostFlow()
        f.add_arcs_with_capacity_and_unit_cost(
            np.array(self.tails, dtype=np.int32),
            np.array(self.heads, dtype=np.int32),
            np.array(self.caps, dtype=np.int64),
            np.array(self.costs, dtype=np.int64),
        )
        f.set_node_supply(SOURCE, supply)
        f.set_node_supply(SINK, -supply)
        if f.solve() != f.OPTIMAL:
            return None
        return np.asarray(f.flows(np.arange(len(self.tails), dtype=np.int32)))


class _Reassign:
    """The roster being improved and the index of stocks by (owner, item, day)."""

    def __init__(self, problem: Problem, candidates: list[Candidate], placements: list[Placement]):
        self.p = problem
        self.r = WorkingRoster(problem, candidates, placements)
        self.stocks: dict[tuple[str | None, str, int], list[int]] = defaultdict(list)
        for k, stock in enumerate(problem.stocks):
            self.stocks[(stock.owner, stock.item, stock.day)].append(k)
        self.user = [self.r.posts[s.post].using_unit for s in problem.slots]
        groups: dict[Group, list[int]] = defaultdict(list)
        for si, s in enumerate(problem.slots):
            if s.kit is not None:
                groups[(s.day, s.kit, False, None)].append(si)
                groups[(s.day, s.kit, True, self.user[si])].append(si)
            else:
                groups[(s.day, "", False, None)].append(si)
        self.groups = groups
        self.reserve_kit = problem.weights.city_reserve_kit
        self.agency = [v.unit is not None for v in problem.volunteers]
        # Whether a volunteer may take one more shift of a window, until their week changes.
        self._fits: dict[int, dict[tuple[int, int, str], bool]] = defaultdict(dict)

    def owner(self, v: int, s: int) -> str | None:
        """Whose stock equips v on s, the reserve aside: their unit's, or the post's user's."""
        unit = self.p.volunteers[v].unit
        return unit if unit is not None else self.user[s]

    def left(self, owner: str | None, item: str, day: int) -> int:
        return sum(self.r.left[k] for k in self.stocks.get((owner, item, day), ()))

    def cost(self, placed: list[Placed], *, in_roster: bool) -> int:
        """What these placements (one each per volunteer) cost given the rest of the roster."""
        fair = self.p.weights.fairness
        before = 1 if in_roster else 0  # their own shift in each volunteer's load
        return sum(
            self.r.cost(v, s, travel(self.r, v, s), k)
            + fair * (2 * (len(self.r.shifts[v]) - before) + 1)
            for v, s, k in placed
        )

    def solve(self, key: Group) -> int:
        """Re-solve one group; the cost it saved (0 when it kept what it had)."""
        r = self.r
        slots = self.groups[key]
        old = [(v, s, k) for s in slots for v, k in list(r.on[s].items()) if (v, s) not in r.pinned]
        if not old:
            return 0
        # Their fits, as they stand, hold again if the group keeps what it had.
        kept = {v: self._fits.pop(v, None) for v, _, _ in old}
        for v, s, _ in old:
            r.remove(v, s)
        before = self.cost(old, in_roster=False)
        chosen = self._flow(key, old)
        placed = self._equip(key, chosen) if chosen is not None else None
        if placed is not None and (now := self.cost(placed, in_roster=True)) < before:
            for v, _, _ in placed:
                self._fits.pop(v, None)
            return before - now
        for v, s, _ in placed or ():
            r.remove(v, s)
            self._fits.pop(v, None)
        for v, s, k in old:
            r.add(v, s, k)
        for v, fits in kept.items():
            self._fits.pop(v, None)
            if fits is not None:
                self._fits[v] = fits
        return 0

    def _arcs(self, slots: list[int], old: list[Placed]) -> list[tuple[int, int, int]]:
        """(volunteer, slot, cost) for everyone who may take a slot of the group."""
        r = self.r
        fits = self._fits
        mine: dict[int, list[int]] = defaultdict(list)
        for v, s, _ in old:
            mine[s].append(v)
        out = []
        for s in slots:
            slot = r.slots[s]
            window = (slot.start, slot.end, slot.shift_type)
            seen = set()
            for t, v, _ in r.cands.get(s, []):
                seen.add(v)
                ok = fits[v].get(window)
                if ok is None:
                    ok = fits[v][window] = r.fits(v, s)
                if ok:
                    out.append((v, s, r.cost(v, s, t, None)))
            for v in mine[s]:
                if v not in seen:  # the group's own placements are always arcs
                    out.append((v, s, r.cost(v, s, travel(r, v, s), None)))
        return out

    def _flow(self, key: Group, old: list[Placed]) -> list[tuple[int, int]] | None:
        """The cheapest (volunteer, slot) pairs for the group's heads, kits accounted exactly."""
        day, item, by_user, _ = key
        r = self.r
        fair = self.p.weights.fairness
        agency = self.agency
        heads: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # slot -> [agency, social]
        social_own: dict[str | None, int] = defaultdict(int)  # own-stock kits social heads drew
        social_reserve = 0
        for v, s, k in old:
            heads[s][0 if agency[v] else 1] += 1
            if k is not None and not agency[v]:
                if r.city[k]:
                    social_reserve += 1
                else:
                    social_own[self.p.stocks[k].owner] += 1
        kits = bool(item)
        split = kits and not by_user  # by item: each slot's and each stock's split is kept
        g = _Flow()
        stock_node: dict[str | None, int] = {}

        def stock(owner: str | None) -> int:
            if owner not in stock_node:
                stock_node[owner] = g.node()
                cap = self.left(owner, item, day) - (social_own[owner] if split else 0)
                g.arc(SOURCE, stock_node[owner], max(0, cap), 0)
            return stock_node[owner]

        reserve = g.node() if kits else SOURCE
        if kits:
            cap = self.left(None, item, day) - (social_reserve if split else 0)
            g.arc(SOURCE, reserve, max(0, cap), self.reserve_kit)
        after: dict[str | None, int] = {}  # by item: social stocks after the slots

        def after_stock(owner: str | None) -> int:
            if owner not in after:
                after[owner] = g.node()
                g.arc(after[owner], SINK, social_own[owner], 0)
            return after[owner]

        if split:
            spare = g.node()
            g.arc(spare, SINK, social_reserve, self.reserve_kit)
        vol: dict[int, int] = {}
        slot_in: dict[tuple[int, int], int] = {}  # (slot, kind) -> node
        pairs: list[tuple[int, int, int]] = []  # (arc, volunteer, slot)
        for v, s, c in self._arcs(self.groups[key], old):
            kind = 1 if split and not agency[v] else 0
            if split and heads[s][kind] == 0:
                continue  # this slot keeps no head of v's kind
            if v not in vol:
                vol[v] = g.node()
                step = fair * (2 * len(r.shifts[v]) + 1)
                if kits and (by_user or agency[v]):
                    own = g.node()
                    if (owner := self.owner(v, s)) is not None:  # None: the reserve alone
                        g.arc(stock(owner), own, 1, 0)
                    g.arc(reserve, own, 1, 0)
                    g.arc(own, vol[v], 1, step)
                else:
                    g.arc(SOURCE, vol[v], 1, step)
            if (s, kind) not in slot_in:
                node = slot_in[(s, kind)] = g.node()
                n = heads[s][kind] if split else sum(heads[s])
                if split and kind == 1:
                    out = g.node()
                    g.arc(node, out, n, 0)
                    g.arc(out, after_stock(self.user[s]), n, 0)
                    g.arc(out, spare, n, 0)
                else:
                    g.arc(node, SINK, n, 0)
            pairs.append((g.arc(vol[v], slot_in[(s, kind)], 1, c), v, s))
        flows = g.solve(len(old))
        if flows is None:
            return None
        return [(v, s) for a, v, s in pairs if flows[a]]

    def _equip(self, key: Group, chosen: list[tuple[int, int]]) -> list[Placed]:
        """Place the chosen pairs, each kit from its own stock while any is left, else the
        reserve's; the flow guarantees enough."""
        day, item, _, _ = key
        r = self.r
        placed = []
        for v, s in chosen:
            k = None
            if item:
                own = self.stocks.get((self.owner(v, s), item, day), [])
                spare = self.stocks.get((None, item, day), [])
                k = next((k for k in [*own, *spare] if r.left[k] > 0), None)
                if k is None:
                    raise AssertionError("the flow drew more kits than the stocks hold")
            r.add(v, s, k)
            placed.append((v, s, k))
        return placed


def reassign(
    problem: Problem,
    candidates: list[Candidate],
    placements: list[Placement],
    *,
    deadline: float,
    on_improve: Callable[[float], None] | None = None,
) -> list[Placement]:
    """Cheaper service with the same cover: each day's placements of each kit item re-solved
    exactly (by item, then by using unit) in rounds, until a round gains nothing or `deadline`."""
    if problem.requests:
        return placements  # preferences are per person and day, not per placement
    if any(has_minimums(problem.rules_for(v)) for v in problem.volunteers):
        return placements  # dropping a shift could break a minimum
    work = _Reassign(problem, candidates, placements)
    order = sorted(work.groups, key=lambda g: (g[2], g[0], g[1], g[3] or ""))
    gained = True
    while gained and time.monotonic() < deadline:
        gained = False
        for key in order:
            if time.monotonic() > deadline:
                break
            saved = work.solve(key)
            if saved > 0:
                gained = True
                if on_improve is not None:
                    on_improve(float(saved))
    return work.r.placements()
