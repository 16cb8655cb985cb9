"""Each hard rule binds in a small case: the roster solved without it breaks it (and the checker
says so), the roster solved with it obeys it and costs more."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching.checker import check
from matching.problem import (
    Certificate,
    Placement,
    Post,
    Problem,
    Rules,
    Slot,
    Stock,
    Volunteer,
    Weights,
)
from matching.roster import NoRosterError, Roster, Unfilled
from matching.solve import solve

STARTS = (6 * 60, 14 * 60, 22 * 60)  # early, late, night shifts of 8 h
TYPES = ("E", "L", "N")


def shift(day: int, k: int, *, post: str = "P", hc: int = 1, **kw: object) -> Slot:
    """The k-th 8 h shift of a day at a post."""
    start = day * 1440 + STARTS[k]
    return Slot(f"{post}-{day}-{TYPES[k]}", post, start, start + 480, hc, shift_type=TYPES[k], **kw)


def problem(slots: list[Slot], vols: list[Volunteer] | None = None, **kw: object) -> Problem:
    """A one-post problem with no travel or fairness pull unless asked."""
    kw.setdefault("weights", Weights(travel=0, fairness=0))
    kw.setdefault("rules", Rules(max_shifts_per_day=None))
    posts = tuple(Post(p) for p in sorted({s.post for s in slots}))
    return Problem(tuple(vols or [Volunteer("a")]), posts, tuple(slots), **kw)


def roster_of(p: Problem, placements: list[tuple[str, str] | tuple[str, str, str]]) -> Roster:
    """A hand-made roster with its unfilled heads filled in."""
    pl = tuple(Placement(*x) for x in placements)
    n = {s.id: sum(a.slot == s.id for a in pl) for s in p.slots}
    return Roster(
        pl, tuple(Unfilled(s.id, s.headcount - n[s.id]) for s in p.slots if n[s.id] < s.headcount)
    )


def rules(**kw: object) -> Rules:
    """Rules with no cap except those given."""
    kw.setdefault("max_shifts_per_day", None)
    return Rules(**kw)


# Each case: (rule name, problem with the rule, the same problem without it).
def _cases() -> list[tuple[str, Problem, Problem]]:
    cases = []
    # Availability, skill, certificate validity.
    s = [shift(0, 0)]
    cases.append(
        (
            "only_eligible_volunteers",
            problem(s, [Volunteer("a", availability=((0, 7 * 60),))]),
            problem(s, [Volunteer("a")]),
        )
    )
    s = [shift(0, 0, skill="medic")]
    cases.append(
        (
            "only_eligible_volunteers",
            problem(s, [Volunteer("a")]),
            problem(s, [Volunteer("a", skills=frozenset({"medic"}))]),
        )
    )
    s = [shift(1, 0)]
    exp = Volunteer("a", certificates=(Certificate("cdc", last_day=0),))
    cert = problem(s, [exp])
    cert = replace(cert, posts=(Post("P", required_certificates=frozenset({"cdc"})),))
    cases.append(("only_eligible_volunteers", cert, replace(cert, posts=(Post("P"),))))
    # Health, kit stock, supply rule.
    s = [shift(0, 0)]
    cases.append(
        (
            "no_protection_no_post",
            problem(s, [Volunteer("a", unwell_days=frozenset({0}))]),
            problem(s, [Volunteer("a")]),
        )
    )
    s = [shift(0, 0, hc=2, kit="suit")]
    two = [Volunteer("a", unit="U"), Volunteer("b", unit="U")]
    cases.append(
        (
            "no_protection_no_post",
            problem(s, two, stocks=(Stock("k", "suit", 0, 1, owner="U"),)),
            problem(s, two, stocks=(Stock("k", "suit", 0, 2, owner="U"),)),
        )
    )
    social = [Volunteer("a")]  # equipped by the post's using unit, which has none
    cases.append(
        (
            "no_protection_no_post",
            problem(s[:1], social, stocks=(Stock("k", "suit", 0, 5, owner="U"),)),
            replace(
                problem(s[:1], social, stocks=(Stock("k", "suit", 0, 5, owner="U"),)),
                posts=(Post("P", using_unit="U"),),
            ),
        )
    )
    # Overlap, rest, successions, daily cap.
    s = [shift(0, 0), shift(0, 0, post="Q")]
    cases.append(("no_overlapping_shifts", problem(s), None))
    s = [shift(0, 1), shift(1, 0)]
    cases.append(("minimum_rest", problem(s, rules=rules(min_rest_minutes=12 * 60)), problem(s)))
    s = [shift(0, 2), shift(1, 1)]
    cases.append(
        (
            "forbidden_successions",
            problem(s, forbidden_successions=frozenset({("N", "L")})),
            problem(s),
        )
    )
    s = [shift(0, 0), shift(0, 1)]
    cases.append(("max_shifts_per_day", problem(s, rules=rules(max_shifts_per_day=1)), problem(s)))
    # Minutes per period, both ways.
    s = [shift(d, 0) for d in range(3)]
    cases.append(
        (
            "minutes_per_period",
            problem(s, rules=rules(period_days=7, max_minutes_per_period=960)),
            problem(s),
        )
    )
    s = [shift(d, 0, hc=0, max_over=1, over_weight=1) for d in range(3)]
    cases.append(
        (
            "minutes_per_period",
            problem(s, rules=rules(period_days=None, min_minutes_per_period=960), horizon_days=3),
            problem(s, horizon_days=3),
        )
    )
    s = [shift(0, 2), shift(2, 2)]
    cases.append(
        ("max_shifts_per_type", problem(s, rules=rules(max_shifts_per_type={"N": 1})), problem(s))
    )
    # Runs of working days and days off.
    s = [shift(d, 0) for d in range(4)]
    cases.append(
        ("consecutive_working_days", problem(s, rules=rules(max_consecutive_days=3)), problem(s))
    )
    s = [shift(d, 0, hc=1 if d == 2 else 0, max_over=1, over_weight=3) for d in range(5)]
    cases.append(
        ("consecutive_working_days", problem(s, rules=rules(min_consecutive_days=2)), problem(s))
    )
    s = [shift(d, 0) for d in (0, 1, 3, 4)]
    cases.append(
        (
            "min_consecutive_days_off",
            problem(s, rules=rules(min_consecutive_days_off=2), horizon_days=5),
            problem(s, horizon_days=5),
        )
    )
    s = [shift(5, 0), shift(12, 0)]
    cases.append(
        ("max_working_weekends", problem(s, rules=rules(max_working_weekends=1)), problem(s))
    )
    s = [shift(0, 0)]
    cases.append(("days_off", problem(s, [Volunteer("a", days_off=frozenset({0}))]), problem(s)))
    # Pinned: the far volunteer is pinned; without the pin the near one is chosen.
    far = [Volunteer("near", home=(0, 0)), Volunteer("far", home=(9, 0))]
    p = problem([shift(0, 0)], far, weights=Weights(fairness=0))
    cases.append(("pinned_assignments_stay", replace(p, pinned=(Placement("far", "P-0-E"),)), p))
    return cases


CASES = _cases()


@pytest.mark.parametrize(
    ("rule", "with_rule", "without"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_binds_and_checker_sees_it(
    rule: str, with_rule: Problem, without: Problem | None
) -> None:
    """Solved with the rule: valid and dearer; solved without: the checker names the rule."""
    bound = solve(with_rule, time_limit_s=10)
    assert check(with_rule, bound) == []
    if without is None:
        # Overlap cannot be switched off; a hand-made roster breaking it is refused.
        both = roster_of(with_rule, [("a", s.id) for s in with_rule.slots])
        assert rule in {v.rule for v in check(with_rule, both)}
        assert len(bound.assignments) == 1
        return
    free = solve(without, time_limit_s=10)
    assert check(without, free) == []
    assert rule in {v.rule for v in check(with_rule, free)}
    assert bound.stats.objective > free.stats.objective


def test_overdrawn_stock_and_wrong_supplier_are_refused() -> None:
    """Two kits from a stock of one, and a kit from a unit that may not equip."""
    p = problem(
        [shift(0, 0, hc=2, kit="suit")],
        [Volunteer("a", unit="U"), Volunteer("b")],
        stocks=(Stock("k", "suit", 0, 1, owner="U"),),
    )
    msgs = [v.message for v in check(p, roster_of(p, [("a", "P-0-E", "k"), ("b", "P-0-E", "k")]))]
    assert any("overdrawn" in m for m in msgs)
    assert any("may not equip" in m for m in msgs)
    assert any(
        "has no suit" in m for m in [v.message for v in check(p, roster_of(p, [("a", "P-0-E")]))]
    )


def test_unfilled_count_must_match() -> None:
    """A roster that hides an unfilled head is inconsistent."""
    p = problem([shift(0, 0, hc=2)])
    r = Roster((Placement("a", "P-0-E"),), ())
    assert [v.rule for v in check(p, r)] == ["roster_consistent"]


def test_edge_runs_are_exempt_from_minimums() -> None:
    """A single working day at the start of the horizon is not a too-short run."""
    p = problem(
        [shift(0, 0), shift(3, 0, hc=0)],
        rules=rules(min_consecutive_days=3, min_consecutive_days_off=5),
    )
    assert check(p, roster_of(p, [("a", "P-0-E")])) == []


def test_pinned_ineligible_placement_is_infeasible() -> None:
    """A pin the hard rules forbid yields no roster rather than a broken one."""
    p = problem(
        [shift(0, 0)],
        [Volunteer("a", unwell_days=frozenset({0}))],
        pinned=(Placement("a", "P-0-E"),),
    )
    with pytest.raises(NoRosterError) as e:
        solve(p, time_limit_s=5)
    assert e.value.status == "INFEASIBLE"
