"""The local search's quick test of one more shift agrees with the checker's full workload check,
rule by rule, on random valid sets of shifts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.checker import check_workload
from matching.problem import Post, Problem, Rules, Slot, Volunteer
from matching.workload import has_minimums, may_add

TYPES = ("E", "L", "N")


@st.composite
def rules(draw: st.DrawFn) -> Rules:
    """Any mix of workload rules, minimums included (the quick test defers to the checker)."""
    maybe = st.none() | st.integers(0, 4)
    return Rules(
        max_shifts_per_day=draw(st.none() | st.integers(1, 2)),
        min_rest_minutes=draw(st.sampled_from((0, 60, 480, 720, 960))),
        period_days=draw(st.none() | st.integers(1, 7)),
        max_minutes_per_period=draw(st.none() | st.integers(0, 2400)),
        min_minutes_per_period=draw(st.none() | st.just(480)) if draw(st.booleans()) else None,
        max_shifts_per_type=draw(st.dictionaries(st.sampled_from(TYPES), st.integers(0, 3))),
        max_consecutive_days=draw(maybe),
        min_consecutive_days=draw(st.none() | st.integers(2, 3)) if draw(st.booleans()) else None,
        min_consecutive_days_off=None,
        max_working_weekends=draw(st.none() | st.integers(0, 1)),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Problem, list[Slot], Slot]:
    """A problem, a set of shifts that breaks no rule, and one more shift to try."""
    days = draw(st.integers(1, 9))
    n = draw(st.integers(1, 14))
    slots = []
    for i in range(n):
        day = draw(st.integers(-1, days))  # a shift may lie just outside the horizon
        start = day * 1440 + draw(st.sampled_from((0, 360, 840, 1320)))
        length = draw(st.sampled_from((240, 480, 720)))
        slots.append(Slot(f"S{i}", "P", start, start + length, 1, draw(st.sampled_from(TYPES))))
    successions = draw(st.frozensets(st.tuples(st.sampled_from(TYPES), st.sampled_from(TYPES))))
    p = Problem(
        volunteers=(Volunteer("V"),),
        posts=(Post("P"),),
        slots=tuple(slots),
        rules=draw(rules()),
        forbidden_successions=successions,
        horizon_days=days,
        first_weekday=draw(st.integers(0, 6)),
    )
    valid: list[Slot] = []  # with minimums set, even the empty set may break one
    for s in slots[:-1]:
        if not check_workload(p, volunteer=p.volunteers[0], shifts=[*valid, s]):
            valid.append(s)
    return p, valid, draw(st.sampled_from(slots))


@settings(max_examples=600, deadline=None)
@given(cases())
def test_one_more_shift_is_judged_as_the_checker_judges_the_whole_set(
    case: tuple[Problem, list[Slot], Slot],
) -> None:
    p, valid, slot = case
    volunteer = p.volunteers[0]
    if not has_minimums(p.rules):
        assert not check_workload(p, volunteer=volunteer, shifts=valid)
    broken = check_workload(p, volunteer=volunteer, shifts=[*valid, slot])
    assert may_add(p, volunteer, valid, slot) == (not broken), broken
