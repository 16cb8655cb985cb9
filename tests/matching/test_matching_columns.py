"""Column generation over a ward (matching.columns): every column a valid schedule, a bound
between the compact LP and the brute-force optimum, rosters combined from the known schedules,
and the relaxation-induced neighbourhood and bound it gives the search."""

from __future__ import annotations

import itertools
import random
import sys
import time

import pytest

from matching.checker import check, check_workload, score
from matching.columns import Columns, settled
from matching.lp_bound import lp_bound
from matching.problem import Problem
from matching.shifts import RELAXED, _neighbourhood, _Shared, _whole_lane, search
from matching.solve import solve
from matching.ward import Ward, build_part
from tests.matching.test_matching_shifts import _first, _roster, brute_force, ward


def _compact_lp(w: Ward) -> float:
    empty = [[-1] * w.days for _ in range(w.people)]
    every = {e: set(range(w.days)) for e in range(w.people)}
    relaxed = lp_bound(build_part(w, empty, every, w.counts(empty)).model)
    assert relaxed is not None
    touched = {si for rows in w.allowed for row in rows for si in row}
    offset = w.constant + sum(w.cover_cost(si, 0) for si in range(len(w.head)) if si not in touched)
    return relaxed + offset


@pytest.fixture(params=["programme", "cp-sat"])
def pricing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Price by the dynamic programme, or (no programme fitting) by CP-SAT for everyone."""
    if request.param == "cp-sat":
        monkeypatch.setattr(sys.modules["matching.pricing"], "MOST_STATES", 0)
    return request.param


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 6])  # (ward 5 has no valid roster)
def test_the_bound_lies_between_the_compact_lp_and_the_optimum(seed: int, pricing: str) -> None:
    """Converged, the Lagrangian bound meets the master LP, sits at or below the brute-force
    optimum and at or above the compact model's LP (whole schedules relax less)."""
    p = ward(seed, people=2, days=4)
    best = brute_force(p)
    assert best is not None
    w = Ward.of(p)
    columns = Columns(w, _first(p, w, seed))
    columns.run(deadline=time.monotonic() + 20)
    assert columns.converged and columns.bound is not None
    assert columns.bound <= best + 1e-6
    assert columns.bound >= _compact_lp(w) - 1e-3  # less the pricing's rounding slack
    assert columns.bound <= columns.value + 1e-6
    assert columns.value <= best + 1e-2  # (entering columns price below -1e-3)


@pytest.mark.parametrize("seed", range(3))
def test_every_column_is_a_valid_schedule(seed: int, pricing: str) -> None:
    """Each person's columns pass the independent checker's rules for one person."""
    p = ward(130 + seed, people=6, days=21, kinds=3)
    w = Ward.of(p)
    programmes = sum(pricer is not None for pricer in w.pricers)
    assert programmes == 0 if pricing == "cp-sat" else programmes > 0
    columns = Columns(w, _first(p, w, seed))
    for _ in range(3):
        columns.step(deadline=time.monotonic() + 5)
    assert len(columns.columns) > w.people  # pricing found schedules beyond the start
    for e, row in columns.columns:
        v = p.volunteers[e]
        shifts = [p.slots[si] for si in row if si >= 0]
        assert check_workload(p, volunteer=v, shifts=shifts) == [], (v.id, row)


def _valid_schedules(p: Problem, w: Ward, e: int) -> list[list[int]]:
    """Every schedule person `e` may work alone, by enumeration and the checker's rules."""
    v = p.volunteers[e]
    rows = itertools.product(*([-1, *w.allowed[e][d]] for d in range(w.days)))
    return [
        list(row)
        for row in rows
        if not check_workload(p, volunteer=v, shifts=[p.slots[si] for si in row if si >= 0])
    ]


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 6])
def test_combining_every_valid_schedule_reaches_the_optimum(seed: int) -> None:
    """With every valid schedule of each person as a column, combining from the worst roster
    reaches the brute-force optimum, and every roster it offers passes the checker."""
    p = ward(seed, people=2, days=4)
    best = brute_force(p)
    w = Ward.of(p)
    schedules = [_valid_schedules(p, w, e) for e in range(w.people)]
    worst = max(itertools.product(*schedules), key=lambda rows: w.objective(list(rows)))
    start = [list(row) for row in worst]
    assert w.objective(start) > best  # (so the combining has work to do)
    columns = Columns(w, start)
    for e, rows in enumerate(schedules):
        for row in rows:
            columns.add(e, row)
    offered: list[int] = []

    def offer(assign: list[list[int]]) -> None:
        r = _roster(p, w.placements(assign))
        assert check(p, r) == []
        assert sum(score(p, r).values()) == w.objective(assign) >= best
        offered.append(w.objective(assign))

    columns.combine(start, deadline=time.monotonic() + 10, offer=offer)
    assert offered and min(offered) == best


@pytest.mark.parametrize("seed", range(3))
def test_combining_takes_each_persons_best_known_schedule(seed: int) -> None:
    """Started from a poor roster, with a searched roster's schedules among the columns, the
    combined roster is valid and at least as good as the searched one."""
    p = ward(150 + seed, people=8, days=21, kinds=3)
    w = Ward.of(p)
    poor = _first(p, w, seed)
    good, _, _ = search(
        w, [row[:] for row in poor], deadline=time.monotonic() + 3, workers=1, seed=seed
    )
    assert w.objective(good) < w.objective(poor)  # the search found better schedules
    columns = Columns(w, poor)
    for e, row in enumerate(good):
        columns.add(e, row)
    offered: list[list[list[int]]] = []
    columns.combine(poor, deadline=time.monotonic() + 10, offer=offered.append)
    assert offered
    r = _roster(p, w.placements(offered[-1]))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(offered[-1]) <= w.objective(good)


def _improvable(w: Ward, assign: list[list[int]], schedules: list[list[list[int]]]) -> bool:
    """Some person has a valid schedule that lowers the roster's cost, everyone else kept."""
    value = w.objective(assign)
    return any(
        w.objective([*assign[:e], row, *assign[e + 1 :]]) < value
        for e, rows in enumerate(schedules)
        for row in rows
    )


@pytest.mark.parametrize("seed", range(3))
def test_settling_ends_where_no_person_can_improve_alone(seed: int) -> None:
    """From the costliest valid schedule of each person, the sweeps end at a roster the
    checker accepts, scored as the ward says, where no person has a valid schedule (by
    enumeration) that would lower its cost with everyone else kept."""
    p = ward(160 + seed, people=4, days=7, kinds=3)
    w = Ward.of(p)
    schedules = [_valid_schedules(p, w, e) for e in range(w.people)]
    start = [max(rows, key=lambda row: w.objective([row])) for rows in schedules]
    assert _improvable(w, start, schedules)  # (so the sweeps have work to do)
    after = settled(w, [row[:] for row in start])
    r = _roster(p, w.placements(after))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(after) < w.objective(start)
    assert not _improvable(w, after, schedules)


@pytest.mark.parametrize("seed", range(3))
def test_the_rounded_lp_is_a_valid_settled_roster(seed: int) -> None:
    """The roster rounded from a converged LP passes the checker and no person can improve
    it alone."""
    p = ward(170 + seed, people=4, days=7, kinds=3)
    w = Ward.of(p)
    columns = Columns(w, _first(p, w, seed))
    columns.run(deadline=time.monotonic() + 20)
    assert columns.converged
    rounded = columns.rounded()
    assert rounded is not None
    assert check(p, _roster(p, w.placements(rounded))) == []
    assert not _improvable(w, rounded, [_valid_schedules(p, w, e) for e in range(w.people)])


@pytest.mark.parametrize("seed", range(3))
def test_the_lp_support_model_finds_the_best_roster_within_it(seed: int) -> None:
    """The whole ward narrowed to the slots of the LP optimum's schedules and the incumbent's:
    from each person's costliest schedule, the roster it settles on passes the checker, takes
    nothing outside them, is the best such roster (by enumeration), and no bound is claimed
    from the narrowed model."""
    p = ward(180 + seed, people=3, days=6, kinds=3)
    w = Ward.of(p)
    schedules = [_valid_schedules(p, w, e) for e in range(w.people)]
    start = [max(rows, key=lambda row: w.objective([row])) for rows in schedules]
    columns = Columns(w, start)
    columns.run(deadline=time.monotonic() + 20)
    assert columns.converged
    support = columns.support()
    kept = [[support[e][d] | {start[e][d]} for d in range(w.days)] for e in range(w.people)]
    within = [
        [row for row in rows if all(si in kept[e][d] for d, si in enumerate(row))]
        for e, rows in enumerate(schedules)
    ]
    best = min(w.objective(list(rows)) for rows in itertools.product(*within))
    assert best < w.objective(start)  # (so the narrowed model has work to do)
    shared = _Shared(w, [row[:] for row in start], None)
    _whole_lane(shared, time.monotonic() + 10, seed, support=support)
    assert all(si in kept[e][d] for e, row in enumerate(shared.assign) for d, si in enumerate(row))
    r = _roster(p, w.placements(shared.assign))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(shared.assign) == best
    assert shared.bound is None


def test_relaxed_neighbourhood_frees_where_roster_and_lp_disagree() -> None:
    """The relaxation-induced neighbourhood frees only days where the roster works and some
    schedule of the LP optimum is off (or the other way round), up to the size asked."""
    p = ward(140, people=8, days=21, kinds=3)
    w = Ward.of(p)
    assign = _first(p, w, 0)
    columns = Columns(w, assign)
    columns.run(deadline=time.monotonic() + 10)
    support = columns.support()
    counts = w.counts(assign)
    rng = random.Random(0)
    free, pattern = _neighbourhood(w, assign, counts, RELAXED, w.people * w.days, rng, support)
    assert pattern is None
    differ = 0
    for e in range(w.people):
        for d in range(w.days):
            disagree = {si >= 0 for si in support[e][d]} != {assign[e][d] >= 0}
            differ += disagree
            assert (d in free.get(e, set())) == disagree
    assert differ > 5  # the roster and the LP disagree somewhere, so the size binds below
    small, _ = _neighbourhood(w, assign, counts, RELAXED, 5, rng, support)
    sizes = [len(days) for days in small.values()]
    assert sizes and (len(sizes) == 1 or sum(sizes) <= 5)


@pytest.mark.parametrize("whole", [True, False])
def test_large_wards_report_the_column_bound(monkeypatch: pytest.MonkeyPatch, whole: bool) -> None:
    """Above `COLUMNS_MIN_SIZE` a lane prices columns, beside the whole-model lane or without
    it: the roster is the brute-force optimum and the bound at or below it (the columns' own
    where no whole model runs)."""
    shifts = sys.modules["matching.shifts"]
    monkeypatch.setattr(shifts, "COLUMNS_MIN_SIZE", 0)
    monkeypatch.setattr(shifts, "LP_SIZE", 0)  # no bound from the compact LP
    if not whole:
        monkeypatch.setattr(shifts, "WHOLE", 0)
    p = ward(3, people=2, days=4)
    best = brute_force(p)
    r = solve(p, time_limit_s=4)
    assert check(p, r) == []
    assert r.stats is not None
    assert sum(score(p, r).values()) == r.stats.objective == best
    assert r.stats.bound is not None and r.stats.bound <= best
    if not whole:
        assert r.stats.bound_source == "column generation"
