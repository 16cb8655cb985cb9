"""A ward's set-partitioning relaxation by column generation: a proven bound, and the
schedules its LP optimum mixes.

The master LP gives each person a convex mix of known whole schedules (columns) and prices
every cover line's heads short or over at its weights. Pricing finds each person's cheapest
schedule at the cover lines' duals: exactly, in milliseconds, by the dynamic programme of
`matching.pricing` (its `MANY` cheapest end states each a column), or where a person's rules lie
outside it by CP-SAT on the model of that person alone (`matching.ward`), every solution it
passes on the way kept as a column. Any pricing round over everyone gives a Lagrangian lower
bound on the roster (each person's term is the proven optimum, or CP-SAT's proven bound, so a
round cut short by the time limit per person still counts). The relaxation is strong: on
benchmark instance 12 it proves 4,040 (the optimum) where the compact model's LP gives 3,086,
in 33 rounds and about 6 s by the programme (57 rounds and 29 s by CP-SAT); on 8, whose capped
shift types once left 17 of its 30 people to CP-SAT, 1,297 in 29 rounds and 3 s (20 s then).
While CP-SAT prices anyone, rounds cut its pricing short (`QUICK_S` a person) and give it half
of its people (the duals move after half already) until a round finds nothing; then rounds are
exact.
Once the LP is proven, `rounded` gives each person their heaviest LP schedule and then sweeps
of exact best responses (each person's cheapest schedule against the cover the others leave, by
the same programme): on 12 a roster at 4,866 in 0.3 s, where the search stood near 5,800 when
the LP was proven. Then `combine` picks one known schedule per person by CP-SAT (the restricted
master as an integer program): a roster made of the LP's schedules and the search's, which
can lie in another basin than the search's (benchmark 5: 1,146 from the columns alone where the
search sat at 1,235).
(Smoothing the duals towards the best bound's slowed convergence here: the early bounds are
weak, so the centre stayed at the first round's extreme duals.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from matching.ward import BARRED, Ward, build_part

SCALE = 10_000  # duals are fractional; pricing objectives are integers in these units
QUICK_S, EXACT_S = 0.02, 2.0  # pricing limit per person: early rounds, then exact rounds
# The restricted master's integer program: level 1 closed benchmark 5's (450 columns) in 5 s
# on one worker, level 2 in 7 s, level 0 found nothing better than 2,069 in 10 s.
COMBINE_LINEARIZATION = 1
# Schedules the dynamic programme offers per person and round: with 3, benchmark 12 converged
# in 35 rounds (8.1 s), with 1 in 47 (10.1 s), with 8 in 29 (10.0 s: larger master LPs).
MANY = 3
TOLERANCE = 1e-3  # a column enters when its reduced cost is below minus this
USED = 1e-6  # a column with more LP weight than this is in the LP's support
MOST_SWEEPS = 20  # of best responses after rounding the LP (12: three sweeps, 0.3 s)


class MasterError(RuntimeError):
    """The master LP solver stopped without an optimum (a numerical failure)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"master LP not solved (GLOP status {status})")
        self.status = status


class _Keep(cp_model.CpSolverSolutionCallback):
    """Every schedule the pricing solve passes: each one may price out."""

    def __init__(self, cells: list[list[tuple[int, cp_model.IntVar]]]) -> None:
        super().__init__()
        self._cells = cells
        self.rows: list[list[int]] = []

    def on_solution_callback(self) -> None:
        self.rows.append(
            [next((si for si, v in opts if self.boolean_value(v)), -1) for opts in self._cells]
        )


class _Offer(cp_model.CpSolverSolutionCallback):
    """Passes each roster of the restricted master's integer program on; stops on request."""

    def __init__(
        self,
        chosen: list[cp_model.IntVar],
        columns: list[tuple[int, list[int]]],
        people: int,
        offer: Callable[[list[list[int]]], None],
        stop: Callable[[], bool],
    ) -> None:
        super().__init__()
        self._chosen, self._columns, self._people = chosen, columns, people
        self._offer, self._stop = offer, stop

    def on_solution_callback(self) -> None:
        assign: list[list[int]] = [[] for _ in range(self._people)]
        for x, (e, row) in zip(self._chosen, self._columns, strict=True):
            if self.boolean_value(x):
                assign[e] = list(row)
        self._offer(assign)
        if self._stop():
            self.stop_search()


class Columns:
    """Column generation over one ward, started from a roster's schedules (any valid one)."""

    def __init__(self, ward: Ward, start: list[list[int]]) -> None:
        self.ward = ward
        n_slots = len(ward.head)
        empty = [[-1] * ward.days for _ in range(ward.people)]
        # Each person's pricer: the dynamic programme where it fits, else CP-SAT's model.
        self._pricers = ward.pricers
        self._pricing = []
        for e, pricer in enumerate(self._pricers):
            if pricer is not None:
                self._pricing.append(None)
                continue
            part = build_part(ward, empty, {e: set(range(ward.days))}, [0] * n_slots)
            part.model.clear_objective()
            self._pricing.append((part.model, [part.x[(e, d)] for d in range(ward.days)]))
        self.columns: list[tuple[int, list[int]]] = []  # (person, [day] -> slot or -1)
        self._seen: set[tuple[int, tuple[int, ...]]] = set()
        self._new_master()
        self.value = math.inf  # the master LP's optimum over the columns so far
        self.bound: float | None = None  # the best Lagrangian bound, proven
        self.converged = False
        # Quick rounds cut CP-SAT's pricing short; with none of it, every round is exact.
        self._quick = any(p is None for p in self._pricers)
        self._rounds = 0
        for e, row in enumerate(start):
            self.add(e, row)

    def _new_master(self) -> None:
        """The master LP over the columns so far."""
        w = self.ward
        self._lp = pywraplp.Solver.CreateSolver("GLOP")
        inf = self._lp.infinity()
        self._cover = [self._lp.Constraint(float(h), float(h)) for h in w.head]
        self._one = [self._lp.Constraint(1.0, 1.0) for _ in range(w.people)]
        objective = self._lp.Objective()
        for si, row in enumerate(self._cover):
            short = self._lp.NumVar(0.0, inf, "")
            over = self._lp.NumVar(0.0, float(w.cap[si] - w.head[si]), "")
            row.SetCoefficient(short, 1.0)
            row.SetCoefficient(over, -1.0)
            objective.SetCoefficient(short, float(w.under_w[si]))
            objective.SetCoefficient(over, float(w.over_w[si]))
        objective.SetMinimization()
        self._weights: list[pywraplp.Variable] = []
        for e, row in self.columns:
            self._column(e, row)

    def _column(self, e: int, row: list[int]) -> None:
        weight = self._lp.NumVar(0.0, self._lp.infinity(), "")
        self._lp.Objective().SetCoefficient(weight, float(self._cost(e, row)))
        self._one[e].SetCoefficient(weight, 1.0)
        for si in row:
            if si >= 0:
                self._cover[si].SetCoefficient(weight, 1.0)
        self._weights.append(weight)

    def add(self, e: int, row: list[int]) -> bool:
        """Offer person `e`'s schedule ([day] -> slot or -1, valid) as a column; False if known."""
        key = (e, tuple(row))
        if key in self._seen:
            return False
        self._seen.add(key)
        self.columns.append((e, row))
        self._column(e, row)
        return True

    def _cost(self, e: int, row: list[int]) -> int:
        c = self.ward.cost[e]
        return sum(c.get(si, 0) for si in row if si >= 0)

    def _solve_master(self) -> tuple[list[float], list[float]]:
        status = self._lp.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            # Always feasible (each person has a column): the warm start went wrong; once
            # more from scratch.
            self._new_master()
            status = self._lp.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            raise MasterError(status)
        self.value = self._lp.Objective().Value() + self.ward.constant
        return [c.dual_value() for c in self._cover], [c.dual_value() for c in self._one]

    def _price(
        self, e: int, duals: list[float], own: float, limit_s: float, deadline: float
    ) -> tuple[list[list[int]], float] | None:
        """Schedules found for person `e` at `duals`, and a proven bound on the cheapest's
        reduced cost before the person's own dual `own`; None once `deadline` has passed."""
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        pricer = self._pricers[e]
        if pricer is not None:  # exact, in milliseconds
            # The person's columns in the LP's basis cost `own` at these duals, so the
            # cheapest schedule costs no more: states that cannot end below it are dropped.
            upper = own + TOLERANCE
            price = self.ward.cost_array[e] - np.asarray(duals)
            found = pricer.cheapest(price, many=MANY, upper=upper)
            return [row for _, row in found], found[0][0] if found else upper
        limit_s = min(limit_s, left)
        model, cells = self._pricing[e]
        c = self.ward.cost[e]
        terms = []
        for opts in cells:
            for si, v in opts:
                k = round((c.get(si, 0) - duals[si]) * SCALE)
                if k:
                    terms.append(k * v)
        model.minimize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = limit_s
        solver.parameters.linearization_level = 2
        # One person's month: presolve costs more than the search it saves.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        solver.parameters.max_presolve_iterations = 1
        keep = _Keep(cells)
        solver.solve(model, keep)
        # Rounding each term moves a schedule's cost by at most half a unit a day.
        slack = 0.5 * len(cells) / SCALE
        return keep.rows, solver.best_objective_bound / SCALE - slack

    def _lagrangian(self, duals: list[float], priced: list[float]) -> float:
        """The cover rows relaxed at `duals`: each line's heads short (at most its headcount)
        and over (at most its room) at their cheapest, plus each person's priced term."""
        w = self.ward
        total = w.constant + sum(priced)
        for si, y in enumerate(duals):
            total += y * w.head[si]
            total += min(0.0, w.under_w[si] - y) * w.head[si]
            total += min(0.0, w.over_w[si] + y) * (w.cap[si] - w.head[si])
        return total

    def step(self, *, deadline: float) -> bool:
        """One round: solve the master, price (half of) everyone; False once the LP optimum
        is proven."""
        duals, own = self._solve_master()
        self._rounds += 1
        people = range(self.ward.people)
        if self._quick:
            # Alternate halves of those CP-SAT prices (the duals move after half already);
            # the dynamic programme prices everyone it can, exactly, every round.
            people = [
                e for e in people if self._pricers[e] is not None or e % 2 == self._rounds % 2
            ]
        found = []
        for e in people:
            priced = self._price(e, duals, own[e], QUICK_S if self._quick else EXACT_S, deadline)
            if priced is None:
                return True  # cut short by the deadline
            found.append(priced)
        added = 0
        for e, (rows, _) in zip(people, found, strict=True):
            for row in rows:
                reduced = self._cost(e, row) - sum(duals[si] for si in row if si >= 0)
                if reduced - own[e] < -TOLERANCE and self.add(e, row):
                    added += 1
        if self._quick:
            if added == 0:
                self._quick = False  # nothing found quickly: exact rounds from now on
            return True
        # Everyone priced exactly (or up to CP-SAT's proven bound): a Lagrangian bound.
        bound = self._lagrangian(duals, [low for _, low in found])
        if self.bound is None or bound > self.bound:
            self.bound = bound
        # Nothing prices out, or the bound meets the LP: the LP optimum is proven.
        self.converged = added == 0 or self.value - self.bound < 1e-6
        return not self.converged

    def run(self, *, deadline: float) -> None:
        """Rounds until the LP optimum is proven or `deadline` passes."""
        while time.monotonic() < deadline and self.step(deadline=deadline):
            pass

    def combine(
        self,
        start: list[list[int]],
        *,
        deadline: float,
        offer: Callable[[list[list[int]]], None],
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """One known schedule per person at the least roster cost, by CP-SAT from `start`
        (whose schedules join the columns) until `deadline` or `stop()`: each better roster
        found goes to `offer`."""
        if deadline <= time.monotonic():
            return
        for e, row in enumerate(start):
            self.add(e, row)
        w = self.ward
        model = cp_model.CpModel()
        chosen = [model.new_bool_var("") for _ in self.columns]
        mine: list[list[cp_model.IntVar]] = [[] for _ in range(w.people)]
        heads: list[list[cp_model.IntVar]] = [[] for _ in w.head]
        terms = []
        for x, (e, row) in zip(chosen, self.columns, strict=True):
            mine[e].append(x)
            model.add_hint(x, row == start[e])
            if cost := self._cost(e, row):
                terms.append(cost * x)
            for si in row:
                if si >= 0:
                    heads[si].append(x)
        for xs in mine:
            model.add_exactly_one(xs)
        for si, h in enumerate(w.head):
            short = model.new_int_var(0, h, "")
            over = model.new_int_var(0, w.cap[si] - h, "")
            model.add(sum(heads[si]) + short - over == h)
            terms += [w.under_w[si] * short, w.over_w[si] * over]
        model.minimize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.01, deadline - time.monotonic())
        solver.parameters.linearization_level = COMBINE_LINEARIZATION
        solver.solve(model, _Offer(chosen, self.columns, w.people, offer, stop))

    def rounded(self) -> list[list[int]] | None:
        """A roster from the LP: each person's heaviest schedule in its optimum, then sweeps
        of best responses (`settled`); None if a slot stays above its cap."""
        self._solve_master()
        heaviest: list[tuple[float, list[int]]] = [(-1.0, [])] * self.ward.people
        for (e, row), weight in zip(self.columns, self._weights, strict=True):
            if weight.solution_value() > heaviest[e][0]:
                heaviest[e] = (weight.solution_value(), row)
        assign = settled(self.ward, [list(row) for _, row in heaviest])
        return None if self.ward.above_caps(assign) else assign

    def support(self) -> list[list[set[int]]]:
        """Per person and day, the slots (-1: off) of the schedules the LP optimum uses."""
        self._solve_master()
        w = self.ward
        used = [[set() for _ in range(w.days)] for _ in range(w.people)]
        for (e, row), weight in zip(self.columns, self._weights, strict=True):
            if weight.solution_value() > USED:
                for d, si in enumerate(row):
                    used[e][d].add(si)
        return used


def settled(ward: Ward, assign: list[list[int]]) -> list[list[int]]:
    """`assign` with each person in turn given their cheapest schedule against the cover the
    others leave, sweep after sweep until one gains nothing. Unlike
    `first_roster.best_responses` (CP-SAT per person, in place, within a deadline) each answer
    is exact and takes milliseconds, by the pricing programme; people without one keep
    theirs. Heads above a slot's cap cost `BARRED` each, so the sweeps also bring a roster
    back under its caps where they can."""

    def judged(rows: list[list[int]]) -> float:
        return ward.objective(rows) + BARRED * ward.above_caps(rows)

    value = judged(assign)
    for _ in range(MOST_SWEEPS):
        before = value
        for e, pricer in enumerate(ward.pricers):
            if pricer is None:
                continue
            others = np.array(ward.counts(assign))
            for si in assign[e]:
                if si >= 0:
                    others[si] -= 1
            found = pricer.cheapest(ward.response_price(e, others))
            trial = [*assign[:e], found[0][1], *assign[e + 1 :]]
            if (v := judged(trial)) < value:
                assign, value = trial, v
        if value == before:
            break
    return assign
