"""The hard rules, one function each, posted on a RosterModel.

Per-placement rules (availability, skill, certificates, health, days off, a stock able to equip)
are enforced by `matching.candidates`: a placement that breaks one never gets a variable.
"""

from __future__ import annotations

from collections import defaultdict

from matching.model import RosterModel, add_clause, negate
from matching.problem import Rules, weekend_of


def _rules(m: RosterModel, v: int) -> Rules:
    return m.problem.rules_for(m.problem.volunteers[v])


def only_eligible_volunteers(m: RosterModel) -> None:
    """Each slot takes at most its headcount plus allowed over-cover, from candidates only."""
    for si, slot in enumerate(m.problem.slots):
        vols = m.by_slot.get(si, [])
        if len(vols) > slot.headcount + slot.max_over:
            m.model.add(sum(m.x[(v, si)] for v in vols) <= slot.headcount + slot.max_over)


def no_protection_no_post(m: RosterModel) -> None:
    """Every placement needing a kit takes one from one allowed stock; no stock is overdrawn."""
    users: dict[int, list] = defaultdict(list)
    for (_, _, k), lit in m.kit.items():
        users[k].append(lit)
    for k, lits in users.items():
        if len(lits) > m.problem.stocks[k].quantity:
            m.model.add(sum(lits) <= m.problem.stocks[k].quantity)


def _conflict_cliques(m: RosterModel, v: int, rest: int) -> list[list[int]]:
    """Maximal sets of v's candidate slots that pairwise overlap once ends are pushed by `rest`."""
    slots = m.problem.slots
    mine = m.by_volunteer.get(v, [])  # sorted by start
    cliques: list[list[int]] = []
    for i, a in enumerate(mine):
        p = slots[a].start
        clique = [b for b in mine[: i + 1] if slots[b].end + rest > p]
        clique += [b for b in mine[i + 1 :] if slots[b].start == p]
        if len(clique) > 1 and (not cliques or not set(clique) <= set(cliques[-1])):
            cliques.append(clique)
    return cliques


def no_overlapping_shifts(m: RosterModel) -> None:
    """No volunteer works two shifts whose time windows overlap (volunteers without a rest rule)."""
    for v in m.by_volunteer:
        if _rules(m, v).min_rest_minutes > 0:
            continue  # minimum_rest posts a stronger form
        for clique in _conflict_cliques(m, v, 0):
            m.model.add_at_most_one(m.x[(v, s)] for s in clique)


def minimum_rest(m: RosterModel) -> None:
    """Between the end of one shift and the start of the next, at least the minimum rest."""
    for v in m.by_volunteer:
        rest = _rules(m, v).min_rest_minutes
        if rest <= 0:
            continue
        # Overlap of windows extended by the rest is exactly "too close", and it covers overlap.
        for clique in _conflict_cliques(m, v, rest):
            m.model.add_at_most_one(m.x[(v, s)] for s in clique)


def forbidden_successions(m: RosterModel) -> None:
    """A shift type listed as not followable is never followed the next day by the other type."""
    pairs = m.problem.forbidden_successions
    if not pairs:
        return
    for v in m.by_volunteer:
        days = sorted({m.problem.slots[s].day for s in m.by_volunteer[v]})
        for d in days:
            for first, second in pairs:
                a = m.works_type(v, d, first)
                b = m.works_type(v, d + 1, second)
                if a is not False and b is not False:
                    add_clause(m.model, [negate(a), negate(b)])


def max_shifts_per_day(m: RosterModel) -> None:
    """At most the cap of shifts starting on any one day."""
    for v in m.by_volunteer:
        cap = _rules(m, v).max_shifts_per_day
        if cap is None:
            continue
        per_day: dict[int, list[int]] = defaultdict(list)
        for s in m.by_volunteer[v]:
            per_day[m.problem.slots[s].day].append(s)
        for ss in per_day.values():
            if len(ss) > cap:
                m.model.add(sum(m.x[(v, s)] for s in ss) <= cap)


def minutes_per_period(m: RosterModel) -> None:
    """Minutes worked in each period within [min, max]; the minimum applies to whole periods."""
    days = m.problem.days
    for v in range(len(m.problem.volunteers)):
        r = _rules(m, v)
        if r.max_minutes_per_period is None and r.min_minutes_per_period is None:
            continue
        period = r.period_days or max(days, 1)
        mine = m.by_volunteer.get(v, [])
        for p0 in range(0, max(days, 1), period):
            ss = [s for s in mine if p0 <= m.problem.slots[s].day < p0 + period]
            total = sum(m.problem.slots[s].minutes * m.x[(v, s)] for s in ss)
            most = sum(m.problem.slots[s].minutes for s in ss)
            if r.max_minutes_per_period is not None and most > r.max_minutes_per_period:
                m.model.add(total <= r.max_minutes_per_period)
            if r.min_minutes_per_period is not None and p0 + period <= days:
                if most < r.min_minutes_per_period:
                    m.model.add_bool_or([])  # cannot reach the minimum with any roster
                elif r.min_minutes_per_period > 0:
                    m.model.add(total >= r.min_minutes_per_period)


def max_shifts_per_type(m: RosterModel) -> None:
    """At most the cap of shifts of each capped type over the horizon (0 forbids the type)."""
    for v in m.by_volunteer:
        caps = _rules(m, v).max_shifts_per_type
        if not caps:
            continue
        by_type: dict[str, list[int]] = defaultdict(list)
        for s in m.by_volunteer[v]:
            by_type[m.problem.slots[s].shift_type].append(s)
        for t, ss in by_type.items():
            if t in caps and len(ss) > caps[t]:
                m.model.add(sum(m.x[(v, s)] for s in ss) <= caps[t])


def consecutive_working_days(m: RosterModel) -> None:
    """Runs of working days no longer than the maximum, and (away from the edges) not shorter
    than the minimum."""
    days = m.problem.days
    for v in m.by_volunteer:
        r = _rules(m, v)
        work = [m.works_on(v, d) for d in range(days)]
        hi = r.max_consecutive_days
        if hi is not None:
            for d in range(days - hi):
                window = [w for w in work[d : d + hi + 1] if w is not False]
                if len(window) > hi:
                    m.model.add(sum(window) <= hi)
        lo = r.min_consecutive_days
        if lo is not None and lo > 1:
            # Forbid "off, then 1..lo-1 working days, then off" wholly inside the horizon.
            for d in range(1, days):
                for length in range(1, lo):
                    if d + length > days - 1:
                        break
                    run = [negate(w) for w in work[d : d + length]]
                    add_clause(m.model, [work[d - 1], *run, work[d + length]])


def min_consecutive_days_off(m: RosterModel) -> None:
    """Runs of days off, away from the edges of the horizon, at least the minimum long."""
    days = m.problem.days
    for v in m.by_volunteer:
        lo = _rules(m, v).min_consecutive_days_off
        if lo is None or lo <= 1:
            continue
        work = [m.works_on(v, d) for d in range(days)]
        for d in range(1, days):
            for length in range(1, lo):
                if d + length > days - 1:
                    break
                add_clause(
                    m.model,
                    [negate(work[d - 1]), *work[d : d + length], negate(work[d + length])],
                )


def max_working_weekends(m: RosterModel) -> None:
    """At most the cap of weekends with a shift on Saturday or Sunday."""
    p = m.problem
    for v in m.by_volunteer:
        cap = _rules(m, v).max_working_weekends
        if cap is None:
            continue
        weekends: dict[int, list] = defaultdict(list)
        for d in range(p.days):
            w = weekend_of(d, first_weekday=p.first_weekday)
            lit = m.works_on(v, d)
            if w is not None and lit is not False:
                weekends[w].append(lit)
        if len(weekends) <= cap:
            continue
        flags = []
        for lits in weekends.values():
            if len(lits) == 1:
                flags.append(lits[0])
            else:
                f = m.model.new_bool_var("")
                m.model.add_max_equality(f, lits)
                flags.append(f)
        m.model.add(sum(flags) <= cap)


def days_off(m: RosterModel) -> None:
    """No shift on a volunteer's day off (candidates already exclude them; this asserts it)."""
    for v, s in m.x:
        assert m.problem.slots[s].day not in m.problem.volunteers[v].days_off


def pinned_assignments_stay(m: RosterModel) -> None:
    """Published, confirmed placements stay, with their kit's stock when one was fixed."""
    vi = {v.id: i for i, v in enumerate(m.problem.volunteers)}
    si = {s.id: i for i, s in enumerate(m.problem.slots)}
    ki = {k.id: i for i, k in enumerate(m.problem.stocks)}
    for p in m.problem.pinned:
        key = (vi.get(p.volunteer, -1), si.get(p.slot, -1))
        if key not in m.x:
            m.model.add_bool_or([])  # an ineligible pinned placement makes the rules unsatisfiable
            continue
        m.model.add(m.x[key] == 1)
        if p.stock is not None:
            lit = m.kit.get((*key, ki.get(p.stock, -1)))
            if lit is None:
                m.model.add_bool_or([])
            else:
                m.model.add(lit == 1)


ALL_RULES = (
    only_eligible_volunteers,
    no_protection_no_post,
    no_overlapping_shifts,
    minimum_rest,
    forbidden_successions,
    max_shifts_per_day,
    minutes_per_period,
    max_shifts_per_type,
    consecutive_working_days,
    min_consecutive_days_off,
    max_working_weekends,
    days_off,
    pinned_assignments_stay,
)
