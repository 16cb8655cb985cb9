"""Large-neighbourhood search over a RosterModel: free a few volunteers or a few days, keep the
rest of the incumbent roster fixed, and let CP-SAT re-solve the small problem that remains.

Rosters decompose by person and by day, so these structured neighbourhoods move further per
second than CP-SAT's generic ones, most of all when only two workers are available.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matching.model import RosterModel


@dataclass
class Incumbent:
    """A complete solution of the model: a value per variable, and its objective."""

    values: list[int]
    objective: float


@dataclass
class _Size:
    """Adaptive neighbourhood size: grows after quick optimal re-solves, shrinks after time-outs."""

    fraction: float
    low: float = 0.02
    high: float = 0.9

    def update(self, *, solved: bool) -> None:
        self.fraction = (
            min(self.high, self.fraction * 1.15) if solved else max(self.low, self.fraction / 1.3)
        )


def improve(
    m: RosterModel,
    start: Incumbent,
    *,
    deadline: float,
    workers: int,
    seed: int,
    on_improve: Callable[[Incumbent], None] | None = None,
    sub_time_s: float = 0.5,
) -> Incumbent:
    """Improve `start` until `deadline` (time.monotonic()) by re-solving neighbourhoods."""
    rng = random.Random(seed)
    p = m.problem
    # Placement variable indices per volunteer and per day.
    by_vol: dict[int, list[tuple[int, int]]] = {}
    for (v, s), x in m.x.items():
        by_vol.setdefault(v, []).append((x.index, p.slots[s].day))
    vols = sorted(by_vol)
    days = max(p.days, 1)
    work = m.model.clone()
    proto = work.proto
    # (The proto's repeated fields do not support negative indexing: copy to lists.)
    domains = [(d[0], d[-1]) for d in (list(v.domain) for v in proto.variables)]
    fixed: list[int] = []
    size_vol = _Size(min(0.5, max(3 / max(len(vols), 1), 0.15)))
    size_day = _Size(min(0.5, 7 / days))
    best = start
    kinds = ("volunteers", "days", "block")
    it = 0
    while time.monotonic() < deadline - 0.05 and vols:
        it += 1
        kind = kinds[it % len(kinds)]
        free: set[int] = set()
        if kind in ("volunteers", "block"):
            k = max(1, round(size_vol.fraction * len(vols) * (2 if kind == "block" else 1)))
            chosen = set(rng.sample(vols, min(k, len(vols))))
        else:
            chosen = set(vols)
        if kind in ("days", "block"):
            w = max(1, round(size_day.fraction * days * (2 if kind == "block" else 1)))
            d0 = rng.randrange(0, max(1, days - w + 1))
            window = range(d0, d0 + w)
        else:
            window = range(days)
        for v in chosen:
            for idx, day in by_vol[v]:
                if day in window:
                    free.add(idx)
        # Restore the domains fixed last time, then fix everything outside the neighbourhood.
        for idx in fixed:
            d = proto.variables[idx].domain
            d[0], d[1] = domains[idx]
        fixed = []
        for v in vols:
            for idx, _ in by_vol[v]:
                if idx not in free:
                    d = proto.variables[idx].domain
                    d[0] = d[1] = best.values[idx]
                    fixed.append(idx)
        proto.clear_solution_hint()
        proto.solution_hint.vars.extend(range(len(best.values)))
        proto.solution_hint.values.extend(best.values)
        solver = cp_model.CpSolver()
        left = deadline - time.monotonic()
        solver.parameters.max_time_in_seconds = max(0.05, min(sub_time_s, left))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = rng.randrange(1 << 30)
        status = solver.solve(work)
        solved = status == cp_model.OPTIMAL
        if kind == "days":
            size_day.update(solved=solved)
        else:
            size_vol.update(solved=solved)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            obj = solver.objective_value
            if obj <= best.objective - 1e-9 or (obj <= best.objective and rng.random() < 0.5):
                improved = obj < best.objective - 1e-9
                best = Incumbent(list(solver.response_proto.solution), obj)
                if improved and on_improve is not None:
                    on_improve(best)
    return best
