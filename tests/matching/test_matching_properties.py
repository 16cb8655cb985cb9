"""Random small problems: every roster passes the checker, and on tiny ones the optimum equals
the best roster found by enumerating every placement set (judged by the checker alone)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.checker import check, score
from matching.problem import (
    Certificate,
    Placement,
    Post,
    Problem,
    Request,
    Rules,
    Slot,
    Stock,
    Volunteer,
    Weights,
)
from matching.roster import NoRosterError, Roster, Unfilled
from matching.solve import solve

STARTS = (6 * 60, 14 * 60, 22 * 60)
TYPES = ("E", "L", "N")


@st.composite
def problems(draw: st.DrawFn, *, max_vols: int = 3, max_slots: int = 4) -> Problem:
    """A small problem where every rule may be switched on."""
    days = draw(st.integers(1, 3))
    units = ("U", "V")
    n_posts = draw(st.integers(1, 2))
    posts = tuple(
        Post(
            f"P{i}",
            using_unit=draw(st.sampled_from((None, *units))),
            location=(draw(st.integers(0, 5)), 0),
            priority=draw(st.integers(1, 3)),
            required_certificates=draw(
                st.sampled_from((frozenset(), frozenset(), frozenset({"cdc"})))
            ),
            claimed_by=draw(st.sampled_from((None, *units))),
        )
        for i in range(n_posts)
    )
    slots = []
    for i, (d, k) in enumerate(
        draw(
            st.lists(
                st.tuples(st.integers(0, days - 1), st.integers(0, 2)),
                min_size=1,
                max_size=max_slots,
            )
        )
    ):
        start = d * 1440 + STARTS[k]
        over = draw(st.integers(0, 1))
        slots.append(
            Slot(
                f"s{i}",
                f"P{draw(st.integers(0, n_posts - 1))}",
                start,
                start + 480,
                draw(st.integers(0, 2)),
                shift_type=TYPES[k],
                skill=draw(st.sampled_from((None, None, "medic"))),
                kit=draw(st.sampled_from((None, None, "suit"))),
                max_over=over,
                over_weight=draw(st.integers(0, 3)) if over else 0,
                unfilled_weight=draw(st.sampled_from((None, 7))),
            )
        )
    vols = []
    for i in range(draw(st.integers(1, max_vols))):
        rules = None
        if draw(st.booleans()):
            rules = Rules(
                max_shifts_per_day=draw(st.sampled_from((None, 1, 2))),
                min_rest_minutes=draw(st.sampled_from((0, 480, 720))),
                period_days=draw(st.sampled_from((None, 2, 7))),
                max_minutes_per_period=draw(st.sampled_from((None, 480, 960))),
                min_minutes_per_period=draw(st.sampled_from((None, None, None, 480))),
                max_shifts_per_type=draw(st.sampled_from(({}, {"N": 0}, {"E": 1}))),
                max_consecutive_days=draw(st.sampled_from((None, 1, 2))),
                min_consecutive_days=draw(st.sampled_from((None, 2))),
                min_consecutive_days_off=draw(st.sampled_from((None, 2))),
                max_working_weekends=None,
            )
        vols.append(
            Volunteer(
                f"v{i}",
                unit=draw(st.sampled_from((None, *units))),
                home=(draw(st.integers(0, 5)), draw(st.integers(0, 3))),
                skills=draw(
                    st.sampled_from((frozenset(), frozenset({"medic"}), frozenset({"medic"})))
                ),
                certificates=draw(
                    st.sampled_from(
                        (
                            (),
                            (Certificate("cdc"),),
                            (Certificate("cdc"),),
                            (Certificate("cdc", last_day=0),),
                        )
                    )
                ),
                availability=draw(st.sampled_from((None, None, ((0, 1440 + 14 * 60),)))),
                unwell_days=draw(st.sampled_from((frozenset(), frozenset(), frozenset({1})))),
                days_off=draw(st.sampled_from((frozenset(), frozenset(), frozenset({0})))),
                rules=rules,
            )
        )
    stocks = tuple(
        Stock(
            f"k{i}",
            "suit",
            draw(st.integers(0, days - 1)),
            draw(st.integers(0, 2)),
            owner=draw(st.sampled_from((None, *units))),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    pairs = [(v.id, s.id) for v in vols for s in slots]
    requests = tuple(
        Request(
            v,
            draw(st.integers(0, days - 1)),
            draw(st.sampled_from(TYPES)),
            draw(st.integers(1, 5)),
            draw(st.booleans()),
        )
        for v, _ in draw(st.lists(st.sampled_from(pairs), max_size=2))
    )
    previous = tuple(
        Placement(v, s) for v, s in draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
    )
    pinned = tuple(previous[:1]) if draw(st.integers(0, 4)) == 0 else ()
    return Problem(
        tuple(vols),
        posts,
        tuple(slots),
        stocks,
        rules=Rules(max_shifts_per_day=draw(st.sampled_from((None, 1)))),
        weights=Weights(
            unfilled_head=draw(st.sampled_from((50, 1000))),
            city_reserve_kit=draw(st.integers(0, 5)),
            change=draw(st.integers(0, 5)),
            travel=draw(st.integers(0, 2)),
            fairness=draw(st.integers(0, 3)),
            preference=draw(st.integers(0, 2)),
            unclaimed_grid=draw(st.integers(0, 3)),
            over_cover=draw(st.integers(0, 2)),
        ),
        forbidden_successions=draw(st.sampled_from((frozenset(), frozenset({("N", "E")})))),
        requests=requests,
        previous=previous,
        pinned=pinned,
        horizon_days=days,
    )


def _roster(p: Problem, placements: tuple[Placement, ...]) -> Roster:
    n = {s.id: 0 for s in p.slots}
    for a in placements:
        n[a.slot] += 1
    return Roster(
        placements,
        tuple(Unfilled(s.id, s.headcount - n[s.id]) for s in p.slots if n[s.id] < s.headcount),
    )


def brute_force(p: Problem) -> int | None:
    """The least score over every roster the checker accepts; None if it accepts none."""
    options = []
    for v in p.volunteers:
        for s in p.slots:
            kits = [k.id for k in p.stocks] if s.kit is not None else [None]
            options.append([None] + [Placement(v.id, s.id, k) for k in kits])
    best = None
    for choice in itertools.product(*options):
        r = _roster(p, tuple(a for a in choice if a is not None))
        if check(p, r):
            continue
        total = sum(score(p, r).values())
        best = total if best is None else min(best, total)
    return best


SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(problems())
def test_every_roster_passes_the_checker(p: Problem) -> None:
    """Whatever the rules, a returned roster is valid and its stats add up."""
    try:
        r = solve(p, time_limit_s=5)
    except NoRosterError as e:
        assert e.status == "INFEASIBLE"
        return
    assert check(p, r) == []
    assert r.stats is not None
    assert r.stats.objective == sum(score(p, r).values())
    assert all(u.reason for u in r.unfilled)


@SETTINGS
@given(problems(max_vols=2, max_slots=3))
def test_optimum_equals_brute_force(p: Problem) -> None:
    """The solver's optimum is the best roster found by exhaustive enumeration."""
    best = brute_force(p)
    try:
        r = solve(p, time_limit_s=10)
    except NoRosterError as e:
        assert best is None
        assert e.status == "INFEASIBLE"
        return
    assert r.stats is not None
    assert r.stats.status == "OPTIMAL"
    assert r.stats.objective == best
