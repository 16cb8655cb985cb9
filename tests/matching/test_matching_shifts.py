"""Ward rosters of one shift a day (matching.shifts): exact on small wards against brute force
over the independent checker, valid rosters from the neighbourhood search, and shape selection."""

from __future__ import annotations

import dataclasses
import itertools
import random
import sys

import pytest

from matching.checker import check, score
from matching.first_roster import NoScheduleError, best_responses, first_roster, solve_part
from matching.lp_bound import lp_bound
from matching.problem import (
    MINUTES_PER_DAY,
    Placement,
    Post,
    Problem,
    Request,
    Rules,
    Slot,
    Volunteer,
    Weights,
)
from matching.roster import NoRosterError, Roster
from matching.shifts import PEOPLE, RELAXED, TYPES, _KindChooser, _neighbourhood, fits, search
from matching.solve import solve
from matching.ward import Ward, build_part

WARD_WEIGHTS = Weights(
    unfilled_head=0,
    city_reserve_kit=0,
    change=0,
    travel=0,
    fairness=0,
    preference=1,
    unclaimed_grid=0,
    over_cover=1,
)


def ward(seed: int, *, people: int, days: int, kinds: int = 2) -> Problem:
    """A random ward in the benchmark's shape: cover lines, requests, every per-person rule."""
    rng = random.Random(seed)
    types = "EDLN"[:kinds]
    length = {t: rng.choice((360, 480, 600)) for t in types}
    vols = []
    for i in range(people):
        caps = {t: rng.randint(0, days) for t in types if rng.random() < 0.5}
        most = rng.randint(2, days) * 480
        rules = Rules(
            max_shifts_per_day=1,
            period_days=None,
            max_minutes_per_period=most,
            min_minutes_per_period=rng.choice((0, most // 3)),
            max_shifts_per_type=caps,
            max_consecutive_days=rng.randint(2, 4),
            min_consecutive_days=rng.randint(1, 2),
            min_consecutive_days_off=rng.randint(1, 2),
            max_working_weekends=rng.randint(0, 1),
        )
        off = frozenset(d for d in range(days) if rng.random() < 0.15)
        vols.append(Volunteer(f"v{i}", days_off=off, rules=rules))
    slots = [
        Slot(
            f"{d}:{t}",
            "ward",
            d * MINUTES_PER_DAY,
            d * MINUTES_PER_DAY + length[t],
            rng.randint(0, 2),
            shift_type=t,
            unfilled_weight=rng.choice((10, 100)),
            max_over=people,
            over_weight=1,
        )
        for d in range(days)
        for t in types
    ]
    requests = [
        Request(
            f"v{rng.randrange(people)}",
            rng.randrange(days),
            rng.choice(types),
            rng.randint(1, 3),
            on=rng.random() < 0.5,
        )
        for _ in range(people * 2)
    ]
    successions = {(a, b) for a in types for b in types if a != b and rng.random() < 0.3}
    return Problem(
        tuple(vols),
        (Post("ward"),),
        tuple(slots),
        rules=Rules(max_shifts_per_day=1, period_days=None),
        weights=WARD_WEIGHTS,
        forbidden_successions=frozenset(successions),
        requests=tuple(requests),
        horizon_days=days,
        first_weekday=3,  # weekends fall inside short horizons
    )


def _roster(p: Problem, placements: list[Placement]) -> Roster:
    count: dict[str, int] = {}
    for a in placements:
        count[a.slot] = count.get(a.slot, 0) + 1
    from matching.roster import Unfilled

    unfilled = tuple(
        Unfilled(s.id, s.headcount - count.get(s.id, 0))
        for s in p.slots
        if count.get(s.id, 0) < s.headcount
    )
    return Roster(tuple(placements), unfilled)


def brute_force(p: Problem) -> int | None:
    """The optimum by enumerating every roster and asking the checker."""
    by_day: dict[int, list[Slot | None]] = {}
    for s in p.slots:
        by_day.setdefault(s.day, [None]).append(s)
    cells = [(v, d) for v in p.volunteers for d in range(p.days)]
    best = None
    for choice in itertools.product(*(by_day.get(d, [None]) for _, d in cells)):
        placements = [Placement(v.id, s.id) for (v, _), s in zip(cells, choice, strict=True) if s]
        r = _roster(p, placements)
        if check(p, r):
            continue
        value = sum(score(p, r).values())
        best = value if best is None or value < best else best
    return best


@pytest.mark.parametrize("seed", range(8))
def test_small_wards_solve_to_the_brute_force_optimum(seed: int) -> None:
    """Every rule of the ward model agrees with the checker: same optimum, valid roster."""
    p = ward(seed, people=2, days=4)
    assert fits(p)
    best = brute_force(p)
    if best is None:
        with pytest.raises(NoRosterError):
            solve(p, time_limit_s=10)
        return
    r = solve(p, time_limit_s=10)
    assert check(p, r) == []
    assert r.stats is not None
    assert r.stats.objective == best
    assert r.stats.bound is None or r.stats.bound <= best + 1e-6
    # The LP relaxation's bound sits at or below the optimum.
    w = Ward.of(p)
    empty = [[-1] * w.days for _ in range(w.people)]
    every = {e: set(range(w.days)) for e in range(w.people)}
    relaxed = lp_bound(build_part(w, empty, every, w.counts(empty)).model)
    touched = {si for rows in w.allowed for row in rows for si in row}
    offset = w.constant + sum(w.cover_cost(si, 0) for si in range(len(w.head)) if si not in touched)
    assert relaxed is not None and relaxed + offset <= best + 1e-6


@pytest.mark.parametrize("seed", range(3))
def test_search_keeps_every_roster_valid(seed: int) -> None:
    """First roster person by person, then neighbourhood search: the checker accepts both."""
    import time

    p = ward(100 + seed, people=8, days=21, kinds=3)
    w = Ward.of(p)
    try:
        start = first_roster(
            w, deadline=time.monotonic() + 5, give_up=time.monotonic() + 20, workers=1, seed=seed
        )
    except NoScheduleError:
        pytest.skip("a person of this random ward has no valid schedule")
    assert check(p, _roster(p, w.placements(start))) == []
    before = w.objective(start)
    done, _, _ = search(
        w, [row[:] for row in start], deadline=time.monotonic() + 3, workers=1, seed=seed
    )
    r = _roster(p, w.placements(done))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(done) <= before


def _first(p: Problem, w: Ward, seed: int) -> list[list[int]]:
    import time

    try:
        return first_roster(
            w, deadline=time.monotonic() + 5, give_up=time.monotonic() + 20, workers=1, seed=seed
        )
    except NoScheduleError:
        pytest.skip("a person of this random ward has no valid schedule")


@pytest.mark.parametrize("seed", range(3))
def test_best_responses_keep_the_roster_valid_and_no_worse(seed: int) -> None:
    """Each person's best schedule against the others, in sweeps: the checker accepts it."""
    import time

    p = ward(110 + seed, people=8, days=21, kinds=3)
    w = Ward.of(p)
    assign = _first(p, w, seed)
    before = w.objective(assign)
    best_responses(w, assign, deadline=time.monotonic() + 3, seed=seed)
    r = _roster(p, w.placements(assign))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(assign) <= before


@pytest.mark.parametrize("seed", range(3))
def test_shift_types_move_on_the_days_worked(seed: int) -> None:
    """The types neighbourhood keeps everyone's days worked; the roster stays valid."""
    p = ward(120 + seed, people=8, days=21, kinds=3)
    w = Ward.of(p)
    assign = _first(p, w, seed)
    worked = [[si >= 0 for si in row] for row in assign]
    before = w.objective(assign)
    counts = w.counts(assign)
    rng = random.Random(seed)
    free, pattern = _neighbourhood(w, assign, counts, TYPES, w.people * w.days, rng)
    assert pattern is not None and set(free) == set(range(w.people))
    out, _ = solve_part(w, assign, counts, free, time_s=5, workers=1, seed=seed, pattern=pattern)
    assert out.objective is not None
    assert [[si >= 0 for si in row] for row in assign] == worked
    r = _roster(p, w.placements(assign))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(assign) <= before


@pytest.mark.parametrize("workers", [1, 2])
def test_whole_model_lane_shares_valid_rosters_and_a_true_bound(workers: int) -> None:
    """The whole-model lane beside (or before) the search: valid roster, no worse than the
    start, and its bound on the whole ward at or below what was found."""
    import time

    p = ward(104, people=6, days=14, kinds=3)
    w = Ward.of(p)
    try:
        start = first_roster(
            w, deadline=time.monotonic() + 5, give_up=time.monotonic() + 20, workers=1, seed=0
        )
    except NoScheduleError:
        pytest.skip("a person of this random ward has no valid schedule")
    touched = {si for rows in w.allowed for row in rows for si in row}
    offset = w.constant + sum(w.cover_cost(si, 0) for si in range(len(w.head)) if si not in touched)
    before = w.objective(start)
    now = time.monotonic()
    done, bound, _ = search(
        w,
        [row[:] for row in start],
        deadline=now + 4,
        workers=workers,
        seed=0,
        whole_until=now + 2,
        offset=offset,
    )
    r = _roster(p, w.placements(done))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(done) <= before
    assert bound is not None and bound <= w.objective(done) + 1e-6


def test_large_wards_skip_the_whole_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the whole-model size the roster comes from the search alone, still valid."""
    shifts = sys.modules["matching.shifts"]
    monkeypatch.setattr(shifts, "WHOLE", 0)
    monkeypatch.setattr(shifts, "LP_SIZE", 0)  # no bound, so nothing is claimed optimal
    monkeypatch.setattr(shifts, "COLUMNS_MAX_DAYS", 0)  # nor priced by columns
    p = ward(7, people=6, days=14)
    r = solve(p, time_limit_s=4)
    assert check(p, r) == []
    assert r.stats is not None and r.stats.status == "FEASIBLE"


def test_shape_selection() -> None:
    """Fairness (a square per person) or kits send a problem to the general model instead."""
    p = ward(1, people=2, days=3)
    assert fits(p)
    assert not fits(Problem(p.volunteers, p.posts, p.slots, weights=Weights()))
    two_a_day = Rules(max_shifts_per_day=2, period_days=None)
    assert not fits(
        Problem(
            (Volunteer("x", rules=two_a_day),),
            p.posts,
            p.slots,
            weights=WARD_WEIGHTS,
        )
    )


def test_nobody_can_meet_the_minimum() -> None:
    """A person whose minimum minutes exceed what the days allow: no roster, named as such."""
    rules = Rules(max_shifts_per_day=1, period_days=None, min_minutes_per_period=10 * 480)
    p = Problem(
        (Volunteer("a", rules=rules),),
        (Post("ward"),),
        tuple(
            Slot(f"{d}:E", "ward", d * 1440, d * 1440 + 480, 1, shift_type="E") for d in range(3)
        ),
        weights=WARD_WEIGHTS,
        horizon_days=3,
    )
    with pytest.raises(NoRosterError) as e:
        solve(p, time_limit_s=5)
    assert e.value.status == "INFEASIBLE"


def _pattern_ok(
    pattern: list[int], weekend: list[int | None], hi: int, lo_w: int, lo_o: int, cap: int
) -> bool:
    """Runs (edge runs exempt from minimums) and worked weekends of a days-worked pattern."""
    runs = [(k, len(list(g))) for k, g in itertools.groupby(pattern)]
    for i, (k, n) in enumerate(runs):
        inner = 0 < i < len(runs) - 1
        if (k and n > hi) or (inner and n < (lo_w if k else lo_o)):
            return False
    worked = {weekend[d] for d, w in enumerate(pattern) if w and weekend[d] is not None}
    return len(worked) <= cap


@pytest.mark.parametrize("seed", range(4))
def test_best_day_pattern_is_the_brute_force_best(seed: int) -> None:
    """The exact days-worked pattern has the greatest gain among all valid patterns."""
    from matching.runs import best_day_pattern

    rng = random.Random(seed)
    days = 11
    available = [rng.random() < 0.85 for _ in range(days)]
    gain = [rng.choice([-1, 3, 5, 100]) for _ in range(days)]
    weekend = [d // 7 if d % 7 >= 5 else None for d in range(days)]
    hi, lo_w, lo_o, cap, least, most = 4, 2, 2, 1, 3, 7
    valid = [
        list(p)
        for p in itertools.product((0, 1), repeat=days)
        if all(available[d] or not w for d, w in enumerate(p))
        and least <= sum(p) <= most
        and _pattern_ok(list(p), weekend, hi, lo_w, lo_o, cap)
    ]
    got = best_day_pattern(
        available=available,
        gain=gain,
        weekend=weekend,
        max_run=hi,
        min_run=lo_w,
        min_off=lo_o,
        max_weekends=cap,
        least=least,
        most=most,
        rng=rng,
    )
    if not valid:
        assert got is None
        return
    assert got in valid
    best = max(sum(g for g, w in zip(gain, p, strict=True) if w) for p in valid)
    assert sum(g for g, w in zip(gain, got, strict=True) if w) == best


def _without_minimum(p: Problem) -> Problem:
    """The same ward where nobody must work: the empty roster is valid (and poor)."""
    vols = tuple(
        dataclasses.replace(
            v, rules=dataclasses.replace(v.rules, min_minutes_per_period=0, min_consecutive_days=1)
        )
        for v in p.volunteers
    )
    return dataclasses.replace(p, volunteers=vols)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stalled_search_descends_anew(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Where no neighbourhood can improve the roster, a lane starts over from a new first
    roster, and the better roster its descent finds replaces the incumbent (two lanes or
    more; one lane keeps searching the incumbent). The checker accepts the result."""
    import time

    shifts = sys.modules["matching.shifts"]
    monkeypatch.setattr(shifts, "_neighbourhood", lambda *args, **kwargs: ({}, None))
    monkeypatch.setattr(shifts, "STALL_S", 0.1)
    monkeypatch.setattr(shifts, "RESTART_STALL_S", 0.2)
    monkeypatch.setattr(shifts, "RESTART_MIN_S", 0.0)
    p = _without_minimum(ward(108, people=6, days=14, kinds=3))
    w = Ward.of(p)
    empty = [[-1] * w.days for _ in range(w.people)]
    assert check(p, _roster(p, [])) == []
    done, _, _ = search(w, empty, deadline=time.monotonic() + 3, workers=workers, seed=0)
    r = _roster(p, w.placements(done))
    assert check(p, r) == []
    assert sum(score(p, r).values()) == w.objective(done)
    if workers == 1:
        assert done == empty
    else:
        assert w.objective(done) < w.objective(empty)


@pytest.mark.parametrize("seed", [0, 3])
def test_a_stalled_search_prices_columns(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """On a ward below the columns' size a stalled search runs the column generation: the
    roster is the brute-force optimum and the columns' bound at or below it."""
    shifts = sys.modules["matching.shifts"]
    monkeypatch.setattr(shifts, "STALL_S", 0.0)
    monkeypatch.setattr(shifts, "WHOLE", 0)  # no whole model, no compact LP: the bound
    monkeypatch.setattr(shifts, "LP_SIZE", 0)  # can only come from the columns
    p = ward(seed, people=2, days=4)
    best = brute_force(p)
    r = solve(p, time_limit_s=4)
    assert check(p, r) == []
    assert r.stats is not None
    assert sum(score(p, r).values()) == r.stats.objective == best
    assert r.stats.bound_source == "column generation"
    assert r.stats.bound is not None and r.stats.bound <= best


def test_a_kind_offered_late_is_tried_as_often_as_the_best() -> None:
    """Mid-descent the kinds earn far more per second than any starting rate: a kind that
    becomes available then (relaxed, once the LP is known) must still be tried, not left at
    the floor share."""
    chooser = _KindChooser(random.Random(0))
    for _ in range(20):
        kind = chooser.pick(RELAXED)
        chooser.record(kind, gain=300 if kind == PEOPLE else 0, seconds=1.0)
    draws = [chooser.pick(RELAXED + 1) for _ in range(2000)]
    assert draws.count(RELAXED) > 0.3 * len(draws)
    assert draws.count(RELAXED) == pytest.approx(draws.count(PEOPLE), rel=0.2)
