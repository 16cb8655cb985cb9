"""May one more shift join a volunteer's valid set of shifts? The question every move asks.

`checker.check_workload` re-checks the whole set, which is what an independent check should do
but costs most of the local search's time. Here only the rules the new shift can break are
tested: its overlap and rest with each other shift, successions with the days either side, its
day's, period's and type's caps, the run of days it joins, and the weekends worked. Minimums
(minutes, runs of days, days off) are not monotone, so with any of them set the whole set is
re-checked instead. The answer equals `not check_workload(shifts + [slot])` for a valid set.
"""

from __future__ import annotations

from matching.checker import check_workload
from matching.problem import Problem, Rules, Slot, Volunteer


def has_minimums(rules: Rules) -> bool:
    """Rules a larger set of shifts can meet although a smaller one does not."""
    return bool(
        rules.min_minutes_per_period or rules.min_consecutive_days or rules.min_consecutive_days_off
    )


def may_add(problem: Problem, volunteer: Volunteer, shifts: list[Slot], slot: Slot) -> bool:
    """True if `slot` may join `shifts` (which break no rule) under every workload rule."""
    r = problem.rules_for(volunteer)
    if has_minimums(r):
        return not check_workload(problem, volunteer=volunteer, shifts=[*shifts, slot])
    return (
        keeps_rest(r, shifts, slot)
        and keeps_successions(problem, shifts, slot)
        and within_day_cap(r, shifts, slot)
        and within_period_cap(problem, r, shifts, slot)
        and within_type_cap(r, shifts, slot)
        and within_consecutive_days(problem, r, shifts, slot)
        and within_weekends(problem, r, shifts, slot)
    )


def keeps_rest(rules: Rules, shifts: list[Slot], slot: Slot) -> bool:
    """No overlap, and the minimum rest between the later shift's start and the earlier's end."""
    rest = rules.min_rest_minutes
    for t in shifts:
        if (t.start, t.end) <= (slot.start, slot.end):
            if slot.start < t.end + rest:
                return False
        elif t.start < slot.end + rest:
            return False
    return True


def keeps_successions(problem: Problem, shifts: list[Slot], slot: Slot) -> bool:
    """No forbidden succession of shift types with the day before or after."""
    forbidden = problem.forbidden_successions
    if not forbidden:
        return True
    d = slot.day
    for t in shifts:
        if t.day == d - 1 and (t.shift_type, slot.shift_type) in forbidden:
            return False
        if t.day == d + 1 and (slot.shift_type, t.shift_type) in forbidden:
            return False
    return True


def within_day_cap(rules: Rules, shifts: list[Slot], slot: Slot) -> bool:
    """At most `max_shifts_per_day` on the shift's day."""
    cap = rules.max_shifts_per_day
    return cap is None or sum(t.day == slot.day for t in shifts) < cap


def within_period_cap(problem: Problem, rules: Rules, shifts: list[Slot], slot: Slot) -> bool:
    """At most `max_minutes_per_period` in the shift's period (periods start on day 0)."""
    cap = rules.max_minutes_per_period
    days = max(problem.days, 1)
    period = rules.period_days or days
    p0 = slot.day // period * period
    if cap is None or slot.day < 0 or p0 >= days:
        return True  # the last period counts all its days, even past the horizon
    used = sum(t.minutes for t in shifts if p0 <= t.day < p0 + period)
    return used + slot.minutes <= cap


def within_type_cap(rules: Rules, shifts: list[Slot], slot: Slot) -> bool:
    """At most so many shifts of the shift's type."""
    cap = rules.max_shifts_per_type.get(slot.shift_type)
    return cap is None or sum(t.shift_type == slot.shift_type for t in shifts) < cap


def within_consecutive_days(problem: Problem, rules: Rules, shifts: list[Slot], slot: Slot) -> bool:
    """The run of working days the shift's day joins is no longer than allowed."""
    cap = rules.max_consecutive_days
    days = problem.days
    if cap is None or not 0 <= slot.day < days:
        return True
    worked = {t.day for t in shifts}
    if slot.day in worked:
        return True
    lo = slot.day
    while lo - 1 >= 0 and lo - 1 in worked:
        lo -= 1
    hi = slot.day
    while hi + 1 < days and hi + 1 in worked:
        hi += 1
    return hi - lo + 1 <= cap


def within_weekends(problem: Problem, rules: Rules, shifts: list[Slot], slot: Slot) -> bool:
    """No more weekends worked than allowed."""
    cap = rules.max_working_weekends
    if cap is None:
        return True

    def weekend(day: int) -> int | None:
        n = problem.first_weekday + day
        return n // 7 if n % 7 in (5, 6) else None

    mine = {weekend(t.day) for t in shifts} - {None}
    new = weekend(slot.day)
    return new is None or new in mine or len(mine) < cap
