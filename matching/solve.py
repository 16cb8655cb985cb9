"""Entry point: build the CP-SAT model from a Problem, solve it, and return a checked Roster."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matching.build import build_model
from matching.candidates import Candidate, all_candidates
from matching.checker import check, score
from matching.decompose import improve_by_parts, person_by_person
from matching.first_roster import NoScheduleError
from matching.flow import Dual, Network, flow_roster, lagrangian
from matching.greedy import greedy_roster, with_placements
from matching.lns import Incumbent, improve
from matching.model import RosterModel
from matching.patterns import rest_keeping_lists, shift_ranks
from matching.problem import Placement, Problem
from matching.prune import Nearest, nearest_eligible, pruned_candidates
from matching.reasons import explain_unfilled
from matching.reassign import Choices, reassign
from matching.roster import NoRosterError, Roster, SolveStats, Unfilled, unfilled_heads
from matching.shifts import fits, solve_ward
from matching.swaps import fill_by_moves, improve_service


@dataclass(frozen=True, slots=True)
class Progress:
    """A new best roster found during the solve."""

    objective: float
    bound: float
    time_s: float
    solutions: int


class RosterCheckError(RuntimeError):
    """The optimizer produced a roster that the independent checker rejects (a defect)."""


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Callable[[Progress], None], started: float) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._started = started
        self._n = 0

    def on_solution_callback(self) -> None:
        self._n += 1
        self._on_progress(
            Progress(
                self.objective_value,
                self.best_objective_bound,
                time.monotonic() - self._started,
                self._n,
            )
        )


def solve(
    problem: Problem,
    *,
    time_limit_s: float,
    workers: int = 2,
    on_progress: Callable[[Progress], None] | None = None,
    hint: Roster | None = None,
    seed: int = 0,
) -> Roster:
    """The best roster found within the time limit; it always passes `check`.

    CP-SAT first runs on the whole model (which proves small problems optimal and gives the
    bound); if time remains, structured large-neighbourhood search improves its roster.
    """
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    if fits(problem):
        return _solve_ward(problem, time_limit_s, workers, seed, on_progress, hint, t0)
    candidates, lists = _candidates(problem)
    # Without minimum rules a greedy roster from the pins is valid: the fallback at any limit.
    rest = {"deadline": deadline, "workers": workers, "seed": seed}
    large = len(candidates) > LARGE
    dual: Dual | None = None
    guide: list[Placement] = []
    if large and not _has_minimums(problem):
        if lists is None:
            lists = nearest_eligible(problem, reach=max(1, len(problem.volunteers)))
        nearest = [n.first(NEAREST) for n in lists]
        dual, guide = _flow_guide(problem, nearest, started=t0, time_limit_s=time_limit_s)
        candidates = with_placements(problem, candidates, guide)
    share = 0.75 if large else 0.15
    start = _first_roster(problem, candidates, deadline=t0 + share * time_limit_s, guide=guide)
    if start is not None and large:
        return _solve_large(
            problem,
            with_placements(problem, candidates, start),
            start,
            dual,
            lists,
            started=t0,
            deadline=deadline,
            workers=workers,
            seed=seed,
            on_progress=on_progress,
        )
    if start is not None and deadline - time.monotonic() < 3.0:
        # Too little time to build and presolve the whole model: the first roster it is.
        return _finish_start(problem, start, candidates, bound=None, started=t0, **rest)
    m = build_model(problem, candidates=with_placements(problem, candidates, start or []))
    if hint is not None:
        _add_hint(m, hint.assignments)
    else:
        _add_hint(m, tuple(start) if start is not None else problem.previous)
    solver = cp_model.CpSolver()
    # Large models rarely finish the whole-model phase; keep time for the fallbacks.
    full_share = (0.5 if len(m.x) <= LARGE else 0.25) if m.x else 1.0
    solver.parameters.max_time_in_seconds = max(0.01, full_share * (deadline - time.monotonic()))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = _Progress(on_progress, t0) if on_progress is not None else None
    status = solver.solve(m.model, callback)
    bound = solver.best_objective_bound
    best = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best = Incumbent(list(solver.response_proto.solution), solver.objective_value)
    elif status == cp_model.UNKNOWN and start is not None:
        return _finish_start(problem, start, candidates, bound=bound, started=t0, **rest)
    elif status == cp_model.UNKNOWN:
        # No roster yet: people's own rules are what is hard, so build one person at a time.
        share = t0 + 0.85 * (deadline - t0)
        placements = person_by_person(
            problem, candidates, deadline=share, workers=workers, seed=seed
        )
        if placements is not None:
            best = complete(m, placements, workers=workers)
        if best is not None:
            status = cp_model.FEASIBLE
        elif time.monotonic() < deadline - 0.1:
            solver.parameters.max_time_in_seconds = max(0.01, deadline - time.monotonic())
            status = solver.solve(m.model, callback)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                best = Incumbent(list(solver.response_proto.solution), solver.objective_value)
    name = solver.status_name(status)
    if best is None:
        why = (
            "the hard rules cannot all hold"
            if status == cp_model.INFEASIBLE
            else ("no roster found within the time limit")
        )
        raise NoRosterError(name, why)
    if status == cp_model.FEASIBLE and time.monotonic() < deadline - 0.2:
        count = [0]

        def report(inc: Incumbent) -> None:
            count[0] += 1
            if on_progress is not None:
                on_progress(Progress(inc.objective, bound, time.monotonic() - t0, count[0]))

        best = improve(m, best, deadline=deadline, workers=workers, seed=seed, on_improve=report)
        if best.objective <= bound + 1e-9:
            name = "OPTIMAL"
    if start is not None and name != "OPTIMAL" and _value(problem, start) < best.objective:
        return _finish_start(problem, start, candidates, bound=bound, started=t0, **rest)
    return finish(
        problem,
        extract(m, best.values),
        status=name,
        bound=bound,
        bound_source="CP-SAT",
        started=t0,
    )


def _solve_ward(
    problem: Problem,
    time_limit_s: float,
    workers: int,
    seed: int,
    on_progress: Callable[[Progress], None] | None,
    hint: Roster | None,
    t0: float,
) -> Roster:
    """One shift a day, per-placement costs only: `matching.shifts` (person-wise model, LNS)."""
    count = [0]

    def report(value: int, bound: float | None) -> None:
        count[0] += 1
        if on_progress is not None:
            on_progress(Progress(value, bound or 0.0, time.monotonic() - t0, count[0]))

    start = list(hint.assignments) if hint is not None else list(problem.previous) or None
    try:
        r = solve_ward(
            problem,
            time_limit_s=max(0.0, time_limit_s - (time.monotonic() - t0)),
            workers=workers,
            seed=seed,
            on_improve=report,
            start=start,
        )
    except NoScheduleError as e:
        why = "the hard rules cannot all hold" if e.status == "INFEASIBLE" else str(e)
        raise NoRosterError(e.status, why) from e
    status = "OPTIMAL" if r.optimal else "FEASIBLE"
    return finish(
        problem,
        r.placements,
        status=status,
        bound=r.bound,
        bound_source=r.bound_source,
        started=t0,
        # Reasons re-check every eligible person per unfilled line: minutes on year-long wards.
        explain=len(problem.slots) * len(problem.volunteers) <= EXPLAIN_LIMIT,
    )


EXPLAIN_LIMIT = 50_000  # slot × person pairs up to which ward rosters get unfilled reasons


# Above this many candidate placements the whole model is too big to build and solve in time:
# a greedy roster is improved by decomposition instead, with a flow bound.
LARGE = 20_000
# Above this many volunteer × slot pairs candidates are pruned to the nearest eligible.
PRUNE = 2_000_000
NEAREST = 60  # each slot's nearest eligible volunteers for the candidates and the flow


def _candidates(problem: Problem) -> tuple[list[Candidate], list[Nearest] | None]:
    """All candidates for small problems; for large, the nearest eligible, with each slot's
    list as deep as the re-solves may take (one pass gives both)."""
    if len(problem.volunteers) * len(problem.slots) <= PRUNE:
        return all_candidates(problem), None
    deep = len(problem.slots) * REASSIGN_REACH <= REASSIGN_PAIRS
    lists = nearest_eligible(problem, reach=REASSIGN_REACH if deep else NEAREST)
    nearest = [n.first(NEAREST) for n in lists]
    # The model keeps fewer, from several units (local stocks); gaps look further when filled.
    return pruned_candidates(problem, nearest, per_slot=30, per_unit=6), lists


# From this time limit on, the guide keeps rest exactly (matching.patterns): at county size
# its extra flows take a fifth of a minute, which pays at 120 s (5 % fewer reserve kits, the
# same travel) but not at 60 s.
PATTERN_LIMIT_S = 100.0
# Above this many arcs a flow round takes too long to spend on a guide within a minute.
FLOW_ARCS = 2_000_000
# Seconds one flow takes per arc, building the network included (county: 1.2 M arcs in 6 s).
FLOW_S_PER_ARC = 15e-6


def _flow_guide(
    problem: Problem, nearest: list[Nearest], *, started: float, time_limit_s: float
) -> tuple[Dual | None, list[Placement]]:
    """The flow relaxation's bound, its prices, and the roster its rounds suggest (rest and
    kits priced in), for the greedy roster to follow; nothing when the network is too big."""
    if _arcs(nearest) > FLOW_ARCS:
        return None, []
    net = Network(problem, nearest)
    ranks = shift_ranks(problem)
    if ranks is None or time_limit_s < PATTERN_LIMIT_S:
        # Timed from now, not from the start: when the lists took longer (deeper lists, a
        # slower machine) a second round of stock prices must still fit, or heads go uncovered
        # (county seed 1 with one round: 24 open heads).
        now = time.monotonic()
        dual = lagrangian(net, deadline=now + 0.15 * time_limit_s, max_iterations=2)
        guide = flow_roster(net, dual, deadline=now + 0.3 * time_limit_s, rounds=3)
        return dual, guide
    # Rest kept exactly: the flow runs over only the arcs that day patterns allow, patterns
    # built around what a flow ignoring rest has each volunteer work, then around what the
    # first cut of it could really cover; stocks are priced in.
    lists = rest_keeping_lists(problem, nearest, ranks=ranks, worked=net.worked())
    first = Network(problem, lists, rest_cliques=False)
    lists = rest_keeping_lists(problem, nearest, ranks=ranks, worked=first.worked())
    kept = Network(problem, lists, rest_cliques=False)
    prices = lagrangian(kept, deadline=started + 0.45 * time_limit_s, max_iterations=4)
    guide = flow_roster(kept, prices, deadline=started + 0.55 * time_limit_s, rounds=3)
    # The bound: the flow at zero prices over every arc, everyone beyond the lists included.
    return lagrangian(net, deadline=0.0, max_iterations=1), guide


def _arcs(nearest: list[Nearest]) -> int:
    """Volunteer-to-slot arcs of a flow network over these lists."""
    return sum(len(n.volunteers) for n in nearest)


def _first_roster(
    problem: Problem,
    candidates: list[Candidate],
    *,
    deadline: float,
    guide: Sequence[Placement] = (),
) -> list[Placement] | None:
    """Pins, the published roster's still-valid placements, then greedy (preferring the
    `guide`'s placements) and gap filling (direct, by switching kits, by moving someone); None
    when minimum rules apply (a greedy roster may break them) or the pins do not hold."""
    if _has_minimums(problem):
        return None
    now = time.monotonic()
    greedy = greedy_roster(problem, candidates, deadline=now + 0.5 * (deadline - now), guide=guide)
    placements = fill_by_moves(problem, candidates, greedy, deadline=deadline)
    if check(problem, Roster(tuple(placements), unfilled_heads(problem, placements))):
        return None
    return placements


def _value(problem: Problem, placements: list[Placement]) -> int:
    """The objective of a roster given by its placements."""
    roster = Roster(tuple(placements), unfilled_heads(problem, placements))
    return sum(score(problem, roster).values())


def _finish_start(
    problem: Problem,
    start: list[Placement],
    candidates: list[Candidate],
    *,
    bound: float | None,
    started: float,
    deadline: float,
    workers: int,
    seed: int,
) -> Roster:
    """The first (greedy) roster, improved by decomposition in the time left, as the answer
    when the whole model found nothing better."""
    finish_s = 0.5 + len(problem.slots) / 5_000  # checking and explaining the result
    if deadline - finish_s - time.monotonic() > 1.0:
        start = improve_by_parts(
            problem,
            with_placements(problem, candidates, start),
            start,
            deadline=deadline - finish_s,
            workers=workers,
            seed=seed,
        )
    source = "CP-SAT" if bound is not None else ""
    return finish(
        problem, start, status="FEASIBLE", bound=bound, bound_source=source, started=started
    )


def _solve_large(
    problem: Problem,
    candidates: list[Candidate],
    placements: list[Placement],
    dual: Dual | None,
    lists: list[Nearest] | None,
    *,
    started: float,
    deadline: float,
    workers: int,
    seed: int,
    on_progress: Callable[[Progress], None] | None,
) -> Roster:
    """From a valid first roster: exact day re-solves, cheaper service by moves, then
    decomposition search until the deadline. The bound is the flow relaxation's: `dual`, or one
    flow solved now if time allows. `lists`: each slot's nearest eligible, as deep as the
    re-solves may take."""
    finish_s = 1.0 + len(problem.slots) / 15_000  # checking and explaining the result
    left = deadline - finish_s - time.monotonic()
    nearest = [n.first(NEAREST) for n in lists] if lists is not None else None
    if dual is None and nearest is not None and left > 2 * FLOW_S_PER_ARC * _arcs(nearest):
        net = Network(problem, nearest)
        dual = lagrangian(net, deadline=time.monotonic() + 0.3 * left, max_iterations=1)
    bound, bound_source = None, ""
    if dual is not None:
        bound = dual.value
        bound_source = "min-cost flow, Lagrangian prices on stocks and rest"
    current = [float(_value(problem, placements))]

    def report(gain: float) -> None:
        current[0] -= gain
        if on_progress is not None:
            on_progress(Progress(current[0], bound or 0.0, time.monotonic() - started, 0))

    report(0.0)
    # Exact re-solves of each day's placements of each kit item come first and take most of the
    # time: at county size a round takes about 5 s, the first cuts the objective by a quarter,
    # the third by 1 %; on seed 1, 0.95 of the time beat 0.85 and 0.6 (moves the rest).
    if lists is not None and _arcs(lists) <= REASSIGN_PAIRS:
        choices = Choices.nearest(lists)
    else:
        choices = Choices.of(problem, candidates)
    until = time.monotonic() + REASSIGN_SHARE * max(0.0, deadline - finish_s - time.monotonic())
    placements = reassign(problem, choices, placements, deadline=until, on_improve=report)
    # Then moves, which also change days (county, before the re-solves: a sixth of the reserve
    # kits and 4 % of the travel in 12 s, where CP-SAT re-solves of parts gained nothing); the
    # parts get a fifth of what is left while some head is open (they may still fill it). Both
    # need a few seconds to build their indexes at city size, so neither starts without them.
    if deadline - finish_s - time.monotonic() > 2.0:
        candidates = with_placements(problem, candidates, placements)
        share = 0.8 if unfilled_heads(problem, placements) else 1.0
        until = time.monotonic() + share * max(0.0, deadline - finish_s - time.monotonic())
        before = _value(problem, placements)
        placements = improve_service(problem, candidates, placements, deadline=until)
        report(float(before - _value(problem, placements)))
    if deadline - finish_s - time.monotonic() > 2.0:
        placements = improve_by_parts(
            problem,
            candidates,
            placements,
            deadline=deadline - finish_s,
            workers=workers,
            seed=seed,
            on_improve=report,
        )
    return finish(
        problem,
        placements,
        status="FEASIBLE",
        bound=bound,
        bound_source=bound_source,
        started=started,
    )


REASSIGN_SHARE = 0.9  # of the time left after the first roster
REASSIGN_REACH = 120  # each slot's nearest eligible volunteers the re-solves may choose from
# Deeper lists up to this many (volunteer, slot) pairs (county: 2.3 M); beyond, as at city
# size, where building them overran the minute, the re-solves keep the pruned candidates.
REASSIGN_PAIRS = 2_500_000


def _has_minimums(problem: Problem) -> bool:
    """Rules a greedy roster may fail to meet."""
    rules = [problem.rules] + [v.rules for v in problem.volunteers if v.rules is not None]
    return any(
        r.min_minutes_per_period or r.min_consecutive_days or r.min_consecutive_days_off
        for r in rules
    )


def complete(m: RosterModel, placements: list[Placement], *, workers: int) -> Incumbent | None:
    """Every variable's value for a given roster: fix placements and kits, let CP-SAT derive
    the rest (run indicators, fairness steps, unfilled counts)."""
    p = m.problem
    vi = {v.id: i for i, v in enumerate(p.volunteers)}
    si = {s.id: i for i, s in enumerate(p.slots)}
    ki = {k.id: i for i, k in enumerate(p.stocks)}
    on = {(vi[a.volunteer], si[a.slot]) for a in placements}
    kits = {(vi[a.volunteer], si[a.slot], ki[a.stock]) for a in placements if a.stock is not None}
    fixed = m.model.clone()
    for key, x in m.x.items():
        if key not in on:
            d = fixed.proto.variables[x.index].domain
            d[0] = d[1] = 0
    for key, lit in m.kit.items():
        if m.x.get(key[:2]) is lit:
            continue  # the placement itself
        d = fixed.proto.variables[lit.index].domain
        d[0] = d[1] = 1 if key in kits else 0
    for key in on:
        d = fixed.proto.variables[m.x[key].index].domain
        d[0] = d[1] = 1
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30.0
    solver.parameters.num_workers = workers
    status = solver.solve(fixed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Incumbent(list(solver.response_proto.solution), solver.objective_value)


def extract(m: RosterModel, values: list[int]) -> list[Placement]:
    """The placements (with stocks) of a complete solution vector."""
    p = m.problem
    kit_of: dict[tuple[int, int], int] = {}
    for (v, s, k), lit in m.kit.items():
        if values[lit.index]:
            kit_of[(v, s)] = k
    out = []
    for (v, s), x in m.x.items():
        if values[x.index]:
            k = kit_of.get((v, s))
            out.append(
                Placement(p.volunteers[v].id, p.slots[s].id, None if k is None else p.stocks[k].id)
            )
    return out


def finish(
    problem: Problem,
    placements: list[Placement],
    *,
    status: str,
    bound: float | None,
    bound_source: str,
    started: float,
    explain: bool = True,
) -> Roster:
    """Placements as a Roster with reasons and honest stats; refused if the checker refuses it."""
    unfilled = unfilled_heads(problem, placements)
    bare = Roster(tuple(placements), unfilled)
    violations = check(problem, bare)
    if violations:
        raise RosterCheckError(
            f"{len(violations)} violations, first: {violations[0].rule}: {violations[0].message}"
        )
    terms = score(problem, bare)
    objective = sum(terms.values())
    if status == "OPTIMAL":
        bound = float(objective)
    gap = None
    if bound is not None:
        gap = max(0.0, (objective - bound) / max(1.0, abs(objective)))
    stats = SolveStats(
        status=status,
        objective=objective,
        terms=terms,
        bound=bound,
        bound_source=bound_source,
        gap=gap,
        time_s=time.monotonic() - started,
    )
    reasons = explain_unfilled(problem, bare) if explain else {}
    unfilled = [Unfilled(u.slot, u.missing, reasons.get(u.slot, "")) for u in unfilled]
    return Roster(tuple(placements), tuple(unfilled), stats)


def _add_hint(m: RosterModel, placements: tuple[Placement, ...]) -> None:
    """Hint the given placements (and no others) where they are still candidates."""
    if not placements:
        return
    p = m.problem
    vi = {v.id: i for i, v in enumerate(p.volunteers)}
    si = {s.id: i for i, s in enumerate(p.slots)}
    on = {(vi.get(a.volunteer, -1), si.get(a.slot, -1)) for a in placements}
    for key, x in m.x.items():
        m.model.add_hint(x, key in on)
