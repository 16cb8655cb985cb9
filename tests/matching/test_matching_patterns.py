"""Day patterns: any choice of one shift a day within them keeps the minimum rest, so a flow
over only the arcs they allow gives rosters the checker accepts; they keep as much of what a
flow ignoring rest wanted as a pattern can."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_matching_scale import _roster, district

from matching.checker import check
from matching.flow import Dual, Network, flow_roster
from matching.patterns import kept_days, open_pattern, rest_keeping_lists, shift_ranks
from matching.problem import Rules, Slot
from matching.prune import nearest_eligible

DAYS = 5


def test_three_eight_hour_shifts_with_twelve_hours_rest_are_ranked_by_their_start() -> None:
    p = district(1)
    ranks = shift_ranks(p)
    assert ranks is not None
    assert {(s.shift_type, r) for s, r in zip(p.slots, ranks, strict=True)} == {
        ("0", 0),
        ("1", 1),
        ("2", 2),
    }


def test_no_ranks_where_the_same_shift_next_day_breaks_the_rest() -> None:
    """Twelve-hour shifts with sixteen hours' rest: 06:00-18:00 then 06:00 is only 12 h."""
    p = district(1)
    twelve = tuple(replace(s, end=s.start + 720) for s in p.slots)
    assert shift_ranks(replace(p, slots=twelve, rules=Rules(min_rest_minutes=960))) is None
    # Two shifts a day allowed: one a day is what patterns rely on.
    assert shift_ranks(replace(p, rules=Rules(max_shifts_per_day=2))) is None


wishes = st.dictionaries(st.integers(0, DAYS - 1), st.integers(0, 2), max_size=DAYS)


def _rising(week: dict[int, int]) -> bool:
    """Ranks never fall from one working day to the next."""
    return all(week[d + 1] >= week[d] for d in week if d + 1 in week)


@settings(max_examples=300, deadline=None)
@given(wishes)
def test_kept_days_are_the_largest_rising_part_of_the_wishes(wanted: dict[int, int]) -> None:
    kept = kept_days(wanted, days=DAYS)
    assert kept.items() <= wanted.items()
    assert _rising(kept)
    # Brute force: no larger subset of the wishes rises.
    items = sorted(wanted.items())
    rising = (
        n
        for n in range(len(items) + 1)
        for sub in itertools.combinations(items, n)
        if _rising(dict(sub))
    )
    best = max(rising, default=0)
    assert len(kept) == best


@settings(max_examples=300, deadline=None)
@given(wishes)
def test_any_week_within_an_open_pattern_rises_and_keeps_the_worked_days(
    wanted: dict[int, int],
) -> None:
    worked = kept_days(wanted, days=DAYS)
    pattern = open_pattern(worked, days=DAYS, ranks=3)
    for d, r in worked.items():
        assert pattern[d] == (r, r)
    for d in range(DAYS - 1):
        if pattern[d] is not None and pattern[d + 1] is not None:
            assert pattern[d][1] <= pattern[d + 1][0]  # the highest today ≤ the lowest tomorrow


def test_a_flow_over_pattern_lists_keeps_the_rest() -> None:
    """The flow ignoring rest breaks it; cut to patterns around that flow, it does not, and
    the roster from its rounds passes the checker."""
    broken = 0
    for seed in (1, 2, 3):
        p = district(seed, vols=40, days=4)
        ranks = shift_ranks(p)
        assert ranks is not None
        near = nearest_eligible(p, reach=40)
        net = Network(p, near)
        worked = net.worked()
        broken += net.rest_excess(_flows(net, worked)).clip(min=0).sum()
        lists = rest_keeping_lists(p, near, ranks=ranks, worked=worked)
        kept = Network(p, lists, rest_cliques=False)
        zero = Dual(0.0, np.zeros(len(p.stocks), dtype=np.int64), np.zeros(0, dtype=np.int64))
        placements = flow_roster(kept, zero, deadline=time.monotonic() + 5)
        assert placements
        assert check(p, _roster(p, placements)) == []
        # Every pair of shifts a volunteer works on consecutive days rises in rank.
        by_vol: dict[str, list[Slot]] = {}
        slots = {s.id: s for s in p.slots}
        for a in placements:
            by_vol.setdefault(a.volunteer, []).append(slots[a.slot])
        rank = {s.id: r for s, r in zip(p.slots, ranks, strict=True)}
        for mine in by_vol.values():
            week = {s.day: rank[s.id] for s in mine}
            assert _rising(week)
    assert broken > 0


def _flows(net: Network, arcs: list[tuple[int, int]]) -> np.ndarray:
    """The network's arc flows for these (volunteer, slot) pairs."""
    index = {(int(v), int(s)): j for j, (v, s) in enumerate(zip(net.av, net.asl, strict=True))}
    flows = np.zeros(len(net.av), dtype=np.int64)
    for pair in arcs:
        flows[index[pair]] = 1
    return flows
