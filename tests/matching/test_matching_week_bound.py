"""The week bound on travel + fairness: never above a roster covering as many heads, never
below the flow's, and strictly above it where the rest between two days binds."""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from test_matching_properties import problems

from matching.flow import Network, lagrangian
from matching.problem import Post, Problem, Rules, Slot, Stock, Volunteer
from matching.prune import nearest_eligible
from matching.roster import NoRosterError
from matching.soft_weeks import SoftWeeks
from matching.solve import solve
from matching.week_bound import week_bound
from matching.weeks import Prices, Weeks

SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(autouse=True, scope="module")
def _compiled() -> None:
    """The smoothed weeks' passes compiled (cached after the first run) before any deadline."""
    p = _three_days_of_two_posts()
    net = Network(p, nearest_eligible(p, reach=5), mode="service", covered=1)
    w = Weeks(net)
    SoftWeeks(w).value_and_gradient(_random_prices(w), 1.0)


def _random_prices(w: Weeks, seed: int = 0) -> Prices:
    """Random prices on the slots, a cover price that makes some shifts worth working."""
    rng = np.random.default_rng(seed)
    return Prices(rng.uniform(0, 3, len(w.head)), 4.0, np.zeros(len(w.qty)))


def _one_a_day(p: Problem) -> Problem:
    """The problem with every volunteer held to one shift a day, as the weeks require."""
    vols = tuple(
        replace(v, rules=replace(v.rules, max_shifts_per_day=1)) if v.rules else v
        for v in p.volunteers
    )
    return replace(p, volunteers=vols, rules=replace(p.rules, max_shifts_per_day=1))


@SETTINGS
@given(problems(max_vols=3, max_slots=4))
def test_week_bound_lies_between_the_flow_and_the_optimum(p: Problem) -> None:
    """On random small problems, with lists short enough that outside arcs count: the bound at
    the flow's duals and after column generation is at least the flow's and at most the travel
    plus fairness of the optimal roster, which covers as many heads; the smoothed ascent meets
    the columns' LP."""
    p = _one_a_day(p)
    try:
        r = solve(p, time_limit_s=10)
    except NoRosterError:
        return
    assert r.stats is not None
    covered = sum(s.headcount for s in p.slots) - sum(u.missing for u in r.unfilled)
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    reserve = {k.id for k in p.stocks if k.is_city_reserve}
    drawn = sum(a.stock in reserve for a in r.assignments)
    until = time.monotonic() + 10
    for cap in (None, drawn):
        net = Network(
            p, nearest_eligible(p, reach=2), mode="service", covered=covered, reserve_kits=cap
        )
        duals = week_bound(net, deadline=until, columns=False)
        full = week_bound(net, deadline=until)
        assert duals.flow - 1e-6 <= duals.value <= full.value + 1e-6
        assert full.value <= service + 1e-6
        climbed = week_bound(net, deadline=until, columns=False, target=service)
        assert duals.value - 1e-6 <= climbed.value <= service + 1e-6
        # The smoothed ascent reaches the LP over all weeks that the columns solve exactly.
        assert climbed.value >= full.value - 1e-3 * max(1.0, abs(full.value))
        # At the stock and reserve prices of the flow's own Lagrangian too.
        dual = lagrangian(net, deadline=until, max_iterations=5)
        kits = (dual.stock_prices.astype(float), float(dual.reserve_price))
        priced = week_bound(net, deadline=until, columns=False, kit_prices=kits)
        assert duals.value - 1e-6 <= priced.value <= service + 1e-6


def _night_then_morning(*, rest: int) -> Problem:
    """A volunteer living at the post, another 5 km away; a night shift and the next morning's,
    one head each."""
    near, far = Volunteer("near", home=(0.0, 0.0)), Volunteer("far", home=(5.0, 0.0))
    post = Post("P", location=(0.0, 0.0))
    night = Slot("night", "P", 22 * 60, 30 * 60, 1, shift_type="N")
    morning = Slot("morning", "P", 30 * 60, 38 * 60, 1, shift_type="E")
    return Problem((near, far), (post,), (night, morning), rules=Rules(min_rest_minutes=rest))


def test_rest_between_two_days_lifts_the_bound_to_the_optimum() -> None:
    """The flow lets the near volunteer work the night and the morning after (travel 0, fairness
    1 + 3); with 12 hours' rest one of the two shifts needs the far volunteer (travel 50, fairness
    1 + 1). The flow's own duals do not see it; the columns do: the bound is the optimum's."""
    p = _night_then_morning(rest=12 * 60)
    r = solve(p, time_limit_s=5)
    assert r.stats is not None and len(r.assignments) == 2
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    assert service == 52
    net = Network(p, nearest_eligible(p, reach=2), mode="service", covered=2)
    duals = week_bound(net, deadline=time.monotonic() + 5, columns=False)
    assert duals.flow == 4 <= duals.value < service
    full = week_bound(net, deadline=time.monotonic() + 5)
    assert full.value == pytest.approx(service)


def _three_days_of_two_posts() -> Problem:
    """Five volunteers along a road between two posts 1 km apart; early, late and night shifts
    over three days with 12 hours' rest: a late shift cannot be followed by the next early one,
    nor a night by the next early or late one."""
    window = {"E": (6 * 60, 14 * 60), "L": (14 * 60, 22 * 60), "N": (22 * 60, 30 * 60)}
    posts = (Post("P0", location=(0.0, 0.0)), Post("P1", location=(1.0, 0.0)))
    homes = (0.1, 1.8, 0.2, 0.4, 0.7)
    vols = tuple(Volunteer(f"v{i}", home=(x, 0.0)) for i, x in enumerate(homes))
    lines = [("P1", "L", 0, 2), ("P0", "N", 0, 2), ("P0", "L", 1, 1), ("P1", "N", 1, 2)]
    lines += [("P0", "E", 2, 1), ("P1", "L", 2, 2), ("P1", "N", 2, 2)]
    slots = tuple(
        Slot(
            f"{post}{kind}{day}",
            post,
            day * 1440 + window[kind][0],
            day * 1440 + window[kind][1],
            heads,
            shift_type=kind,
        )
        for post, kind, day, heads in lines
    )
    return Problem(vols, posts, slots, rules=Rules(min_rest_minutes=12 * 60))


def test_the_ascent_lifts_the_bound_where_rest_binds() -> None:
    """Without column generation (too large at county size) the prices climb from the flow's
    duals toward a roster: here from the flow's bound to the optimum's travel + fairness."""
    p = _three_days_of_two_posts()
    r = solve(p, time_limit_s=5)
    assert r.stats is not None and r.stats.status == "OPTIMAL"
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    covered = len(r.assignments)
    net = Network(p, nearest_eligible(p, reach=5), mode="service", covered=covered)
    duals = week_bound(net, deadline=time.monotonic() + 5, columns=False)
    climbed = week_bound(net, deadline=time.monotonic() + 5, columns=False, target=service)
    assert duals.value == duals.flow < climbed.value
    assert climbed.value == pytest.approx(service)
    assert climbed.method.startswith("flow duals, smoothed ascent")
    # Started from the flow over shorter lists (as at county size, where deep lists make the
    # flow too slow), the prices climb to the same bound.
    short = Network(p, nearest_eligible(p, reach=2), mode="service", covered=covered)
    from_short = week_bound(
        net, deadline=time.monotonic() + 5, columns=False, target=service, start_net=short
    )
    assert from_short.flow < duals.flow  # shorter lists: cheap stand-ins, a lower start
    assert from_short.value == pytest.approx(service)


def test_without_the_rest_rule_the_weeks_add_nothing() -> None:
    """With no minimum rest the near volunteer may work both shifts: bound and flow agree."""
    p = _night_then_morning(rest=0)
    net = Network(p, nearest_eligible(p, reach=2), mode="service", covered=2)
    b = week_bound(net, deadline=time.monotonic() + 5)
    assert b.value == pytest.approx(b.flow) == 4


def test_two_shifts_a_day_are_refused() -> None:
    """The weeks hold one shift a day; a volunteer allowed two would make the bound too high."""
    p = replace(_night_then_morning(rest=0), rules=Rules(max_shifts_per_day=2))
    net = Network(p, nearest_eligible(p, reach=2), mode="service", covered=2)
    with pytest.raises(ValueError, match="one shift a day"):
        week_bound(net, deadline=time.monotonic() + 5)


def test_a_short_stock_sends_the_far_volunteer() -> None:
    """Two neighbours of a post could cover its two heads (travel 0), but its unit has one
    suit: the other head needs the far volunteer of another unit, who brings their own. The
    columns price the stock and reach the optimum; without the stock rows they could not."""
    post = Post("P", using_unit="U", location=(0.0, 0.0))
    vols = (
        Volunteer("a", home=(0.0, 0.0)),
        Volunteer("b", home=(0.0, 0.0)),
        Volunteer("far", unit="W", home=(5.0, 0.0)),
    )
    slots = (Slot("s1", "P", 360, 840, 1, kit="suit"), Slot("s2", "P", 360, 840, 1, kit="suit"))
    stocks = (Stock("u", "suit", 0, 1, owner="U"), Stock("w", "suit", 0, 1, owner="W"))
    p = Problem(vols, (post,), slots, stocks)
    r = solve(p, time_limit_s=5)
    assert r.stats is not None and len(r.assignments) == 2
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    assert service == 52
    net = Network(p, nearest_eligible(p, reach=3), mode="service", covered=2)
    b = week_bound(net, deadline=time.monotonic() + 5)
    assert b.flow == 2
    assert b.value == pytest.approx(service)


@pytest.mark.parametrize("tau", [2.0, 0.3])
def test_the_smoothed_weeks_are_every_week_weighed(tau: float) -> None:
    """The compiled passes over the days give what enumerating every volunteer's every week
    gives: Σ -tau log Σ exp(-cost / tau) over the weeks (rest between days and the shift cap
    kept, fairness k² for k shifts), and each slot's expected heads."""
    p = _three_days_of_two_posts()
    p = replace(p, rules=replace(p.rules, max_minutes_per_period=2 * 480, period_days=3))
    net = Network(p, nearest_eligible(p, reach=5), mode="service", covered=4)
    w = Weeks(net)
    prices = _random_prices(w, seed=1)
    value, slot_grad, _, _, _ = SoftWeeks(w).value_and_gradient(prices, tau)
    rest = p.rules.min_rest_minutes
    reduced = w.base + prices.slot[net.asl] - prices.cover
    expected, heads = w.constant(prices), np.zeros(len(p.slots))
    for v in range(len(p.volunteers)):
        arcs = np.flatnonzero(net.av == v).tolist()
        weeks, weights = [], []
        # A week: per day, off or one of the volunteer's arcs that day.
        options = [[None] + [j for j in arcs if net.arc_day[j] == d] for d in range(3)]
        for week in itertools.product(*options):
            worked = [j for j in week if j is not None]
            shifts = [p.slots[net.asl[j]] for j in worked]
            if len(worked) > 2 or any(
                b.start - a.end < rest for a, b in itertools.pairwise(shifts)
            ):
                continue
            cost = sum(reduced[j] for j in worked) + net.fairness * len(worked) ** 2
            weeks.append(worked)
            weights.append(-cost / tau)
        top = max(weights)
        total = sum(math.exp(x - top) for x in weights)
        expected -= tau * (top + math.log(total))
        for worked, x in zip(weeks, weights, strict=True):
            for j in worked:
                heads[net.asl[j]] += math.exp(x - top) / total
    assert value == pytest.approx(expected, rel=1e-9)
    assert slot_grad + w.head == pytest.approx(heads, abs=1e-9)
