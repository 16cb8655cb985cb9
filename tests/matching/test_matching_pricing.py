"""One person's cheapest schedule by dynamic programme (matching.pricing): the optimum over every
schedule the independent checker accepts, on random wards binding every per-person rule."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from matching.pricing import Pricer
from matching.problem import Rules
from matching.ward import Ward
from tests.matching.test_matching_columns import _valid_schedules
from tests.matching.test_matching_shifts import ward


def _cost(row: list[int], price: np.ndarray) -> float:
    return float(sum(price[si] for si in row if si >= 0))


@pytest.mark.parametrize("seed", range(8))
def test_the_cheapest_schedule_is_the_best_the_checker_accepts(seed: int) -> None:
    """At random prices (some negative, as duals make them), the programme's schedule is one
    the checker accepts and costs exactly the least of all such schedules; the next ones it
    offers are other valid schedules, no cheaper. Where the checker accepts no schedule at all,
    there is none."""
    p = ward(200 + seed, people=4, days=7, kinds=3)
    w = Ward.of(p)
    rng = random.Random(seed)
    for e in range(w.people):
        pricer = w.pricers[e]
        assert pricer is not None
        valid = _valid_schedules(p, w, e)
        for _ in range(3):
            price = np.array([rng.uniform(-20, 10) for _ in w.head])
            found = pricer.cheapest(price, many=3)
            if not valid:  # (the ward's rules leave some people no schedule at all)
                assert found == []
                continue
            least = min(_cost(row, price) for row in valid)
            assert found and found[0][0] == pytest.approx(least)
            costs = [c for c, _ in found]
            assert costs == sorted(costs)
            for c, row in found:
                assert row in valid
                assert _cost(row, price) == pytest.approx(c)
            assert len({tuple(row) for _, row in found}) == len(found)


@pytest.mark.parametrize("seed", range(4))
def test_a_cost_ceiling_drops_only_dearer_schedules(seed: int) -> None:
    """Told that no schedule above a ceiling is wanted (column generation's own dual), the
    programme still finds the cheapest valid schedule whenever it lies within the ceiling, never
    offers one above it, and offers nothing when every valid schedule costs more."""
    p = ward(210 + seed, people=4, days=7, kinds=3)
    w = Ward.of(p)
    rng = random.Random(seed)
    for e in range(w.people):
        valid = _valid_schedules(p, w, e)
        if not valid:
            continue
        for _ in range(3):
            price = np.array([rng.uniform(-20, 10) for _ in w.head])
            costs = sorted(_cost(row, price) for row in valid)
            least = costs[0]
            ceiling = rng.choice(costs[: max(1, len(costs) // 4)])
            found = w.pricers[e].cheapest(price, many=3, upper=ceiling + 1e-9)
            assert found and found[0][0] == pytest.approx(least)
            for c, row in found:
                assert row in valid
                assert c <= ceiling + 1e-6
            assert w.pricers[e].cheapest(price, many=3, upper=least - 1e-3) == []


def test_a_person_with_no_valid_schedule_gets_none() -> None:
    """A minimum of minutes beyond every shift the person may take: nothing to offer."""
    p = ward(201, people=1, days=5, kinds=2)
    v = p.volunteers[0]
    rules = replace(p.rules_for(v), min_minutes_per_period=6 * 600, max_minutes_per_period=None)
    p = replace(p, volunteers=(replace(v, rules=rules),))
    w = Ward.of(p)
    assert _valid_schedules(p, w, 0) == []
    pricer = w.pricers[0]
    assert pricer is not None
    assert pricer.cheapest(np.zeros(len(w.head))) == []


def test_minutes_over_short_periods_are_left_to_cp_sat() -> None:
    """Weekly minutes on a two-week horizon lie outside the programme's state."""
    p = ward(202, people=1, days=14, kinds=2)
    v = p.volunteers[0]
    p = replace(p, volunteers=(replace(v, rules=replace(p.rules_for(v), period_days=7)),))
    w = Ward.of(p)
    assert w.pricers[0] is None


def test_many_capped_shift_types_are_left_to_cp_sat() -> None:
    """Twenty shift types each capped below the days open make a state far too large (its
    size would overflow a machine integer): no programme, and no error."""
    kinds = [f"t{i}" for i in range(20)]
    allowed = [[d * 20 + i for i in range(20)] for d in range(28)]
    rules = Rules(period_days=None, max_shifts_per_type={t: 14 for t in kinds})
    pricer = Pricer.of(
        allowed=allowed,
        kind=kinds * 28,
        minutes=[480] * (20 * 28),
        weekend=[None] * 28,
        rules=rules,
        forbidden=set(),
    )
    assert pricer is None
