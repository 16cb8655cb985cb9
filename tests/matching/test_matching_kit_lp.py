"""The LP behind the free-split and whole-day re-solves: heads met, stocks and the reserve (per
item) respected."""

from __future__ import annotations

import numpy as np
import pytest

from matching.kit_lp import KitLp, solve_kit_lp


def _lp(*, reserve_cost: int, need: list[int], left: list[int]) -> KitLp:
    # v0 lives by the slot but their unit (0) has no kit left; v1 is 5 km off, unit 1 has one.
    return KitLp(
        volunteers=np.array([0, 1]),
        slots=np.array([0, 0]),
        costs=np.array([1, 50]),
        owners=np.array([0, 1]),
        need=np.array(need),
        left=np.array(left),
        reserve_left=3,
        reserve_cost=reserve_cost,
    )


@pytest.mark.parametrize(
    ("reserve_cost", "own", "reserve"),
    [(200, [0, 1], [0, 0]), (10, [0, 0], [1, 0])],
    ids=["the farther volunteer with a kit", "the near one with a reserve kit"],
)
def test_a_reserve_kit_is_drawn_only_where_it_costs_less_than_the_way(
    reserve_cost: int, own: list[int], reserve: list[int]
) -> None:
    got = solve_kit_lp(_lp(reserve_cost=reserve_cost, need=[1], left=[0, 1]), time_limit_s=5)
    assert got is not None
    assert np.allclose(got[0], own) and np.allclose(got[1], reserve)


def test_heads_no_one_can_fill_give_none() -> None:
    """Two heads, two volunteers, but each takes one shift and only one kit is left anywhere."""
    lp = _lp(reserve_cost=10, need=[2], left=[0, 1])
    lp.reserve_left = 0
    assert solve_kit_lp(lp, time_limit_s=5) is None


def test_each_item_draws_on_its_own_reserve() -> None:
    """Two slots, a mask one (item 0) and a suit one (item 1), and one near volunteer each whose
    unit has none of that kit: the reserve has a mask but no suit, so the suit slot takes the
    farther volunteer whose unit has a suit, while the mask slot takes a reserve mask."""
    lp = KitLp(
        volunteers=np.array([0, 1, 2]),
        slots=np.array([0, 1, 1]),
        costs=np.array([1, 1, 50]),
        owners=np.array([0, 0, 3]),  # owner rows: item * 2 + unit
        need=np.array([1, 1]),
        left=np.array([0, 0, 0, 1]),
        reserve_left=np.array([1, 0]),
        reserve_cost=10,
        items=np.array([0, 1, 1]),
    )
    got = solve_kit_lp(lp, time_limit_s=5)
    assert got is not None
    assert np.allclose(got[0], [0, 0, 1]) and np.allclose(got[1], [1, 0, 0])
