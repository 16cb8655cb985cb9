"""A ward's first roster: one person at a time, each given the best schedule against the
cover still missing (the days worked first, by an exact dynamic programme over runs and
weekends where its state space is small, then the shift types on those days), and sweeps of
each person's best whole schedule against everyone else's (best responses)."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matching.runs import best_day_pattern, day_pattern, pattern_states
from matching.ward import Lit, Ward, build_part, runs_automaton


@dataclass
class Outcome:
    """Result of solving a part: status, and the new assignment of the free days if any."""

    status: int
    objective: float | None = None
    bound: float | None = None


def solve_part(
    ward: Ward,
    assign: list[list[int]],
    counts: list[int],
    free: dict[int, set[int]],
    *,
    time_s: float,
    workers: int,
    seed: int,
    use_hint: bool = True,
    accept_equal: bool = True,
    light: bool = False,
    settle_s: float | None = None,
    objective: bool = True,
    kinds: set[str] | None = None,
    automaton: bool = False,
    pattern: dict[int, list[int]] | None = None,
) -> tuple[Outcome, bool]:
    """Re-solve the part; on an improvement (or an equal move) write it into assign/counts."""
    part = build_part(ward, assign, free, counts, kinds, automaton, pattern)
    if not objective:
        part.model.clear_objective()
    if use_hint:
        for v, val in part.hint:
            part.model.add_hint(v, val)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if light:
        # One person's year: presolve would cost more than the search it saves.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        solver.parameters.max_presolve_iterations = 1
    status = solver.solve(part.model, _Settle(solver, settle_s) if settle_s else None)
    out = Outcome(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return out, False
    out.bound = solver.best_objective_bound
    chosen: dict[tuple[int, int], int] = {}
    for key, opts in part.x.items():
        chosen[key] = next((si for si, v in opts if solver.boolean_value(v)), -1)
    # Judge by the true cost: a time-limited solve may leave slack in the cover variables.
    value = part.value(ward, lambda e, d: chosen[(e, d)])
    out.objective = value
    inc = part.incumbent_cost if use_hint else None
    better = inc is None or value < inc
    if not better and not (accept_equal and value <= inc):
        return out, False
    for (e, d), new in chosen.items():
        old = assign[e][d]
        if new != old:
            if old >= 0:
                counts[old] -= 1
            if new >= 0:
                counts[new] += 1
            assign[e][d] = new
    return out, better


class _Settle(cp_model.CpSolverSolutionCallback):
    """Stops the search a little while after the first solution: good enough for a start."""

    def __init__(self, solver: cp_model.CpSolver, settle_s: float) -> None:
        super().__init__()
        self._solver = solver
        self._settle_s = settle_s
        self._timer: threading.Timer | None = None

    def on_solution_callback(self) -> None:
        if self._timer is None:
            self._timer = threading.Timer(self._settle_s, self._solver.stop_search)
            self._timer.daemon = True
            self._timer.start()


class NoScheduleError(RuntimeError):
    """Somebody's own rules admit no schedule, or none was found in time."""

    def __init__(self, status: str, person: str) -> None:
        super().__init__(f"no valid schedule for {person}")
        self.status = status
        self.person = person


def first_roster(
    ward: Ward,
    *,
    deadline: float,
    give_up: float,
    workers: int,
    seed: int,
) -> list[list[int]]:
    """One person at a time, the best schedule against the cover still missing; aims to end
    by `deadline`, raises only when someone has no schedule or `give_up` has passed."""
    n_people, days = ward.people, ward.days
    assign = [[-1] * days for _ in range(n_people)]
    counts = ward.counts(assign)
    order = list(range(n_people))
    random.Random(seed).shuffle(order)
    for k, e in enumerate(order):
        left = deadline - time.monotonic()
        share = max(1.0, left / max(1, n_people - k))
        tries = 0
        while True:
            # First the days worked (a small model), then shift types on exactly those days;
            # every other retry the whole person at once, with no objective.
            limit = min(share * (1 + tries), max(0.1, give_up - time.monotonic()))
            pattern = None
            if tries % 2 == 0:
                # Dynamic programming first (fast, exact on runs and weekends); the CP-SAT
                # days model where it does not apply.
                days_on = _dp_pattern(ward, e, counts, seed + k + 31 * tries, best=tries == 0)
                if days_on is None:
                    days_on = _day_pattern(
                        ward, e, counts, time_s=limit, seed=seed + k + 31 * tries
                    )
                pattern = {e: days_on} if days_on is not None else None
            out = Outcome(cp_model.UNKNOWN)
            if pattern is not None or tries % 2:
                out, _ = solve_part(
                    ward,
                    assign,
                    counts,
                    {e: set(range(days))},
                    time_s=limit,
                    workers=workers,
                    seed=seed + k + tries,
                    use_hint=False,
                    light=True,
                    settle_s=0.2,
                    objective=pattern is not None,
                    automaton=True,
                    pattern=pattern,
                )
            if out.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                break
            final = pattern is None and out.status == cp_model.INFEASIBLE
            if final or time.monotonic() >= give_up - 0.1:
                status = "INFEASIBLE" if out.status == cp_model.INFEASIBLE else "UNKNOWN"
                raise NoScheduleError(status, ward.problem.volunteers[e].id)
            tries += 1
    return assign


def best_responses(ward: Ward, assign: list[list[int]], *, deadline: float, seed: int) -> None:
    """Sweeps of each person's best whole schedule against everyone else's, in place, until
    a sweep gains little or `deadline` passes: the greedy first roster fixes each schedule
    before later people are placed, and this lets every one answer all the others."""
    counts = ward.counts(assign)
    rng = random.Random(seed)
    order = list(range(ward.people))
    value = ward.objective(assign)
    while time.monotonic() < deadline:
        rng.shuffle(order)
        for e in order:
            left = deadline - time.monotonic()
            if left < 0.05:
                return
            solve_part(
                ward,
                assign,
                counts,
                {e: set(range(ward.days))},
                time_s=min(RESPONSE_TIME_S, left),
                workers=1,
                seed=rng.randrange(1 << 30),
                light=True,
            )
        new = ward.objective(assign)
        if value - new <= RESPONSE_STOP * value:
            return
        value = new


RESPONSE_SHARE = 0.25  # most of the time left that best-response sweeps may take
RESPONSE_TIME_S = 0.5  # time limit of one person's best response
RESPONSE_STOP = 0.01  # sweeps end once one gains less than this share


def _day_pattern(
    ward: Ward, e: int, counts: list[int], *, time_s: float, seed: int
) -> list[int] | None:
    """Days person `e` works (1) or not (0), from a model of days alone: runs, weekends, and
    minutes and type caps relaxed through the shortest and longest shift open each day;
    worked days are drawn towards days with uncovered heads."""
    r = ward.rules[e]
    days = ward.days
    m = cp_model.CpModel()
    work: list[Lit] = []
    gain = []
    for d in range(days):
        row = ward.allowed[e][d]
        work.append(m.new_bool_var("") if row else 0)
        need = [ward.under_w[si] for si in row if counts[si] < ward.head[si]]
        over = min((ward.over_w[si] for si in row), default=0)
        gain.append(max(need) if need else -over)
    on = [(d, v) for d, v in enumerate(work) if not isinstance(v, int)]
    short = [min(ward.minutes[si] for si in ward.allowed[e][d]) for d, _ in on]
    long = [max(ward.minutes[si] for si in ward.allowed[e][d]) for d, _ in on]
    period = r.period_days or max(days, 1)
    for p0 in range(0, max(days, 1), period):
        idx = [i for i, (d, _) in enumerate(on) if p0 <= d < p0 + period]
        if r.max_minutes_per_period is not None:
            m.add(sum(short[i] * on[i][1] for i in idx) <= r.max_minutes_per_period)
        lo = r.min_minutes_per_period
        if lo and p0 + period <= days:
            m.add(sum(long[i] * on[i][1] for i in idx) >= lo)
    capped = {ward.kind[si] for row in ward.allowed[e] for si in row}
    if all(t in r.max_shifts_per_type for t in capped):
        m.add(sum(v for _, v in on) <= sum(r.max_shifts_per_type[t] for t in capped))
    runs_automaton(m, work, r)
    hi = r.max_consecutive_days
    if hi is not None:
        for d in range(days - hi):
            window = [w for w in work[d : d + hi + 1] if not isinstance(w, int)]
            if len(window) > hi:
                m.add(sum(window) <= hi)
    if r.max_working_weekends is not None:
        flags = []
        for wk in {ward.weekend[d] for d in range(days)} - {None}:
            lits = [work[d] for d in range(days) if ward.weekend[d] == wk]
            lits = [v for v in lits if not isinstance(v, int)]
            if lits:
                f = m.new_bool_var("")
                for v in lits:
                    m.add_implication(v, f)
                flags.append(f)
        m.add(sum(flags) <= r.max_working_weekends)
    m.maximize(sum(gain[d] * v for d, v in on))
    for d, v in on:  # weekdays on, weekends off: the shape most rules here are written for
        m.add_hint(v, ward.weekend[d] is None)
    # Search times here are heavy-tailed across seeds: restart often with short limits,
    # every other time without the objective, which can hide the first solution.
    end = time.monotonic() + time_s
    attempt = 0
    while True:
        left = end - time.monotonic()
        if left <= 0.05:
            return None
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = min(left, 1.0 + 0.5 * attempt)
        solver.parameters.num_workers = DAY_WORKERS
        solver.parameters.random_seed = seed + attempt
        work_only = cp_model.CpModel()
        work_only.proto.copy_from(m.proto)
        if attempt % 2:
            work_only.clear_objective()
        status = solver.solve(work_only, _Settle(solver, 0.2))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [int(not isinstance(w, int) and solver.boolean_value(w)) for w in work]
        if status == cp_model.INFEASIBLE:
            return None
        attempt += 1


def _dp_pattern(
    ward: Ward, e: int, counts: list[int], seed: int, best: bool = True
) -> list[int] | None:
    """Days person `e` works, by dynamic programming over runs and weekends (`matching.runs`),
    with minutes and type caps relaxed to a range of days worked; None if it cannot apply.
    With `best` and few enough states, the pattern of most uncovered weight, else a random
    one leaning towards it."""
    r = ward.rules[e]
    days = ward.days
    if r.period_days is not None and r.period_days < days:
        return None
    rows = ward.allowed[e]
    lengths = [ward.minutes[si] for row in rows for si in row]
    if not lengths:
        return [0] * days
    short, long = min(lengths), max(lengths)
    least = -(-(r.min_minutes_per_period or 0) // long)
    most = days if r.max_minutes_per_period is None else r.max_minutes_per_period // short
    kinds = {ward.kind[si] for row in rows for si in row}
    if all(t in r.max_shifts_per_type for t in kinds):
        most = min(most, sum(r.max_shifts_per_type[t] for t in kinds))
    gain = []
    for row in rows:
        need = [ward.under_w[si] for si in row if counts[si] < ward.head[si]]
        gain.append(max(need) if need else -1)
    exact = (
        best
        and pattern_states(
            days,
            r.max_consecutive_days,
            r.min_consecutive_days or 1,
            r.min_consecutive_days_off or 1,
            r.max_working_weekends,
            most,
        )
        <= BEST_PATTERN_STATES
    )
    return (best_day_pattern if exact else day_pattern)(
        available=[bool(row) for row in rows],
        gain=gain,
        weekend=ward.weekend,
        max_run=r.max_consecutive_days,
        min_run=r.min_consecutive_days or 1,
        min_off=r.min_consecutive_days_off or 1,
        max_weekends=r.max_working_weekends,
        least=least,
        most=most,
        rng=random.Random(seed),
    )


BEST_PATTERN_STATES = 300_000  # exact patterns up to this much work (a fraction of a second)
FEW_KINDS = 4  # shift types tried first for each person of the first roster
DAY_WORKERS = 8  # the days-worked model gains from a wide portfolio, even on two cores


def _needed_kinds(ward: Ward, e: int, counts: list[int]) -> set[str] | None:
    """The few shift types open to person `e` with the most uncovered heads (uncapped ones
    and a spread of lengths first), or None when the person has few types anyway."""
    need: dict[str, int] = defaultdict(int)
    length: dict[str, int] = {}
    for row in ward.allowed[e]:
        for si in row:
            t = ward.kind[si]
            need[t] += max(0, ward.head[si] - counts[si]) * ward.under_w[si]
            length[t] = ward.minutes[si]
    if len(need) <= FEW_KINDS:
        return None
    caps = ward.rules[e].max_shifts_per_type
    open_ = sorted(need, key=lambda t: (caps.get(t, ward.days) < ward.days // 2, -need[t]))
    chosen = open_[: FEW_KINDS - 2]
    rest = [t for t in open_ if t not in chosen]
    # The shortest and the longest remaining types help meet the minutes window.
    chosen += [min(rest, key=lambda t: length[t]), max(rest, key=lambda t: length[t])]
    return set(chosen)
