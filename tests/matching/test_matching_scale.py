"""The large-problem machinery on small problems: pruning finds the true nearest eligible, the
greedy and decomposition rosters pass the checker."""

from __future__ import annotations

import importlib
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from test_matching_properties import problems

from matching.build import build_model
from matching.candidates import StockIndex, all_candidates
from matching.checker import check, score
from matching.decompose import improve_by_parts, person_by_person
from matching.greedy import greedy_roster, with_placements
from matching.problem import (
    Certificate,
    Post,
    Problem,
    Rules,
    Slot,
    Stock,
    Volunteer,
    travel_units,
)
from matching.prune import nearest_eligible, pruned_candidates
from matching.roster import Roster, Unfilled
from matching.solve import complete, solve
from matching.swaps import fill_by_moves

SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def district(seed: int, *, vols: int = 60, posts: int = 6, days: int = 3) -> Problem:
    """A small county-like problem: scattered homes and posts, kits per unit and city."""
    rng = random.Random(seed)
    units = ["U0", "U1", "U2"]
    ps = tuple(
        Post(
            f"P{i}",
            using_unit=rng.choice(units),
            location=(rng.uniform(0, 10), rng.uniform(0, 10)),
            required_certificates=frozenset({"cdc"}) if i % 3 == 0 else frozenset(),
            claimed_by=rng.choice([None, "U1"]),
        )
        for i in range(posts)
    )
    slots = []
    for post in ps:
        for d in range(days):
            for k, start in enumerate((360, 840, 1320)):
                t0 = d * 1440 + start
                slots.append(
                    Slot(
                        f"{post.id}-{d}-{k}",
                        post.id,
                        t0,
                        t0 + 480,
                        rng.randint(1, 3),
                        shift_type=str(k),
                        kit="suit",
                        skill="medic" if rng.random() < 0.2 else None,
                    )
                )
    vs = tuple(
        Volunteer(
            f"V{i}",
            unit=rng.choice([None, *units]),
            home=(rng.uniform(0, 10), rng.uniform(0, 10)),
            skills=frozenset({"medic"}) if rng.random() < 0.3 else frozenset(),
            certificates=(Certificate("cdc", last_day=rng.choice([None, 1])),)
            if rng.random() < 0.7
            else (),
            unwell_days=frozenset({rng.randrange(days)}) if rng.random() < 0.1 else frozenset(),
        )
        for i in range(vols)
    )
    stocks = tuple(
        Stock(f"{o}-{d}", "suit", d, rng.randint(3, 12), owner=o)
        for d in range(days)
        for o in (*units, None)
    )
    return Problem(
        vs,
        ps,
        tuple(slots),
        stocks,
        horizon_days=days,
        rules=Rules(min_rest_minutes=720, max_minutes_per_period=3 * 480),
    )


def _roster(p: Problem, placements: list) -> Roster:
    n: dict[str, int] = {}
    for a in placements:
        n[a.slot] = n.get(a.slot, 0) + 1
    return Roster(
        tuple(placements),
        tuple(
            Unfilled(s.id, s.headcount - n.get(s.id, 0))
            for s in p.slots
            if n.get(s.id, 0) < s.headcount
        ),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nearest_eligible_is_exact(seed: int) -> None:
    """The lists hold the nearest eligible volunteers, each with the stocks allowed to equip
    them, nobody eligible is nearer than beyond, and a shorter list is the deeper one's start."""
    p = district(seed)
    near = nearest_eligible(p, reach=8)
    stocks = StockIndex(p)
    posts = {x.id: x for x in p.posts}
    eligible: dict[int, list[int]] = {}
    for c in all_candidates(p):
        eligible.setdefault(c.slot, []).append(c.volunteer)
    for si, n in enumerate(near):
        s = p.slots[si]
        post = posts[s.post]
        travel = {
            v: travel_units(p.volunteers[v].home, post.location) for v in eligible.get(si, [])
        }
        assert set(n.volunteers) <= set(travel)
        assert sorted(n.travel) == sorted(travel.values())[: len(n.travel)]
        assert list(n.stocks) == [stocks.allowed(p.volunteers[v], s, post) for v in n.volunteers]
        if n.complete:
            assert set(n.volunteers) == set(travel)
        else:
            assert all(t >= n.beyond for v, t in travel.items() if v not in n.volunteers)
    assert [n.first(3) for n in near] == nearest_eligible(p, reach=3)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_and_decomposition_pass_the_checker(seed: int) -> None:
    """Greedy placements are valid; decomposition keeps them valid and never costs more."""
    p = district(seed)
    cands = pruned_candidates(p, nearest_eligible(p, reach=20), per_slot=10, per_unit=4)
    first = greedy_roster(p, cands)
    r0 = _roster(p, first)
    assert check(p, r0) == []
    better = improve_by_parts(p, cands, first, deadline=time.monotonic() + 3, workers=2, seed=seed)
    r1 = _roster(p, better)
    assert check(p, r1) == []
    assert sum(score(p, r1).values()) <= sum(score(p, r0).values())


@pytest.mark.parametrize("patterns", [False, True], ids=["flow-guide", "rest-patterns"])
def test_large_path_returns_a_checked_roster(
    monkeypatch: pytest.MonkeyPatch, patterns: bool
) -> None:
    """With the size thresholds lowered, solve takes the large path and still checks out,
    whether its guide prices rest or keeps it by day patterns (long limits)."""
    # (The package exports the function `solve`, which hides the module of the same name.)
    solve_module = importlib.import_module("matching.solve")
    monkeypatch.setattr(solve_module, "PRUNE", 0)
    monkeypatch.setattr(solve_module, "LARGE", 0)
    cut = []
    if patterns:
        monkeypatch.setattr(solve_module, "PATTERN_LIMIT_S", 0.0)
        lists = solve_module.rest_keeping_lists
        monkeypatch.setattr(
            solve_module, "rest_keeping_lists", lambda *a, **k: cut.append(1) or lists(*a, **k)
        )
    p = district(4)
    r = solve(p, time_limit_s=6)
    assert bool(cut) == patterns
    assert check(p, r) == []
    assert r.stats is not None and r.stats.bound is not None
    assert r.stats.bound <= r.stats.objective
    assert "flow" in r.stats.bound_source


def test_gap_filling_looks_beyond_the_candidates() -> None:
    """With one candidate per slot the greedy leaves gaps; filling them stays valid and helps."""
    p = district(5)
    cands = pruned_candidates(p, nearest_eligible(p, reach=1), per_slot=1, per_unit=1)
    first = greedy_roster(p, cands)
    filled = fill_by_moves(p, cands, first, deadline=time.monotonic() + 5)
    r0, r1 = _roster(p, first), _roster(p, filled)
    assert check(p, r1) == []
    assert sum(u.missing for u in r1.unfilled) < sum(u.missing for u in r0.unfilled)
    # Decomposition must accept placements that are not among the pruned candidates.
    cands = with_placements(p, cands, filled)
    better = improve_by_parts(p, cands, filled, deadline=time.monotonic() + 2, workers=2, seed=1)
    assert check(p, _roster(p, better)) == []


@SETTINGS
@given(problems(max_vols=3, max_slots=5))
def test_person_by_person_rosters_pass_and_complete(p: Problem) -> None:
    """One-volunteer-at-a-time rosters pass the checker; completing them gives their score."""
    cands = all_candidates(p)
    placements = person_by_person(p, cands, deadline=time.monotonic() + 5, workers=1, seed=0)
    if placements is None:
        return
    r = _roster(p, placements)
    assert check(p, r) == []
    inc = complete(build_model(p, candidates=cands), placements, workers=1)
    assert inc is not None
    assert inc.objective == sum(score(p, r).values())
