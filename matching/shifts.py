"""Ward rosters of at most one shift a day per person (the Curtois & Qu shape).

Every hard rule then binds one person alone and cover is soft, so any mix of personally valid
schedules is a valid roster. This module exploits that, with the model of a part
(`matching.ward`: each free person's own rules over only the days left free): from a first
roster built one person at a time (`matching.first_roster`), large-neighbourhood search frees a
few people's schedules, a block of days, scattered days, or only the shift types on the days
worked, and re-solves just that part; kinds are drawn by the gain per second each earned lately,
sizes adapt to success. On wards of up to 1,200 placement variables one lane runs CP-SAT on the
whole model instead, sharing the incumbent (there it proves optima); on larger wards one lane
first runs column generation (`matching.columns`), whose LP optimum then steers a further kind
of neighbourhood (the days where roster and LP disagree on working), whose bound is reported,
and whose schedules, once the LP is proven, narrow the whole ward: CP-SAT solves it with each
person allowed only the slots of the LP optimum's schedules and the incumbent's (a quarter of
the variables on benchmark 12; its optimum, 4,040, within 10-25 s of the LP's proof, where the
search alone ended at 4,048-4,280), and the schedules combine into a roster that replaces the
incumbent if better. When the search stalls, one lane turns aside: to the column generation
where it has not run, then to a new descent from a new first roster. Whole model and re-solves
use CP-SAT's linearization level 2: this model's LP relaxation is strong (within 3 % of the
optimum on many benchmark wards); at the default level CP-SAT's bound stays near zero and its
search is blind to it.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matching.checker import check_workload
from matching.columns import Columns, MasterError
from matching.first_roster import RESPONSE_SHARE, NoScheduleError, best_responses, first_roster
from matching.lp_bound import lp_bound
from matching.problem import (
    MINUTES_PER_DAY,
    Placement,
    Problem,
)
from matching.ward import Part, Ward, build_part


def fits(problem: Problem) -> bool:
    """True when every cost is per placement or per cover line and each person works at most
    one shift a day, each ending by the next midnight (so only these rules link shifts)."""
    w = problem.weights
    if problem.stocks or problem.pinned or (problem.previous and w.change):
        return False
    if w.fairness or not problem.slots or not problem.volunteers:
        return False
    if any(s.kit is not None or s.end > (s.day + 1) * MINUTES_PER_DAY for s in problem.slots):
        return False
    if any(s.day < 0 or s.day >= problem.days for s in problem.slots):
        return False
    for v in problem.volunteers:
        r = problem.rules_for(v)
        if r.max_shifts_per_day != 1 or r.min_rest_minutes > 0:
            return False
    return True


# Time limit of one neighbourhood's re-solve. (Two seconds above 6,000 placement variables
# once gained; since the columns' lane, one does better there: benchmark 12 over seeds 0-5 at
# 4,054-4,088, median 4,070.5, against 4,059-4,270, median 4,085.)
SUB_TIME_S = 1.0
SUB_LINEARIZATION = 2  # the LP steers and closes re-solves far better than level 1
SUB_WORKERS = 1  # small re-solves run faster on one worker than on two
# Starting gain rates: people, block, scattered, types, and (once the LP is known) relaxed.
KIND_SHARES = (0.45, 0.35, 0.2, 0.1, 0.45)
KIND_FLOOR = 0.1  # least weight of a kind against the best one
KIND_MEMORY = 0.2  # weight of the latest re-solve in each kind's rate
GROW, GROW_QUICK, SHRINK = 1.1, 1.3, 1.25  # neighbourhood size steps
QUICK_SHARE = 0.25  # a re-solve proven within this share of its time is quick


@dataclass
class _Size:
    """Size in free person-days: grows after proven re-solves (fast when they took a small
    share of their time), shrinks after time-outs."""

    cells: float
    low: float
    high: float

    def update(self, *, proven: bool, quick: bool = False) -> None:
        factor = (GROW_QUICK if quick else GROW) if proven else 1 / SHRINK
        self.cells = min(self.high, max(self.low, self.cells * factor))


def search(
    ward: Ward,
    assign: list[list[int]],
    *,
    deadline: float,
    workers: int,
    seed: int,
    on_improve: Callable[[int], None] | None = None,
    sub_time_s: float | None = None,
    whole_until: float | None = None,
    offset: int = 0,
    columns_until: float | None = None,
    columns_on_stall: bool = False,
) -> tuple[list[list[int]], float | None, float | None]:
    """Large-neighbourhood search until `deadline`: free whole schedules of a few people, a
    block of days for everyone, the same scattered days for some people, or everyone's shift
    types on their days worked, and re-solve that part. With two or more workers, that many
    searches share the incumbent. With `whole_until`, one lane instead runs CP-SAT on the
    whole model until then (the only lane on one worker), from the incumbent, taking every
    better roster it finds, and searches neighbourhoods once it gives up. With
    `columns_until` and two or more workers, one search lane first runs column generation
    until then (or until the LP is proven), publishing the LP's schedules for
    relaxation-induced neighbourhoods after each round, and then searches. With two or more
    workers, once no lane has found a better roster for a while, one lane at a time turns
    aside: to the column generation (once, with `columns_on_stall`), or to a new descent from
    a new first roster, whose better rosters replace the incumbent.

    Returns the roster, CP-SAT's proven bound on the whole model (plus `offset`) and the column
    generation's, each if any."""
    shared = _Shared(ward, assign, on_improve)
    shared.columns_on_stall = columns_on_stall and workers > 1
    shared.restarts = workers > 1
    lanes = max(1, workers) if SUB_WORKERS == 1 else 1
    sub = SUB_TIME_S if sub_time_s is None else sub_time_s
    threads = []
    if whole_until is not None:
        whole = threading.Thread(
            target=_whole_lane, args=(shared, min(whole_until, deadline), seed, offset), daemon=True
        )
        if lanes == 1:  # one worker: the whole model first, then the neighbourhoods
            whole.start()
            whole.join()
        else:
            # The whole model's thread searches neighbourhoods once it gives up.
            threads.append(
                threading.Thread(
                    target=_whole_then_lane,
                    args=(shared, min(whole_until, deadline), deadline, seed, offset, sub),
                    daemon=True,
                )
            )
            lanes -= 1
    if columns_until is not None and lanes >= 1 and workers > 1:
        shared.columns_until = min(columns_until, deadline)  # the first lane turns to it
    threads += [
        threading.Thread(
            target=_lane,
            args=(shared, deadline, seed + 7919 * i, sub, SUB_WORKERS or workers),
            daemon=True,
        )
        for i in range(lanes)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return shared.assign, shared.bound, shared.columns_bound


def _whole_then_lane(
    shared: _Shared, until: float, deadline: float, seed: int, offset: int, sub_time_s: float
) -> None:
    """The whole-model lane, then (once it gives up or its time is over) a search lane."""
    _whole_lane(shared, until, seed, offset)
    _lane(shared, deadline, seed + 104729, sub_time_s, SUB_WORKERS)


def _columns(shared: _Shared, until: float, seed: int) -> None:
    """Column generation from the incumbent's schedules until `until` or the LP is proven,
    publishing the LP's schedules and the bound after each round; once proven, the rounded LP,
    then the whole ward narrowed to the LP's support (until `until`), then a roster combined
    from the known schedules (for up to `COMBINE_S`), each replacing the incumbent if better."""
    with shared.lock:
        start = [list(row) for row in shared.assign]
    columns = Columns(shared.ward, start)
    while time.monotonic() < until and not shared.done.is_set():
        with shared.lock:
            rows = [list(row) for row in shared.assign]
        for e, row in enumerate(rows):  # the search's schedules keep the LP's value honest
            columns.add(e, row)
        try:
            going = columns.step(deadline=until)
            support = columns.support()
        except MasterError:
            break  # keep what the last solved master gave
        with shared.lock:
            shared.support = support
            shared.prove(columns=columns.bound)
        if not going:
            break
    if not columns.converged or shared.done.is_set():
        return

    def offer(assign: list[list[int]]) -> None:
        with shared.lock:
            shared.replace(assign)

    if (rounded := columns.rounded()) is not None:
        offer(rounded)
    _whole_lane(shared, until, seed, support=support)  # the converged LP's, published last
    with shared.lock:
        start = [list(row) for row in shared.assign]
    columns.combine(
        start,
        deadline=min(until, time.monotonic() + COMBINE_S),
        offer=offer,
        stop=shared.done.is_set,
    )


class _Shared:
    """The incumbent roster shared by the search lanes, changed only under the lock."""

    def __init__(
        self, ward: Ward, assign: list[list[int]], on_improve: Callable[[int], None] | None
    ) -> None:
        self.ward = ward
        self.assign = assign
        self.counts = ward.counts(assign)
        self.value = ward.objective(assign)
        self.version = [0] * ward.people  # bumped whenever a person's schedule changes
        self.lock = threading.Lock()
        self.on_improve = on_improve
        self.bound: float | None = None  # CP-SAT's proven bound on the whole ward, if any
        # Per person and day, what the schedules of the column LP's optimum do (slot or -1).
        self.support: list[list[set[int]]] | None = None
        self.columns_bound: float | None = None  # the column generation's proven bound
        self.columns_claimed = False  # some lane runs (or ran) the column generation
        self.columns_until: float | None = None  # a lane prices columns at once, until then
        self.columns_on_stall = False  # a search lane may run it once the search stalls
        self.restarts = False  # a search lane may descend anew once the search stalls
        self.aside = False  # some lane prices columns or descends anew
        self.improved_at = time.monotonic()  # when the incumbent last got better
        self.done = threading.Event()  # set once the incumbent is proven optimal

    def replace(self, assign: list[list[int]]) -> bool:
        """Take a whole roster if it is better than the incumbent."""
        value = self.ward.objective(assign)
        if value >= self.value:
            return False
        for e, (old, new) in enumerate(zip(self.assign, assign, strict=True)):
            if old != new:  # parts built on this person's old schedule are stale
                self.version[e] += 1
        self.assign = assign
        self.counts = self.ward.counts(assign)
        self.value = value
        self._improved()
        return True

    def commit(self, chosen: dict[tuple[int, int], int], stamp: dict[int, int]) -> bool:
        """Apply a re-solved part if its people are unchanged since it was built and the
        roster gets no worse (judged on the current cover, which other lanes may have moved)."""
        w = self.ward
        if any(self.version[e] != v for e, v in stamp.items()):
            return False
        moves = [(e, d, self.assign[e][d], new) for (e, d), new in chosen.items()]
        moves = [mv for mv in moves if mv[2] != mv[3]]
        if not moves:
            return False
        delta = 0
        touched: dict[int, int] = defaultdict(int)
        for e, _, old, new in moves:
            c = w.cost[e]
            if old >= 0:
                delta -= c.get(old, 0)
                touched[old] -= 1
            if new >= 0:
                delta += c.get(new, 0)
                touched[new] += 1
        for si, dn in touched.items():
            n = self.counts[si]
            if n + dn > w.cap[si]:
                return False
            delta += w.cover_cost(si, n + dn) - w.cover_cost(si, n)
        if delta > 0:
            return False
        for e, d, _, new in moves:
            self.assign[e][d] = new
        for e in {mv[0] for mv in moves}:
            self.version[e] += 1
        for si, dn in touched.items():
            self.counts[si] += dn
        if delta < 0:
            self.value += delta
            self._improved()
        return delta < 0

    def prove(self, *, whole: float | None = None, columns: float | None = None) -> None:
        """Take a proven bound (the whole model's, the column generation's) if better; done
        once the roster meets one, whichever lane found the roster."""
        if whole is not None and (self.bound is None or whole > self.bound):
            self.bound = whole
        if columns is not None and (self.columns_bound is None or columns > self.columns_bound):
            self.columns_bound = columns
        self._improved(report=False)

    def _improved(self, *, report: bool = True) -> None:
        if report:
            self.improved_at = time.monotonic()
            if self.on_improve is not None:
                self.on_improve(self.value)
        # Costs are integers: a roster at a bound rounded up is optimal.
        for bound in (self.bound, self.columns_bound):
            if bound is not None and self.value <= math.ceil(bound - 1e-6):
                self.done.set()


def _lane(
    shared: _Shared,
    deadline: float,
    seed: int,
    sub_time_s: float,
    workers: int,
    *,
    stall_s: float | None = None,
) -> None:
    """One search lane: pick a neighbourhood, re-solve it, offer the result to the incumbent.
    With `stall_s`, it ends once the incumbent has not improved for that long (a restart's
    descent); otherwise it may run the column generation or a restart when the search stalls."""
    ward = shared.ward
    rng = random.Random(seed)
    n_people, days = ward.people, ward.days
    total = n_people * days
    start = min(total, max(3 * days, 2 * n_people, 40))
    sizes = [_Size(cells=start, low=min(total, 8), high=total) for _ in KIND_SHARES]
    sizes[TYPES].cells = total  # fixed days leave an easy model: start with everyone
    chooser = _KindChooser(rng)
    setup = 0.0  # longest recent time spent building and loading a part, outside its search
    while time.monotonic() < deadline - 0.05 - 2 * setup and not shared.done.is_set():
        began = time.monotonic()
        if stall_s is not None:
            if began - shared.improved_at >= stall_s:
                return
        elif turn := _turn_aside(shared, began, deadline):
            if turn == "columns":
                until = shared.columns_until
                if until is None:  # turned aside on a stall: a share of the time left
                    until = began + COLUMNS_SHARE * (deadline - began)
                _columns(shared, until, seed)
            else:
                _restart(shared, deadline, rng.randrange(1 << 30), sub_time_s)
            with shared.lock:
                shared.aside = False
            continue
        kind = chooser.pick(len(KIND_SHARES) if shared.support is not None else RELAXED)
        size = sizes[kind]
        with shared.lock:
            assign, counts = shared.assign, shared.counts
            free, pattern = _neighbourhood(
                ward, assign, counts, kind, int(size.cells), rng, shared.support
            )
            part = build_part(ward, assign, free, counts, pattern=pattern)
            stamp = {e: shared.version[e] for e in free}
        for v, val in part.hint:
            part.model.add_hint(v, val)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(
            0.01, min(sub_time_s, deadline - time.monotonic())
        )
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = rng.randrange(1 << 30)
        solver.parameters.linearization_level = SUB_LINEARIZATION
        status = solver.solve(part.model)
        size.update(
            proven=status == cp_model.OPTIMAL,
            quick=solver.wall_time < QUICK_SHARE * sub_time_s,
        )
        gain = 0
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = {
                key: next((si for si, v in opts if solver.boolean_value(v)), -1)
                for key, opts in part.x.items()
            }
            with shared.lock:
                before = shared.value
                shared.commit(chosen, stamp)
                gain = before - shared.value
        chooser.record(kind, gain, solver.wall_time)
        outside = time.monotonic() - began - min(solver.wall_time, sub_time_s)
        setup = max(outside, 0.9 * setup)


PEOPLE, BLOCK, SCATTERED, TYPES, RELAXED = range(5)
# No lane's roster better for this long: the search has stalled; one lane turns aside to
# price columns (once), then, stalled longer, to descend anew from a new first roster.
STALL_S, RESTART_STALL_S = 5.0, 8.0
RESTART_MIN_S = 10.0  # a restart needs at least this much time left to descend
RESTART_FIRST_S, RESTART_RESPONSES_S = 1.0, 2.0  # its first roster, its best responses


def _turn_aside(shared: _Shared, now: float, deadline: float) -> str | None:
    """What this lane should do instead of searching the incumbent: "columns" (at once where
    asked for, else once the search has stalled, where allowed; once), "restart" once it has
    stalled longer, or None. One lane at a time turns aside, so the others keep searching the
    incumbent (with two lanes aside at once, a benchmark 8 roster stayed at 1,454 for the
    last 30 s)."""
    with shared.lock:
        if shared.aside:
            return None
        if shared.columns_until is not None and not shared.columns_claimed:
            shared.columns_claimed = shared.aside = True
            return "columns"
        stalled = now - shared.improved_at
        if stalled < STALL_S:
            return None
        if shared.columns_on_stall and not shared.columns_claimed:
            shared.columns_claimed = shared.aside = True
            return "columns"
        if shared.restarts and stalled >= RESTART_STALL_S and deadline - now >= RESTART_MIN_S:
            shared.aside = True
            return "restart"
        return None


def _restart(shared: _Shared, deadline: float, seed: int, sub_time_s: float) -> None:
    """A new first roster and its own search until that stalls; every roster it finds
    better than the incumbent replaces it. Searches that settle in a poor local optimum
    stay there (benchmark 5: half the 20-s runs end near 1,235, the others near 1,150)."""
    ward = shared.ward

    def offer(value: int) -> None:
        # (Called under the descent's lock; the incumbent's lock is always taken second.)
        if value < shared.value:
            with shared.lock:
                shared.replace([row[:] for row in descent.assign])

    try:
        assign = first_roster(
            ward,
            deadline=time.monotonic() + RESTART_FIRST_S,
            give_up=deadline,
            workers=1,
            seed=seed,
        )
    except NoScheduleError:
        return  # the search goes on from the incumbent
    best_responses(ward, assign, deadline=time.monotonic() + RESTART_RESPONSES_S, seed=seed)
    descent = _Shared(ward, assign, offer)
    descent.done = shared.done
    descent.support = shared.support
    offer(descent.value)
    _lane(descent, deadline, seed, sub_time_s, SUB_WORKERS, stall_s=RESTART_STALL_S)


def _neighbourhood(
    ward: Ward,
    assign: list[list[int]],
    counts: list[int],
    kind: int,
    cells: int,
    rng: random.Random,
    support: list[list[set[int]]] | None = None,
) -> tuple[dict[int, set[int]], dict[int, list[int]] | None]:
    """The free (person -> days) of one neighbourhood of about `cells` person-days, and for
    `TYPES` the days worked each free person keeps (only shift types change)."""
    n_people, days = ward.people, ward.days
    if kind == RELAXED and support is not None:
        return _disagreements(assign, support, cells, rng), None
    if kind == PEOPLE:
        # A few people over the whole horizon, or over six weeks of a long one.
        span = min(days, 42)
        k = max(1, min(n_people, cells // span))
        d0 = rng.randrange(0, days - span + 1)
        people = _related(ward, assign, counts, k, rng)
        return {e: set(range(d0, d0 + span)) for e in people}, None
    if kind == BLOCK:
        # A block of days for everyone (or for as many people as the size allows).
        span = min(days, max(2, cells // n_people))  # a one-day ward has one-day blocks
        k = max(1, min(n_people, cells // span))
        d0 = _block_start(ward, counts, span, rng)
        return {e: set(range(d0, d0 + span)) for e in rng.sample(range(n_people), k)}, None
    if kind == SCATTERED:
        # The same random days for a set of people.
        k = min(n_people, max(2, int(cells**0.5)))
        nd = min(days, max(2, cells // k))
        chosen_days = set(rng.sample(range(days), nd))
        people = _related(ward, assign, counts, k, rng)
        si = _costly_line(ward, counts, rng)
        if si is not None and ward.day_of[si] not in chosen_days:
            chosen_days.pop()
            chosen_days.add(ward.day_of[si])  # a day where the cover costs, among them
        return {e: chosen_days for e in people}, None
    # Everyone keeps their days worked over a block; only shift types move between them.
    span = min(days, max(2, cells // n_people))  # a one-day ward has one-day blocks
    d0 = rng.randrange(0, days - span + 1)
    block = set(range(d0, d0 + span))
    pattern = {e: [int(si >= 0) for si in assign[e]] for e in range(n_people)}
    return {e: block for e in range(n_people)}, pattern


def _disagreements(
    assign: list[list[int]], support: list[list[set[int]]], cells: int, rng: random.Random
) -> dict[int, set[int]]:
    """The days where a person works in the roster but is off in some schedule of the LP's
    optimum, or the other way round (relaxation-induced search): where the two agree the
    optimum most likely agrees too. Whole people at random, up to about `cells` days."""
    differ = {}
    for e, row in enumerate(assign):
        mine = {d for d, si in enumerate(row) if {s >= 0 for s in support[e][d]} != {si >= 0}}
        if mine:
            differ[e] = mine
    people = list(differ)
    rng.shuffle(people)
    free: dict[int, set[int]] = {}
    n = 0
    for e in people:
        if free and n + len(differ[e]) > cells:
            break
        free[e] = differ[e]
        n += len(differ[e])
    return free


class _KindChooser:
    """Picks neighbourhood kinds in proportion to the gain per second each has earned lately,
    each keeping a floor share so that a kind useful later is still tried."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rate = [float(s) for s in KIND_SHARES]  # gain per second, smoothed
        self.floor = KIND_FLOOR
        self.open = 0  # kinds offered so far

    def pick(self, kinds: int) -> int:
        """One of the first `kinds` kinds. A kind offered late starts at the best rate so
        far: its starting rate is mid-descent far below the others' and would keep it at the
        floor (the relaxed kind, once the LP is known)."""
        if self.open and kinds > self.open:
            best = max(self.rate[: self.open])
            for k in range(self.open, kinds):
                self.rate[k] = max(self.rate[k], best)
        self.open = max(self.open, kinds)
        rates = self.rate[:kinds]
        top = max(rates) or 1.0
        weights = [max(self.floor, r / top) for r in rates]
        return self.rng.choices(range(kinds), weights)[0]

    def record(self, kind: int, gain: int, seconds: float) -> None:
        rate = gain / max(seconds, 0.02)
        self.rate[kind] += KIND_MEMORY * (rate - self.rate[kind])


WHOLE_CHUNK_S = 15.0  # the whole-model lane restarts no sooner than this (growing)
WHOLE_MARGIN_S = 1.0  # the whole-model solve stops this much before its time is up


class _Collect(cp_model.CpSolverSolutionCallback):
    """Offers every solution of the whole model to the shared incumbent."""

    def __init__(self, shared: _Shared, part: Part) -> None:
        super().__init__()
        self._shared = shared
        self._part = part
        self.best = shared.value  # the best roster this solve knows (its hint at first)

    def on_solution_callback(self) -> None:
        ward = self._shared.ward
        assign = [[-1] * ward.days for _ in range(ward.people)]
        for (e, d), opts in self._part.x.items():
            assign[e][d] = next((si for si, v in opts if self.boolean_value(v)), -1)
        self.best = min(self.best, ward.objective(assign))
        with self._shared.lock:
            self._shared.replace(assign)


def _whole_lane(
    shared: _Shared,
    until: float,
    seed: int,
    offset: int = 0,
    *,
    support: list[list[set[int]]] | None = None,
) -> None:
    """CP-SAT on the whole model with its strongest linear relaxation (linearization level
    2): the LP steers the search to good rosters and proves a bound. Once a chunk has run
    and another lane holds a better roster than this solve knows, it restarts from that.

    With `support` (per person and day, the slots of the column LP's optimal schedules), the
    model allows each person only those and the incumbent's own: a relaxation-induced
    neighbourhood of the whole ward. Its bound proves nothing then, and the lane ends once
    that model is solved with no better roster found elsewhere meanwhile."""
    ward = shared.ward
    every = {e: set(range(ward.days)) for e in range(ward.people)}
    chunk = WHOLE_CHUNK_S
    attempt = 0
    while not shared.done.is_set():
        left = until - time.monotonic()
        if left < 0.5:
            return
        with shared.lock:
            assign = [row[:] for row in shared.assign]
            counts = list(shared.counts)
        model_of = ward if support is None else ward.narrowed(support, assign)
        part = build_part(model_of, assign, every, counts)
        for v, val in part.hint:
            part.model.add_hint(v, val)
        solver = cp_model.CpSolver()
        # (Level 2 overruns its limit by the LP it is solving: stop a little early.)
        solver.parameters.max_time_in_seconds = left - WHOLE_MARGIN_S
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = seed + attempt
        collect = _Collect(shared, part)
        started = time.monotonic()
        solving = threading.Event()
        solving.set()

        def watch(
            solver=solver, collect=collect, started=started, solving=solving, chunk=chunk
        ) -> None:
            while solving.is_set():
                if shared.done.wait(0.5):  # another lane proved the roster optimal
                    solver.stop_search()
                    return
                # A restart costs the root LP and its cuts: only after a chunk, only to gain.
                if time.monotonic() - started >= chunk and shared.value < collect.best:
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        status = solver.solve(part.model, collect)
        solving.clear()
        watcher.join()
        if support is not None:
            if status != cp_model.FEASIBLE and shared.value >= collect.best:
                return  # solved (or hopeless), and no other lane knows better
        elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = solver.best_objective_bound + offset
            with shared.lock:
                shared.prove(whole=bound)  # (at OPTIMAL the bound is the roster shared)
        elif status == cp_model.INFEASIBLE:
            return  # cannot happen with a valid incumbent as hint; leave it to the search
        attempt += 1
        chunk *= 1.5


def _related(
    ward: Ward, assign: list[list[int]], counts: list[int], k: int, rng: random.Random
) -> list[int]:
    """k people, half of them drawn among those who could mend a costly cover line."""
    n_people = ward.people
    if k >= n_people:
        return list(range(n_people))
    chosen: set[int] = set()
    si = _costly_line(ward, counts, rng) if rng.random() < 0.7 else None
    if si is not None:
        d = ward.day_of[si]
        pool = [e for e in range(n_people) if si in ward.allowed[e][d]]
        rng.shuffle(pool)
        chosen.update(pool[: max(1, k // 2)])
    while len(chosen) < k:
        chosen.add(rng.randrange(n_people))
    return list(chosen)


def _block_start(ward: Ward, counts: list[int], span: int, rng: random.Random) -> int:
    """First day of a block of `span` days, most often around a costly cover line."""
    latest = ward.days - span
    si = _costly_line(ward, counts, rng) if rng.random() < 0.5 else None
    if si is None:
        return rng.randrange(0, latest + 1)
    return min(latest, max(0, ward.day_of[si] - rng.randrange(span)))


def _costly_line(ward: Ward, counts: list[int], rng: random.Random) -> int | None:
    """A random slot whose cover costs something, None if none does."""
    bad = [si for si, n in enumerate(counts) if n != ward.head[si] and ward.cover_cost(si, n)]
    return rng.choice(bad) if bad else None


@dataclass
class WardResult:
    """The best roster found, whether it is proven optimal, and a proven lower bound if any."""

    placements: list[Placement]
    objective: int
    optimal: bool
    bound: float | None
    bound_source: str


# Wards up to this many placement variables get a whole-model CP-SAT lane (the first
# share of the time on one worker, all of it beside the search on more), where it proves
# optima within the minute (benchmark 1-6, up to 1,040 variables). On 7 (1,248) it proved
# nothing and the columns' lane in its place did better (7 Dec, seeds 0-7: 1056-1060, median
# 1058.5, against 1058-1069, median 1063.5); above 2,000 it found no better roster in a minute
# (benchmark 8, 10, 11, beside the search or the columns).
WHOLE = 1_200
WHOLE_SHARE_ONE_WORKER = 0.5
# Wards up to this size also get the LP relaxation's bound, within this time.
LP_SIZE = 6_000
# Above this many placement variables (beyond the whole-model lane's reach), on horizons up to
# a quarter, one lane runs column generation from the start, in place of a search lane, for up
# to this share of the time; on smaller wards a lane prices columns only once the search
# stalls. From the start the LP's schedules steer the search early and the bound comes in
# every run: benchmark 8 (2,158 variables) over seeds 0-11 at 1317-1530, median 1331, against
# 1320-1632, median 1386.5, when the columns waited for a stall; 9 (2,912) at 439-445, median
# 441, against 440-452, median 444 (the same day). Above 3,000 the columns gave 10, 11 and 12
# better rosters and proofs.
# Longer horizons price so slowly that a minute holds a few rounds far from the LP optimum,
# and the lane is worth more to the search (benchmark 20: 182 days).
COLUMNS_MIN_SIZE = WHOLE
COLUMNS_SHARE = 0.8
COLUMNS_MAX_DAYS = 91
COMBINE_S = 2.0  # the most a roster combined from the columns' schedules may take
LP_TIME_S = 5.0
FINAL_CHECK_S, CHECK_S = 0.2, 2e-6  # reserve for the final check: fixed, per variable


def solve_ward(
    problem: Problem,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    on_improve: Callable[[int, float | None], None] | None = None,
    start: list[Placement] | None = None,
) -> WardResult:
    """A person-by-person first roster, then large-neighbourhood search until the time limit,
    beside whole-model CP-SAT on wards up to `WHOLE` placement variables and column
    generation above `COLUMNS_MIN_SIZE` (on horizons up to `COLUMNS_MAX_DAYS`)."""
    t0 = time.monotonic()
    ward = Ward.of(problem)
    size = ward.size
    # Leave time for the caller's final check of the roster (about half a second per
    # million placement variables, measured), with a margin.
    deadline = t0 + time_limit_s - min(0.05 * time_limit_s, FINAL_CHECK_S + size * CHECK_S)
    n_people, days = ward.people, ward.days
    touched = {si for rows in ward.allowed for row in rows for si in row}
    offset = ward.constant + sum(
        ward.cover_cost(si, 0) for si in range(len(ward.head)) if si not in touched
    )
    assign = _from_placements(ward, start) if start else None
    if assign is None:
        assign = first_roster(
            ward, deadline=t0 + 0.5 * time_limit_s, give_up=deadline, workers=workers, seed=seed
        )
        left = deadline - time.monotonic()
        best_responses(ward, assign, deadline=time.monotonic() + RESPONSE_SHARE * left, seed=seed)
    bound: float | None = None

    def report(value: int) -> None:
        if on_improve is not None:
            on_improve(value, bound)

    report(ward.objective(assign))
    source = "CP-SAT"
    if size <= LP_SIZE:
        every = {e: set(range(days)) for e in range(n_people)}
        empty = [[-1] * days for _ in range(n_people)]
        relaxed = lp_bound(
            build_part(ward, empty, every, ward.counts(empty)).model,
            time_limit_s=min(LP_TIME_S, 0.1 * time_limit_s),
        )
        if relaxed is not None:
            bound, source = math.ceil(relaxed + offset - 1e-6), "LP relaxation"
    whole_until = columns_until = None
    left = deadline - time.monotonic()
    if size <= WHOLE:
        whole_until = deadline if workers > 1 else time.monotonic() + WHOLE_SHARE_ONE_WORKER * left
    if size > COLUMNS_MIN_SIZE and days <= COLUMNS_MAX_DAYS:
        columns_until = time.monotonic() + COLUMNS_SHARE * left
    assign, proven, priced = search(
        ward,
        assign,
        deadline=deadline,
        workers=workers,
        seed=seed,
        on_improve=report,
        whole_until=whole_until,
        columns_until=columns_until,
        columns_on_stall=days <= COLUMNS_MAX_DAYS,
        offset=offset,
    )
    if proven is not None and (bound is None or proven > bound):
        bound, source = math.ceil(proven - 1e-6), "CP-SAT whole model"
    # (A bound below zero, from rounds far from the LP's optimum, says nothing: costs are >= 0.)
    if priced is not None and priced > 0 and (bound is None or priced > bound):
        bound, source = math.ceil(priced - 1e-6), "column generation"
    value = ward.objective(assign)
    optimal = bound is not None and value <= bound + 1e-6
    return WardResult(ward.placements(assign), value, optimal, bound, source)


def _from_placements(ward: Ward, placements: list[Placement]) -> list[list[int]] | None:
    """A start roster from placements, None unless it takes only allowed slots once a day."""
    p = ward.problem
    vi = {v.id: i for i, v in enumerate(p.volunteers)}
    si_of = {s.id: i for i, s in enumerate(p.slots)}
    assign = [[-1] * ward.days for _ in range(ward.people)]
    for a in placements:
        e, si = vi.get(a.volunteer), si_of.get(a.slot)
        if e is None or si is None:
            return None
        d = ward.day_of[si]
        if assign[e][d] >= 0 or si not in ward.allowed[e][d]:
            return None
        assign[e][d] = si
    mine: dict[str, list] = defaultdict(list)
    for a in placements:
        mine[a.volunteer].append(p.slots[si_of[a.slot]])
    for v in p.volunteers:
        if check_workload(p, volunteer=v, shifts=mine.get(v.id, [])):
            return None  # the search keeps every person valid, so it must start valid
    return assign
