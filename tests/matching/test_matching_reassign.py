"""Re-solving a day's placements of one kit item (or of all) exactly: the roster stays valid,
every slot keeps its cover, the objective never rises, and on one post's day the result is the
best roster with that cover (found by enumerating every placement set, judged by the checker
alone)."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from test_matching_moves import poor_start
from test_matching_properties import problems
from test_matching_scale import _roster, district

from matching.candidates import all_candidates
from matching.checker import check, score
from matching.greedy import greedy_roster
from matching.problem import Placement, Post, Problem, Rules, Slot, Stock, Volunteer
from matching.reassign import Choices, reassign
from matching.working import WorkingRoster, travel

SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def _cost(p: Problem, placements: list[Placement]) -> int:
    return sum(score(p, _roster(p, placements)).values())


def _cover(placements: list[Placement]) -> Counter[str]:
    return Counter(a.slot for a in placements)


def test_a_poor_roster_gets_cheaper_with_the_same_cover() -> None:
    """From the farthest candidates first, re-solving days lowers the objective, and the roster
    keeps every slot's heads and passes the checker."""
    for seed in (1, 2, 3):
        p = district(seed)
        cands, first = poor_start(p)
        better = reassign(p, Choices.of(p, cands), first, deadline=time.monotonic() + 5)
        assert check(p, _roster(p, better)) == []
        assert _cover(better) == _cover(first)
        assert _cost(p, better) < _cost(p, first)


def test_kits_come_from_own_stocks_where_a_swap_frees_them() -> None:
    """Unit U has no suits left, unit V has two: a U volunteer on the shift takes a reserve kit,
    so a V volunteer living a little farther takes their place (a reserve kit outweighs 2 km)."""
    p = Problem(
        volunteers=(
            Volunteer("u", unit="U", home=(0.0, 0.0)),
            Volunteer("v1", unit="V", home=(0.0, 0.0)),
            Volunteer("v2", unit="V", home=(2.0, 0.0)),
        ),
        posts=(Post("P", using_unit="U"),),
        slots=(Slot("s", "P", 360, 840, 2, kit="suit"),),
        stocks=(
            Stock("U-suit", "suit", 0, 0, owner="U"),
            Stock("V-suit", "suit", 0, 2, owner="V"),
            Stock("city", "suit", 0, 5),
        ),
    )
    first = [Placement("u", "s", "city"), Placement("v1", "s", "V-suit")]
    better = reassign(p, Choices.of(p, all_candidates(p)), first, deadline=time.monotonic() + 5)
    assert set(better) == {Placement("v1", "s", "V-suit"), Placement("v2", "s", "V-suit")}
    assert score(p, _roster(p, better))["city_reserve"] == 0


def test_a_social_volunteer_with_the_using_units_kit_replaces_a_reserve_kit() -> None:
    """A post used by unit U, which no volunteer belongs to: an agency volunteer of V (no stock)
    holds a reserve kit there; a social volunteer 3 km away can be equipped from U's stock, and
    the re-solve of U's posts puts them there instead (a reserve kit outweighs 3 km)."""
    p = Problem(
        volunteers=(Volunteer("a", unit="V", home=(0.0, 0.0)), Volunteer("s", home=(3.0, 0.0))),
        posts=(Post("P", using_unit="U"),),
        slots=(Slot("x", "P", 360, 840, 1, kit="suit"),),
        stocks=(Stock("U-suit", "suit", 0, 1, owner="U"), Stock("city", "suit", 0, 5)),
    )
    first = [Placement("a", "x", "city")]
    better = reassign(p, Choices.of(p, all_candidates(p)), first, deadline=time.monotonic() + 5)
    assert better == [Placement("s", "x", "U-suit")]
    assert check(p, _roster(p, better)) == []


def test_an_agency_and_a_social_volunteer_swap_posts_of_two_using_units() -> None:
    """Agency volunteer a (unit U) lives by post P2, social volunteer b by P1, and each works
    at the other's post. Swapping them changes both slots' mix of agency and social heads, and
    b's kit must then come from P1's user W1 instead of W2: neither a re-solve that keeps each
    slot's mix nor one of a single using unit's posts can make it; the free re-solve does."""
    p = Problem(
        volunteers=(
            Volunteer("a", unit="U", home=(10.0, 0.0)),
            Volunteer("b", home=(0.0, 0.0)),
        ),
        posts=(
            Post("P1", using_unit="W1", location=(0.0, 0.0)),
            Post("P2", using_unit="W2", location=(10.0, 0.0)),
        ),
        slots=(
            Slot("s1", "P1", 360, 840, 1, kit="mask"),
            Slot("s2", "P2", 360, 840, 1, kit="mask"),
        ),
        stocks=(
            Stock("U-mask", "mask", 0, 1, owner="U"),
            Stock("W1-mask", "mask", 0, 1, owner="W1"),
            Stock("W2-mask", "mask", 0, 1, owner="W2"),
        ),
        rules=Rules(max_shifts_per_day=1),
    )
    first = [Placement("a", "s1", "U-mask"), Placement("b", "s2", "W2-mask")]
    better = reassign(p, Choices.of(p, all_candidates(p)), first, deadline=time.monotonic() + 5)
    assert set(better) == {Placement("a", "s2", "U-mask"), Placement("b", "s1", "W1-mask")}
    assert check(p, _roster(p, better)) == []


def test_a_mask_post_and_a_suit_post_swap_volunteers() -> None:
    """Each volunteer works the other's nearby post, one needing masks, the other suits. A
    re-solve of one item's slots holds the other's volunteer, who may work once a day, so only
    the day's slots of every item together put both at home, each kit from their unit's stock."""
    p = Problem(
        volunteers=(
            Volunteer("a", unit="U", home=(0.0, 0.0)),
            Volunteer("b", unit="U", home=(10.0, 0.0)),
        ),
        posts=(Post("P1", location=(0.0, 0.0)), Post("P2", location=(10.0, 0.0))),
        slots=(
            Slot("s1", "P1", 360, 840, 1, kit="mask"),
            Slot("s2", "P2", 360, 840, 1, kit="suit"),
        ),
        stocks=(
            Stock("U-mask", "mask", 0, 1, owner="U"),
            Stock("U-suit", "suit", 0, 1, owner="U"),
            Stock("city-suit", "suit", 0, 1),
        ),
        rules=Rules(max_shifts_per_day=1),
    )
    first = [Placement("a", "s2", "U-suit"), Placement("b", "s1", "U-mask")]
    better = reassign(p, Choices.of(p, all_candidates(p)), first, deadline=time.monotonic() + 5)
    assert set(better) == {Placement("a", "s1", "U-mask"), Placement("b", "s2", "U-suit")}
    assert check(p, _roster(p, better)) == []
    assert score(p, _roster(p, better))["travel"] == 0


def test_three_volunteers_change_posts_at_once() -> None:
    """Each volunteer sits one post along from their nearest: no single move helps (every post
    is full and everyone works), but the day re-solved puts all three at home."""
    posts = tuple(Post(f"P{i}", location=(10.0 * i, 0.0)) for i in range(3))
    p = Problem(
        volunteers=tuple(Volunteer(f"v{i}", home=(10.0 * i, 0.0)) for i in range(3)),
        posts=posts,
        slots=tuple(Slot(f"s{i}", f"P{i}", 360, 840, 1) for i in range(3)),
        rules=Rules(max_shifts_per_day=1),
    )
    first = [Placement(f"v{i}", f"s{(i + 1) % 3}") for i in range(3)]
    better = reassign(p, Choices.of(p, all_candidates(p)), first, deadline=time.monotonic() + 5)
    assert set(better) == {Placement(f"v{i}", f"s{i}") for i in range(3)}
    assert score(p, _roster(p, better))["travel"] == 0


@SETTINGS
@given(problems(max_vols=4, max_slots=5))
def test_never_costs_more_and_keeps_every_rule(p: Problem) -> None:
    """On random problems (pins, a published roster, stocks, every rule): the re-solved roster
    passes the checker, covers each slot as before and costs no more."""
    first = greedy_roster(p, all_candidates(p))
    assume(check(p, _roster(p, first)) == [])
    better = reassign(p, Choices.of(p, all_candidates(p)), first, deadline=time.monotonic() + 5)
    assert check(p, _roster(p, better)) == []
    assert _cover(better) == _cover(first)
    assert _cost(p, better) <= _cost(p, first)


@SETTINGS
@given(problems(max_vols=4, max_slots=4))
def test_one_posts_day_is_solved_exactly(p: Problem) -> None:
    """Every slot on day 0 at one post, all needing a suit, one shift a day: from the worst
    valid roster with the greedy's cover, the result is the cheapest with that cover."""
    post = p.posts[0]
    p = replace(
        p,
        posts=(post,),
        slots=tuple(
            replace(s, post=post.id, start=s.start % 1440, end=s.start % 1440 + 480, kit="suit")
            for s in p.slots
        ),
        stocks=tuple(replace(k, day=0) for k in p.stocks),
        volunteers=tuple(replace(v, rules=None) for v in p.volunteers),
        rules=replace(
            p.rules,
            max_shifts_per_day=1,
            min_minutes_per_period=None,
            min_consecutive_days=None,
            min_consecutive_days_off=None,
        ),
        requests=(),
        horizon_days=1,
    )
    cover = _cover(greedy_roster(p, all_candidates(p)))
    assume(cover)
    rosters = sorted(_rosters_with_cover(p, cover), key=lambda r: r[0])
    assume(rosters)
    worst = rosters[-1][1]
    better = reassign(p, Choices.of(p, all_candidates(p)), worst, deadline=time.monotonic() + 5)
    assert check(p, _roster(p, better)) == []
    assert _cover(better) == cover
    assert _cost(p, better) == rosters[0][0]


@SETTINGS
@given(problems(max_vols=4, max_slots=5))
def test_a_slots_choices_are_priced_as_each_one_alone(p: Problem) -> None:
    """The re-solves price each slot's choices at once (travel, grid claims, changes to the
    published roster); every price equals the one-volunteer price the moves use."""
    r = WorkingRoster(p, [], [])
    vols = np.arange(len(p.volunteers))
    for s in range(len(p.slots)):
        trav = np.array([travel(r, v, s) for v in vols], dtype=np.int64)
        assert r.costs(s, vols, trav).tolist() == [
            r.cost(v, s, t, None) for v, t in zip(vols.tolist(), trav.tolist(), strict=True)
        ]


def _rosters_with_cover(p: Problem, cover: Counter[str]) -> Iterator[tuple[int, list[Placement]]]:
    """Every valid roster with exactly `cover` heads per slot, and its objective: each placement
    set, kits from the volunteer's own stock while any is left, else the reserve's."""
    pairs = [(v.id, s.id) for v in p.volunteers for s in p.slots]
    for chosen in itertools.combinations(pairs, sum(cover.values())):
        if Counter(s for _, s in chosen) != cover:
            continue
        placements = _equipped(p, chosen)
        if placements is not None and not check(p, _roster(p, placements)):
            yield _cost(p, placements), placements


def _equipped(p: Problem, chosen: tuple[tuple[str, str], ...]) -> list[Placement] | None:
    left = {k.id: k.quantity for k in p.stocks}
    vols = {v.id: v for v in p.volunteers}
    users = {post.id: post.using_unit for post in p.posts}
    slots = {s.id: s for s in p.slots}
    out = []
    for v, s in chosen:
        owner = vols[v].unit if vols[v].unit is not None else users[slots[s].post]
        own = [k.id for k in p.stocks if k.owner == owner and owner is not None]
        city = [k.id for k in p.stocks if k.owner is None]
        k = next((k for k in [*own, *city] if left[k] > 0), None)
        if k is None:
            return None
        left[k] -= 1
        out.append(Placement(v, s, k))
    return out
