"""Filling gaps by moves and cheaper service keep rosters valid and never cost more; the
numpy flow's bounds (whole objective, open heads, travel plus fairness) never pass the optimum."""

from __future__ import annotations

import math
import time
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from test_matching_properties import problems
from test_matching_scale import _roster, district

from matching.candidates import Candidate
from matching.checker import check, score
from matching.flow import Network, flow_roster, lagrangian
from matching.greedy import greedy_roster
from matching.problem import Placement, Post, Problem, Rules, Slot, Volunteer
from matching.prune import nearest_eligible, pruned_candidates
from matching.roster import NoRosterError
from matching.solve import solve
from matching.swaps import fill_by_moves, improve_service

SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def _missing(p: Problem, placements: list) -> int:
    return sum(u.missing for u in _roster(p, placements).unfilled)


def test_moves_fill_what_the_greedy_leaves() -> None:
    """With one candidate per slot the greedy leaves gaps; moves fill some, all checked."""
    for seed in (5, 6, 7):
        p = district(seed)
        cands = pruned_candidates(p, nearest_eligible(p, reach=1), per_slot=1, per_unit=1)
        first = greedy_roster(p, cands)
        filled = fill_by_moves(p, cands, first, deadline=time.monotonic() + 5)
        assert check(p, _roster(p, filled)) == []
        assert _missing(p, filled) < _missing(p, first)
        before = sum(score(p, _roster(p, first)).values())
        assert sum(score(p, _roster(p, filled)).values()) < before


def poor_start(p: Problem) -> tuple[list[Candidate], list[Placement]]:
    """Candidates (20 nearest per slot) and a deliberately poor roster from the farthest."""
    cands = pruned_candidates(p, nearest_eligible(p, reach=20), per_slot=20, per_unit=20)
    far = sorted(cands, key=lambda c: -math.dist(p.volunteers[c.volunteer].home, (5, 5)))
    return cands, greedy_roster(p, far[: len(far) // 3])


def test_cheaper_service_never_costs_more() -> None:
    """Moving placements to nearer free volunteers keeps every head and lowers the objective."""
    for seed in (1, 2, 3):
        p = district(seed)
        cands, first = poor_start(p)
        better = improve_service(p, cands, first, deadline=time.monotonic() + 5)
        assert check(p, _roster(p, better)) == []
        assert _missing(p, better) == _missing(p, first)
        old = sum(score(p, _roster(p, first)).values())
        assert sum(score(p, _roster(p, better)).values()) <= old


def test_flow_roster_is_valid() -> None:
    """The flow rounds' roster (stocks and rest priced) passes the checker."""
    p = district(8)
    near = nearest_eligible(p, reach=20)
    net = Network(p, near)
    dual = lagrangian(net, deadline=time.monotonic() + 5)
    placements = flow_roster(net, dual, deadline=time.monotonic() + 5)
    assert placements
    assert check(p, _roster(p, placements)) == []


@SETTINGS
@given(problems(max_vols=3, max_slots=4))
def test_flow_bounds_never_pass_the_optimum(p: Problem) -> None:
    """On random small problems: the objective bound, the open-head bound and the travel plus
    fairness bound at the optimum's cover are all below what the optimum achieves."""
    p = replace(p, previous=(), pinned=())
    try:
        r = solve(p, time_limit_s=10)
    except NoRosterError:
        return
    if r.stats is None or r.stats.status != "OPTIMAL":
        return
    near = nearest_eligible(p, reach=2)
    until = time.monotonic() + 5
    full = lagrangian(Network(p, near), deadline=until).value
    assert full <= r.stats.objective + 1e-6
    heads = sum(s.headcount for s in p.slots)
    covered = heads - sum(u.missing for u in r.unfilled)
    open_lb = lagrangian(Network(p, near, mode="cover"), deadline=until).value
    assert heads - math.ceil(open_lb - 1e-6) >= covered
    # The optimum weighs every term; no roster covering as many, drawing no more kits from the
    # city reserve, has less travel plus fairness.
    reserve = {k.id for k in p.stocks if k.is_city_reserve}
    drawn = sum(a.stock in reserve for a in r.assignments)
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    for cap in (None, drawn):
        net = Network(p, near, mode="service", covered=covered, reserve_kits=cap)
        assert lagrangian(net, deadline=until, target=service).value <= service + 1e-6


def test_rest_prices_tighten_the_cover_bound() -> None:
    """One volunteer, a night shift and the next morning's: the flow alone would cover both,
    but the rest between them is priced in, so the bound proves one head must stay open."""
    vol = Volunteer("V", home=(0.0, 0.0))
    post = Post("P", location=(1.0, 0.0))
    night = Slot("night", "P", 1320, 1800, 1, shift_type="N")
    morning = Slot("morning", "P", 1800, 2280, 1, shift_type="D")
    p = Problem((vol,), (post,), (night, morning), rules=Rules(min_rest_minutes=720))
    near = nearest_eligible(p, reach=1)
    net = Network(p, near, mode="cover")
    assert net.cliques == 1
    open_lb = lagrangian(net, deadline=time.monotonic() + 5, max_iterations=20).value
    assert math.ceil(open_lb - 1e-6) == 1
    assert len(solve(p, time_limit_s=5).assignments) == 1


def test_two_volunteers_trade_posts_when_each_lives_near_the_others() -> None:
    """Each is placed at the post far from home, in the same window, so no single move helps
    (the nearer volunteer is busy then); trading places halves both journeys."""
    west, east = Post("W", location=(0.0, 0.0)), Post("E", location=(10.0, 0.0))
    vols = (Volunteer("near-W", home=(0.5, 0.0)), Volunteer("near-E", home=(9.5, 0.0)))
    slots = (Slot("w", "W", 360, 840, 1), Slot("e", "E", 360, 840, 1))
    p = Problem(vols, (west, east), slots)
    cands = pruned_candidates(p, nearest_eligible(p, reach=2), per_slot=2, per_unit=2)
    crossed = [Placement("near-E", "w"), Placement("near-W", "e")]
    better = improve_service(p, cands, crossed, deadline=time.monotonic() + 5)
    assert check(p, _roster(p, better)) == []
    assert sorted((a.volunteer, a.slot) for a in better) == [("near-E", "e"), ("near-W", "w")]


def test_a_chain_frees_the_far_volunteer() -> None:
    """Far is on slot w and Near-W, who lives by it, works e in the same window; Other, as
    far from e as Near-W, is free. Only medics take w and only drivers e, and Other is no
    nearer to e, so no single move or trade helps: the chain moves Near-W to w and Other to e,
    and Far goes home."""
    west, east = Post("W", location=(0.0, 0.0)), Post("E", location=(10.0, 0.0))
    vols = (
        Volunteer("far", home=(30.0, 0.0), skills=frozenset({"medic"})),
        Volunteer("near-W", home=(0.5, 0.0), skills=frozenset({"medic", "driver"})),
        Volunteer("other", home=(19.5, 0.0), skills=frozenset({"driver"})),
    )
    slots = (
        Slot("w", "W", 360, 840, 1, skill="medic"),
        Slot("e", "E", 360, 840, 1, skill="driver"),
    )
    p = Problem(vols, (west, east), slots)
    cands = pruned_candidates(p, nearest_eligible(p, reach=3), per_slot=3, per_unit=3)
    start = [Placement("far", "w"), Placement("near-W", "e")]
    better = improve_service(p, cands, start, deadline=time.monotonic() + 5)
    assert check(p, _roster(p, better)) == []
    assert sorted((a.volunteer, a.slot) for a in better) == [("near-W", "w"), ("other", "e")]


def test_an_open_head_is_filled_by_a_chain_when_the_free_volunteer_lives_far() -> None:
    """w is open. Near-W lives by it but works e in the same window; Near-E lives by e and is
    free but is no medic; Far is a free medic 30 km out, beyond w's pruned list, so the gap
    filling finds him only when it looks further. Filling w directly sends Far; moving Near-W
    to w and Near-E to e covers both heads with a fraction of the travel."""
    west, east = Post("W", location=(0.0, 0.0)), Post("E", location=(10.0, 0.0))
    vols = (
        Volunteer("far", home=(30.0, 0.0), skills=frozenset({"medic"})),
        Volunteer("near-W", home=(0.5, 0.0), skills=frozenset({"medic"})),
        Volunteer("near-E", home=(9.5, 0.0)),
    )
    slots = (Slot("w", "W", 360, 840, 1, skill="medic"), Slot("e", "E", 360, 840, 1))
    p = Problem(vols, (west, east), slots)
    cands = pruned_candidates(p, nearest_eligible(p, reach=1), per_slot=1, per_unit=1)
    assert {p.volunteers[c.volunteer].id for c in cands} == {"near-W", "near-E"}
    start = [Placement("near-W", "e")]
    filled = fill_by_moves(p, cands, start, deadline=time.monotonic() + 5)
    assert check(p, _roster(p, filled)) == []
    assert sorted((a.volunteer, a.slot) for a in filled) == [("near-E", "e"), ("near-W", "w")]
