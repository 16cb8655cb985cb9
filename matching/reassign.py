"""Exact re-solves of one day's placements of one kit item, everything else held.

Held: every placement on other days or of other kit items, pinned placements, and each slot's
number of heads in the group (so cover never changes). Free: who fills those heads and which
stock equips them. Each volunteer takes at most one of the group's slots, and only one that
fits their other shifts under the workload rules, so any choice of the group's placements keeps
the roster valid, and the group is a min-cost flow (or an LP) whose cost is the roster's own:
city-reserve kits, travel, the fairness step each volunteer's load takes, grid claims and
changes. Three shapes, taken in turn:

- by item (day, item): every slot of that day needing the item. An agency volunteer's kit comes
  from their own unit's stock: stock nodes before the volunteers. A social volunteer's comes
  from the post's using unit: stock nodes after the slots. A slot's heads cannot bound both
  kinds together when one kind's stock comes after it, so each slot keeps its number of agency
  and of social heads, and a stock (or the reserve) both kinds draw on keeps its split.
- by using unit (day, item, unit): the slots of one unit's posts. Every social volunteer there
  draws on that unit's stock, known before the slot, so every stock sits before the volunteers
  and the split is free.
- free (day, item): every slot of that day needing the item, the split free, by a linear
  programme (`matching.kit_lp`) whose nearly integral optimum places most heads, and a flow
  for the rest (`_Reassign._free_split`). Slower (county: about 2 s for a day's masks, against
  0.2 s), so it comes last in each round; on county seed 1's first roster the first round's
  free groups saved another 160,000 after the other two shapes' 573,000.

Once a round of the three gains little (`ROUND_GAIN`), and time is left, a fourth shape:

- day (day): every slot of that day needing any kit, by the same LP with a stock row per owner
  and item and a reserve row per item. Each of the others holds the day's other items fixed, so
  a volunteer on a suit slot cannot change places with one on a mask slot; here they can. On
  county seed 1's roster after the others converged, a day's LP found about 3,700 more (2 % of
  the day's cost), of which the fill kept 1,700; but it took 13 s a day, so days above
  `DAY_HEADS` are left out. In one run each, township seeds 1 and 3 (60 s) came out 1.4 % and
  3 % lower in travel + fairness with this shape than without.

Kits are then handed out own stock first, the reserve after, which never draws more reserve
kits than the flow (or LP) did. A group's new placements are kept only when they cost less.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.candidates import Candidate
from matching.kit_lp import KitLp, solve_kit_lp
from matching.nearest import Nearest
from matching.problem import Placement, Problem, travel_units_apart
from matching.working import WorkingRoster, travel
from matching.workload import has_minimums

SOURCE, SINK = 0, 1
# (day, item or "", shape, using unit): one day's slots needing the item, all of them ("item",
# "free") or one using unit's ("unit"; None: posts without one); ("day": every kit item).
Group = tuple[int, str, str, str | None]
SHAPES = ("item", "unit", "free")  # the order a round takes them in
DAY = "day"  # the shape for when rounds of those gain little
# A round of the three shapes gaining less than this share of what the placements cost hands
# over to the day shape (county seed 1: rounds after the third gain under 0.1 % each).
ROUND_GAIN = 0.002
# Flows per group at most; once this few social volunteers take slots of two using units,
# the flow's other choices are kept and only the heads those give up are filled again.
SOCIAL_RETRIES = 12
FILL_AT = 30
# The LP takes each slot's 30 cheapest choices: 120 gave the same optimum three times slower;
# 12 and 20 saved less in a minute (county seed 1: 1,449,056 and 1,444,382 against 1,441,762).
LP_DEPTH = 30
LP_SECONDS = 10.0  # at most, per group
# Free groups up to this many heads (county: 3,340 a day's masks, 2 s; the LP grows faster
# than the heads), day groups up to the other (county: 4,618 a day's kits, 13 s an LP).
FREE_HEADS = 6_000
DAY_HEADS = 3_000
Placed = tuple[int, int, int | None]  # (volunteer, slot, stock)
Ints = int | list[int] | np.ndarray


class Choices:
    """Who may take each slot: per slot, volunteer indices and their travel there (fixed while
    the re-solves run)."""

    def __init__(self, volunteers: list[np.ndarray], travel: list[np.ndarray]) -> None:
        self.volunteers = volunteers
        self.travel = travel

    @classmethod
    def of(cls, problem: Problem, candidates: list[Candidate]) -> Choices:
        """From candidate placements."""
        n = max(1, len(problem.volunteers))
        pairs = np.unique(np.array([c.slot * n + c.volunteer for c in candidates], np.int64))
        slots, vols = np.divmod(pairs, n)
        homes = np.array([v.home for v in problem.volunteers], dtype=float).reshape(-1, 2)
        posts = {post.id: post.location for post in problem.posts}
        where = np.array([posts[s.post] for s in problem.slots], dtype=float).reshape(-1, 2)
        d = homes[vols] - where[slots]
        trav = travel_units_apart(d[:, 0], d[:, 1])
        cuts = np.searchsorted(slots, np.arange(1, len(problem.slots)))
        return cls(np.split(vols, cuts), np.split(trav, cuts))

    @classmethod
    def nearest(cls, lists: list[Nearest]) -> Choices:
        """From each slot's nearest eligible volunteers."""
        return cls(
            [np.array(n.volunteers, dtype=np.int64) for n in lists],
            [np.array(n.travel, dtype=np.int64) for n in lists],
        )


class _Network:
    """Arcs of one group's network, added as arrays (or one by one), solved by OR-Tools."""

    def __init__(self) -> None:
        self.nodes = 2
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.sized = 0  # arcs added as arrays; single arcs come after them
        self.single: list[tuple[int, int, int, int]] = []

    def new(self, count: int) -> np.ndarray:
        """`count` new nodes."""
        self.nodes += count
        return np.arange(self.nodes - count, self.nodes, dtype=np.int64)

    def arc(self, tail: int, head: int, cap: int, cost: int) -> None:
        self.single.append((int(tail), int(head), max(0, int(cap)), int(cost)))

    def arcs(self, tails: Ints, heads: Ints, caps: Ints, costs: Ints) -> np.ndarray:
        """Arcs tail -> head (scalars broadcast); their indices."""
        t, h, c, w = np.broadcast_arrays(
            *(np.asarray(x, dtype=np.int64) for x in (tails, heads, caps, costs))
        )
        self.parts.append((t, h, c, w))
        self.sized += t.size
        return np.arange(self.sized - t.size, self.sized)

    def solve(self, supply: int) -> np.ndarray | None:
        """Each arc's flow at the optimum sending `supply` from source to sink; None if none."""
        single = np.array(self.single, dtype=np.int64).reshape(-1, 4)
        tails, heads, caps, costs = (
            np.concatenate([*x, single[:, i]]) for i, x in enumerate(zip(*self.parts, strict=True))
        )
        f = min_cost_flow.SimpleMinCostFlow()
        f.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), caps, costs
        )
        f.set_node_supply(SOURCE, supply)
        f.set_node_supply(SINK, -supply)
        if f.solve() != f.OPTIMAL:
            return None
        return np.asarray(f.flows(np.arange(self.sized, dtype=np.int32)))


class _Reassign:
    """The roster being improved, who may take each slot, and which windows fit whom."""

    def __init__(
        self,
        problem: Problem,
        choices: Choices,
        placements: list[Placement],
        *,
        deadline: float = float("inf"),
    ):
        self.p = problem
        self.r = WorkingRoster(problem, [], placements)
        self.choices = choices
        self.stocks: dict[tuple[str | None, str, int], list[int]] = defaultdict(list)
        for k, stock in enumerate(problem.stocks):
            self.stocks[(stock.owner, stock.item, stock.day)].append(k)
        self.user = [self.r.posts[s.post].using_unit for s in problem.slots]
        self.user_ix = np.array([self.r.unit_ix.get(u, -1) for u in self.user], dtype=np.int64)
        groups: dict[Group, list[int]] = defaultdict(list)
        for si, s in enumerate(problem.slots):
            groups[(s.day, s.kit or "", "item", None)].append(si)
            if s.kit is not None:
                groups[(s.day, s.kit, "unit", self.user[si])].append(si)
                groups[(s.day, s.kit, "free", None)].append(si)
                groups[(s.day, "", DAY, None)].append(si)
        most = {"free": FREE_HEADS, DAY: DAY_HEADS}  # heads per LP group; flows take any
        self.groups = {
            key: slots
            for key, slots in groups.items()
            if sum(problem.slots[s].headcount for s in slots) <= most.get(key[2], float("inf"))
        }
        self.deadline = deadline  # the LP of a free group stops by then
        self.reserve_kit = problem.weights.city_reserve_kit
        self.agency = np.array([v.unit is not None for v in problem.volunteers], dtype=bool)
        windows: dict[tuple[int, int, str], int] = {}
        self.window = np.array(
            [
                windows.setdefault((s.start, s.end, s.shift_type), len(windows))
                for s in problem.slots
            ],
            dtype=np.int64,
        )
        # Shifts each volunteer works each day, for the one-a-day rule at array speed.
        self.day = np.array([s.day for s in problem.slots], dtype=np.int64)
        self.busy = np.zeros((len(problem.volunteers), int(self.day.max(initial=0)) + 1), np.int16)
        for v, days in self.r.busy.items():
            for d, n in days.items():
                self.busy[v, d] = n
        self.one_a_day = np.array(self.r.one_a_day, dtype=bool)
        # Whether a volunteer may take one more shift of a window (1, 0; -1 not yet asked),
        # until their week changes.
        self.fit = np.full((len(problem.volunteers), max(1, len(windows))), -1, dtype=np.int8)
        self._costs: dict[int, np.ndarray] = {}
        self._listed: dict[int, set[int]] = {}

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

    def value(self) -> int:
        """What the placements cost: travel, reserve kits, grids, changes and fairness."""
        r = self.r
        placed = sum(
            r.cost(v, s, travel(r, v, s), k) for s, on in r.on.items() for v, k in on.items()
        )
        return placed + self.p.weights.fairness * sum(len(x) ** 2 for x in r.shifts.values())

    def solve(self, key: Group) -> int:
        """Re-solve one group; the cost it saved (0 when it kept what it had)."""
        r = self.r
        slots = self.groups[key]
        old = [(v, s, k) for s in slots for v, k in list(r.on[s].items()) if (v, s) not in r.pinned]
        if not old:
            return 0
        # Their fits, as they stand, hold again if the group keeps what it had.
        mine = sorted({v for v, _, _ in old})
        kept = self.fit[mine].copy()
        for v, s, _ in old:
            self._remove(v, s)
        self._freed(mine)
        before = self.cost(old, in_roster=False)
        if key[2] == "item":
            chosen = self._flow(key, old)
        else:
            need, arcs = self._holder_arcs(key, old)
            free = key[2] in ("free", DAY)
            chosen = self._free_split(key, old, need, arcs) if free else self._fill(key, arcs, need)
        placed = self._equip(key, chosen) if chosen is not None else None
        if placed is not None and (now := self.cost(placed, in_roster=True)) < before:
            self._taken(sorted({v for v, _, _ in placed}))
            return before - now
        for v, s, _ in placed or ():
            self._remove(v, s)
        for v, s, k in old:
            self._add(v, s, k)
        self.fit[mine] = kept
        return 0

    def _add(self, v: int, s: int, k: int | None) -> None:
        self.r.add(v, s, k)
        self.busy[v, self.r.day[s]] += 1

    def _remove(self, v: int, s: int) -> None:
        self.r.remove(v, s)
        self.busy[v, self.r.day[s]] -= 1

    # Without minimum rules a week that loses a shift still fits whatever it fitted, and one that
    # gains a shift still refuses whatever it refused: only the other answers are asked again.
    def _freed(self, vols: list[int]) -> None:
        rows = self.fit[vols]
        rows[rows == 0] = -1
        self.fit[vols] = rows

    def _taken(self, vols: list[int]) -> None:
        rows = self.fit[vols]
        rows[rows == 1] = -1
        self.fit[vols] = rows

    def _costs_at(self, s: int) -> np.ndarray:
        """What each of s's choices costs there, kits and fairness aside."""
        got = self._costs.get(s)
        if got is None:
            vols, trav = self.choices.volunteers[s], self.choices.travel[s]
            got = self._costs[s] = self.r.costs(s, vols, trav)
        return got

    def _arcs(self, slots: list[int], old: list[Placed]) -> tuple[np.ndarray, ...]:
        """(volunteers, slots, costs) for everyone who may take a slot of the group now."""
        r = self.r
        vols = [self.choices.volunteers[s] for s in slots]
        costs = [self._costs_at(s) for s in slots]
        where = [np.full(len(x), s, dtype=np.int64) for x, s in zip(vols, slots, strict=True)]
        for v, s, _ in old:  # the group's own placements are always arcs
            listed = self._listed.get(s)
            if listed is None:
                listed = self._listed[s] = set(self.choices.volunteers[s].tolist())
            if v not in listed:
                vols.append(np.array([v]))
                where.append(np.array([s]))
                costs.append(np.array([r.cost(v, s, travel(r, v, s), None)]))
        vs, ss, cs = (
            np.concatenate(x) if x else np.zeros(0, np.int64) for x in (vols, where, costs)
        )
        ws = self.window[ss]
        unknown = self.fit[vs, ws] < 0
        busy = unknown & self.one_a_day[vs] & (self.busy[vs, self.day[ss]] > 0)
        self.fit[vs[busy], ws[busy]] = 0
        unknown = np.flatnonzero(unknown & ~busy)
        if len(unknown):
            _, first = np.unique(vs[unknown] * self.fit.shape[1] + ws[unknown], return_index=True)
            for i in unknown[first].tolist():
                self.fit[vs[i], ws[i]] = r.fits(int(vs[i]), int(ss[i]))
        ok = self.fit[vs, ws] == 1
        return vs[ok], ss[ok], cs[ok]

    def _holder_arcs(
        self, key: Group, old: list[Placed]
    ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Heads per slot of the group, and who may take them: (volunteer, slot, local slot,
        cost, whose stock equips them: an agency volunteer's unit, the post's using unit for a
        social one, -1 for the reserve alone)."""
        r = self.r
        slots = self.groups[key]
        local = {s: i for i, s in enumerate(slots)}
        need = np.zeros(len(slots), dtype=np.int64)
        for _, s, _ in old:
            need[local[s]] += 1
        vs, ss, cs = self._arcs(slots, old)
        ls = np.array([local[s] for s in ss.tolist()], dtype=np.int64)
        vs, ss, cs, ls = (x[need[ls] > 0] for x in (vs, ss, cs, ls))
        owner = np.where(self.agency[vs], r.unit_of[vs], self.user_ix[ss])
        return need, (vs, ss, ls, cs, owner)

    def _free_split(
        self, key: Group, old: list[Placed], need: np.ndarray, arcs: tuple[np.ndarray, ...]
    ) -> list[tuple[int, int]] | None:
        """The cheapest (volunteer, slot) pairs for the group's heads, kits accounted exactly
        and each slot's split between agency and social heads free: the LP (`matching.kit_lp`)
        over each slot's `LP_DEPTH` cheapest choices places most heads whole, `_fill` the rest,
        item by item."""
        day = key[0]
        r = self.r
        vs, ss, ls, cs, owner = arcs
        slots = self.groups[key]
        items = sorted({self.p.slots[s].kit or "" for s in slots})
        slot_item = np.searchsorted(items, [self.p.slots[s].kit or "" for s in slots])
        item = slot_item[ls]
        step = self.p.weights.fairness * (2 * self.busy[vs].sum(axis=1) + 1)
        # Each slot's cheapest choices, and whoever holds its heads now.
        order = np.lexsort((cs, ls))
        starts = np.searchsorted(ls[order], np.arange(len(need)))
        rank = np.empty(len(ls), dtype=np.int64)
        rank[order] = np.arange(len(ls)) - starts[ls[order]]
        held = np.isin(vs * len(self.p.slots) + ss, [v * len(self.p.slots) + s for v, s, _ in old])
        sel = np.flatnonzero((rank < LP_DEPTH) | held)
        units = len(r.units)
        # A stock row per (item, owner): row item * units + owner.
        left = np.array([self.left(u, it, day) for it in items for u in r.units], dtype=np.int64)
        lp = KitLp(
            volunteers=vs[sel],
            slots=ls[sel],
            costs=cs[sel] + step[sel],
            owners=np.where(owner[sel] >= 0, item[sel] * units + owner[sel], -1),
            need=need,
            left=left,
            reserve_left=np.array([self.left(None, it, day) for it in items], dtype=np.int64),
            reserve_cost=self.reserve_kit,
            items=item[sel],
        )
        limit = min(LP_SECONDS, self.deadline - time.monotonic())
        got = solve_kit_lp(lp, time_limit_s=limit) if limit > 0.1 else None
        if got is None:
            return None
        own, reserve = got
        # Whole placements with a whole kit (half own, half reserve would blur the stocks).
        own, reserve = own > 1 - 1e-6, reserve > 1 - 1e-6
        kept, from_reserve = sel[own | reserve], reserve[own | reserve]
        np.subtract.at(need, ls[kept], 1)
        # The heads left, item by item, by whoever the LP left free and no earlier item took.
        chosen: list[tuple[int, int]] = []
        left_over = np.bincount(slot_item, weights=need, minlength=len(items))
        for i in np.argsort(-left_over, kind="stable").tolist():  # the most heads left first
            it = items[i]
            mine = item[kept] == i
            drawn = np.zeros(units + 1, dtype=np.int64)  # kits kept, per owner (last: reserve)
            np.add.at(drawn, np.where(from_reserve[mine], units, owner[kept[mine]]), 1)
            taken = np.array([v for v, _ in chosen] + vs[kept[~mine]].tolist(), dtype=np.int64)
            sub = np.flatnonzero((item == i) & ~np.isin(vs, taken))
            part = self._fill(
                (day, it, "free", None),
                tuple(x[sub] for x in arcs),
                np.where(slot_item == i, need, 0),
                kept=np.searchsorted(sub, kept[mine]),
                drawn=drawn,
            )
            if part is None:
                return None
            chosen += part
        return chosen

    def _fill(
        self,
        key: Group,
        arcs: tuple[np.ndarray, ...],
        need: np.ndarray,
        *,
        kept: np.ndarray | None = None,
        drawn: np.ndarray | None = None,
    ) -> list[tuple[int, int]] | None:
        """`kept` (arc indices) and pairs filling the `need` left beside them; None if they
        cannot be filled. In the flow a kit's stock is known before the slot once the volunteer
        is, so a social volunteer enters once per using unit among the group's posts (a *holder*
        each). A social volunteer taking slots of two units then keeps the unit of their
        cheapest and the flow runs again; once few are left, the flow's other choices are kept
        and only the heads given up are filled again. `drawn`: kits `kept` draws, per owner
        (last: the reserve)."""
        vs, ss, ls, cs, owner = arcs
        units = len(self.r.units)
        kept = np.zeros(0, dtype=np.int64) if kept is None else kept
        drawn = np.zeros(units + 1, dtype=np.int64) if drawn is None else drawn
        allowed = ~np.isin(vs, vs[kept])
        before: tuple[np.ndarray, ...] | None = None  # the state a fill started from
        for _ in range(SOCIAL_RETRIES):
            if not need.any():
                return list(zip(vs[kept].tolist(), ss[kept].tolist(), strict=True))
            flow = self._holders_flow(key, need, drawn, *(x[allowed] for x in (vs, ls, cs, owner)))
            if flow is None and before is None:
                return None
            if flow is None:
                # The kept choices left a given-up head no one: narrow the whole flow again.
                kept, need, drawn, allowed = before
                before = None
                continue
            picked, from_reserve = flow
            at = np.flatnonzero(allowed)[picked]
            uv, count = np.unique(vs[at], return_counts=True)
            twice = uv[count > 1]
            if not len(twice):
                kept = np.concatenate([kept, at])
                return list(zip(vs[kept].tolist(), ss[kept].tolist(), strict=True))
            # Each volunteer taking two keeps the unit of their cheapest slot.
            first: dict[int, int] = {}
            for j in at[np.argsort(cs[at], kind="stable")].tolist():
                first.setdefault(int(vs[j]), j)
            for v in twice.tolist():
                allowed &= (vs != v) | (owner == owner[first[v]])
            if len(twice) > FILL_AT or before is not None:
                continue
            before = (kept, need.copy(), drawn.copy(), allowed.copy())
            keep = np.isin(at, list(first.values()))
            at, from_reserve = at[keep], from_reserve[keep]
            kept = np.concatenate([kept, at])
            np.subtract.at(need, ls[at], 1)
            np.add.at(drawn, np.where(from_reserve, units, owner[at]), 1)
            allowed &= ~np.isin(vs, vs[at])
        return None

    def _holders_flow(
        self,
        key: Group,
        need: np.ndarray,
        drawn: np.ndarray,
        vs: np.ndarray,
        ls: np.ndarray,
        cs: np.ndarray,
        owner: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Which of the arcs (volunteer vs, local slot ls, cost cs, kit from `owner`'s stock or
        the reserve) the cheapest flow filling `need` takes, and whether each draws a reserve
        kit; None if it cannot fill them. `drawn`: kits already spoken for, per owner."""
        day, item = key[:2]
        r = self.r
        fair = self.p.weights.fairness
        code = vs * (len(r.units) + 1) + owner + 1
        uh, hat = np.unique(code, return_inverse=True)
        hv, ho = np.divmod(uh, len(r.units) + 1)
        ho -= 1
        step = fair * (2 * self.busy[hv].sum(axis=1) + 1)
        g = _Network()
        reserve = g.new(1)[0]
        g.arc(SOURCE, reserve, self.left(None, item, day) - drawn[-1], self.reserve_kit)
        mid = g.new(len(uh))
        from_reserve = g.arcs(reserve, mid, 1, 0)
        own = ho >= 0
        units, at = np.unique(ho[own], return_inverse=True)
        stock = g.new(len(units))
        for node, o in zip(stock.tolist(), units.tolist(), strict=True):
            g.arc(SOURCE, node, self.left(r.units[o], item, day) - drawn[o], 0)
        g.arcs(stock[at], mid[own], 1, 0)
        holder = g.new(len(uh))
        g.arcs(mid, holder, 1, step)
        into = g.new(len(need))
        g.arcs(into, SINK, need, 0)
        pairs = g.arcs(holder[hat], into[ls], 1, cs)
        flows = g.solve(int(need.sum()))
        if flows is None:
            return None
        picked = np.flatnonzero(flows[pairs] > 0)
        return picked, flows[from_reserve][hat[picked]] > 0

    def _flow(self, key: Group, old: list[Placed]) -> list[tuple[int, int]] | None:
        """The cheapest (volunteer, slot) pairs for the group's heads, kits accounted exactly,
        each slot keeping its agency and social heads (see the module's docstring)."""
        day, item = key[:2]
        r = self.r
        fair = self.p.weights.fairness
        agency = self.agency
        slots = self.groups[key]
        local = {s: i for i, s in enumerate(slots)}
        heads = np.zeros((len(slots), 2), dtype=np.int64)  # slot -> [agency, social]
        social_own: dict[str | None, int] = defaultdict(int)  # own-stock kits social heads drew
        social_reserve = 0
        for v, s, k in old:
            heads[local[s], 0 if agency[v] else 1] += 1
            if k is not None and not agency[v]:
                if r.city[k]:
                    social_reserve += 1
                else:
                    social_own[self.p.stocks[k].owner] += 1
        split = bool(item)  # each slot's and each stock's split is kept
        vs, ss, cs = self._arcs(slots, old)
        ls = np.array([local[s] for s in ss.tolist()], dtype=np.int64)
        kind = (~agency[vs]).astype(np.int64) if split else np.zeros(len(vs), dtype=np.int64)
        room = heads[ls, kind] if split else heads[ls].sum(axis=1)
        vs, ss, cs, ls, kind = (x[room > 0] for x in (vs, ss, cs, ls, kind))
        g = _Network()
        # Volunteers: each takes one head at the fairness step their load takes.
        uv, vat = np.unique(vs, return_inverse=True)
        vol = g.new(len(uv))
        step = fair * (2 * self.busy[uv].sum(axis=1) + 1)
        own = np.zeros(len(uv), dtype=bool)
        if split:
            own = agency[uv]  # kit drawn before the volunteer
            reserve = g.new(1)[0]
            g.arc(SOURCE, reserve, self.left(None, item, day) - social_reserve, self.reserve_kit)
            mid = g.new(int(own.sum()))
            g.arcs(reserve, mid, 1, 0)
            g.arcs(mid, vol[own], 1, step[own])
            owners = r.unit_of[uv[own]]
            units, at = np.unique(owners, return_inverse=True)
            stock = g.new(len(units))
            for node, o in zip(stock.tolist(), units.tolist(), strict=True):
                name = r.units[o]
                g.arc(SOURCE, node, self.left(name, item, day) - social_own[name], 0)
            g.arcs(stock[at], mid, 1, 0)
        g.arcs(SOURCE, vol[~own], 1, step[~own])
        # Slots (by item: each kind of head apart), social kits after them from the post's user.
        code, sat = np.unique(ls * 2 + kind, return_inverse=True)
        into = g.new(len(code))
        after: dict[str | None, int] = {}
        spare = 0
        if split:
            spare = g.new(1)[0]
            g.arc(spare, SINK, social_reserve, self.reserve_kit)
        for node, c in zip(into.tolist(), code.tolist(), strict=True):
            li, k = divmod(c, 2)
            n = int(heads[li, k]) if split else int(heads[li].sum())
            if split and k == 1:
                user = self.user[slots[li]]
                if user not in after:
                    after[user] = g.new(1)[0]
                    g.arc(after[user], SINK, social_own[user], 0)
                out = g.new(1)[0]
                g.arc(node, out, n, 0)
                g.arc(out, after[user], n, 0)
                g.arc(out, spare, n, 0)
            else:
                g.arc(node, SINK, n, 0)
        pairs = g.arcs(vol[vat], into[sat], 1, cs)
        flows = g.solve(len(old))
        if flows is None:
            return None
        picked = flows[pairs] > 0
        return list(zip(vs[picked].tolist(), ss[picked].tolist(), strict=True))

    def _equip(self, key: Group, chosen: list[tuple[int, int]]) -> list[Placed]:
        """Place the chosen pairs, each kit from its own stock while any is left, else the
        reserve's; the flow guarantees enough."""
        day = key[0]
        r = self.r
        placed = []
        for v, s in chosen:
            k = None
            if item := self.p.slots[s].kit:
                own = self.stocks.get((self.owner(v, s), item, day), [])
                spare = self.stocks.get((None, item, day), [])
                k = next((k for k in [*own, *spare] if r.left[k] > 0), None)
                if k is None:
                    raise AssertionError("the flow drew more kits than the stocks hold")
            self._add(v, s, k)
            placed.append((v, s, k))
        return placed


def reassign(
    problem: Problem,
    choices: Choices,
    placements: list[Placement],
    *,
    deadline: float,
    on_improve: Callable[[float], None] | None = None,
) -> list[Placement]:
    """Cheaper service with the same cover: each day's placements of each kit item re-solved
    exactly (by item, by using unit, free) in rounds until a round gains little, then each
    day's placements of every kit item together until a round gains nothing or `deadline`."""
    if problem.requests:
        return placements  # preferences are per person and day, not per placement
    if any(has_minimums(problem.rules_for(v)) for v in problem.volunteers):
        return placements  # dropping a shift could break a minimum
    work = _Reassign(problem, choices, placements, deadline=deadline)
    groups = sorted(work.groups, key=lambda g: (g[0], g[1], g[3] or ""))
    by_item = sorted((g for g in groups if g[2] in SHAPES), key=lambda g: SHAPES.index(g[2]))
    days = [g for g in groups if g[2] == DAY]
    value = work.value() if days else 0
    # Without day groups the three shapes go on while a round gains anything at all.
    for order, enough in ((by_item, ROUND_GAIN if days else 0.0), (days, 0.0)):
        while time.monotonic() < deadline:
            gained = 0
            for key in order:
                if time.monotonic() > deadline:
                    break
                saved = work.solve(key)
                gained += saved
                if saved > 0 and on_improve is not None:
                    on_improve(float(saved))
            value -= gained
            if gained <= enough * value:
                break
    return work.r.placements()
