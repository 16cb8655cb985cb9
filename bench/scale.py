"""Solve the scenario generator's township / county / city weeks; print coverage, quality, cost.

    python bench/scale.py [--shapes township,county,city] [--time-limit 60] [--seeds 1,2,3]

Each scenario is the generator's rows (`db.scenarios.build.build_rows`, no database) turned into
the optimizer's problem by `resolvers.problem.problem_from_rows`, 7 days from Monday 23 Nov 2026.
For each shape and seed: heads, covered; `coverable`, an upper bound on the heads any roster can
cover (a min-cost-flow relaxation with every stock and every rest clique priced in by Lagrange
multipliers), and the share of those covered; travel + fairness against `service_lb`, a lower bound
on the travel + fairness of any roster covering as many heads as this one and drawing no more kits
from the city reserve, which the objective spares first: the better of `flow_lb` (the flow
relaxation with the cover fixed, stocks, rest cliques and the reserve cap priced) and `week_lb`
(`matching.week_bound`: each volunteer's whole week, rest between days kept, under prices on heads
and kits, from the flow's duals by column generation up to `COLUMNS_UP_TO` volunteers, beyond by
L-BFGS on a smoothed form of the bound, for up to `ASCENT_S` seconds); objective, the solver's own
bound and gap; solve wall time and peak memory of the process; the checker's verdict on the whole
problem. The last line per shape gives medians over seeds. Each run is a separate process, so its
peak memory is its own; the bounds are computed after the timed solve, over each slot's
`bound_reach` nearest eligible volunteers, the week bound over `week_reach` (everyone farther away
stands in one cheap arc, so longer lists bound tighter).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe, peak_rss_mib

from db.scenarios.build import build_rows
from db.scenarios.shapes import shape_named
from matching.checker import check
from matching.flow import Network, lagrangian
from matching.problem import Problem
from matching.prune import Nearest, nearest_eligible
from matching.solve import solve
from matching.week_bound import week_bound
from resolvers.problem import problem_from_rows

START = date(2026, 11, 23)


CACHE = Path(tempfile.gettempdir()) / "muster-scale"
# Column generation for the week bound up to this many volunteers: at county size (10,000) the
# master LP did not solve within 60 s (GLOP, HiGHS; with HiGHS's interior point each round took
# 9-155 s and the master stayed at the roster's value), so there the prices climb instead.
COLUMNS_UP_TO = 2_000
# Seconds the prices climb where there are no columns (county seed 3 over 1,200-deep lists:
# 1,176,241 after 300 s from the flow's duals; 1,175,024 after 120 s from prices already near
# the 300-deep optimum).
ASCENT_S = 300


def scenario(shape: str, seed: int) -> Problem:
    """The generator's scenario of `shape` as the optimizer's problem, for its whole week."""
    sh = shape_named(name=shape)
    rows = build_rows(shape=sh, seed=seed, start=START)
    return problem_from_rows(rows, start=START, days=sh.days)


def cached(shape: str, seed: int) -> Path:
    """The pickled problem, generated in a child process (so its memory is not the solve's)."""
    path = CACHE / f"{shape}-{seed}.pickle"
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--make", f"{shape}:{seed}"], check=True)
    return path


def week_reach(volunteers: int) -> int:
    """Lists for the week bound: 1,200 at county size (seed 3, 120 s of ascent from the same
    prices: 1,161,376 over 600, 1,175,024 over 1,200, 1,170,927 over 3,000, whose evaluations
    take twice as long; 300 s over 300 gave 1,080,194), elsewhere as `bound_reach`."""
    return 1200 if 2000 < volunteers <= 20_000 else bound_reach(volunteers)


def bound_reach(volunteers: int) -> int:
    """Lists for the bounds: everyone up to township size, 300 at county size, 60 beyond
    (a city network over 300 would take minutes a flow)."""
    if volunteers <= 2000:
        return volunteers
    return 300 if volunteers <= 20_000 else 60


def run_one(shape: str, seed: int, time_limit: float, workers: int) -> dict[str, float]:
    """Load, solve and measure one scenario (in this process)."""
    p = pickle.loads(cached(shape, seed).read_bytes())
    heads = sum(s.headcount for s in p.slots)
    t0 = time.monotonic()
    r = solve(p, time_limit_s=time_limit, workers=workers, seed=seed)
    wall = time.monotonic() - t0
    rss = peak_rss_mib()
    violations = check(p, r)
    assert r.stats is not None
    unfilled = sum(u.missing for u in r.unfilled)
    covered = heads - unfilled
    # Outside the timed solve: relaxations with every stock priced in (Lagrange multipliers).
    near = nearest_eligible(p, reach=bound_reach(len(p.volunteers)))
    until = time.monotonic() + 120
    cover = Network(p, near, mode="cover")
    open_lb = lagrangian(cover, deadline=until, max_iterations=30, target=unfilled).value
    coverable = heads - math.ceil(open_lb - 1e-6)
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    # Two bounds for rosters covering as many heads and drawing no more reserve kits: the flow
    # with stocks, rest cliques and the reserve cap priced; and the weeks (rest kept, kits priced).
    reserve = {k.id for k in p.stocks if k.is_city_reserve}
    drawn = sum(a.stock in reserve for a in r.assignments)
    until = time.monotonic() + 120
    priced = Network(p, near, mode="service", covered=covered, reserve_kits=drawn)
    flow = lagrangian(priced, deadline=until, max_iterations=30, target=service)
    flow_lb = flow.value

    # The weeks over deeper lists (everyone beyond a list stands in one cheap arc, which bounds
    # weakly where many heads compete for the nearest), priced from the flow over `near`.
    def weeks_over(lists: list[Nearest]) -> Network:
        return Network(
            p, lists, mode="service", covered=covered, reserve_kits=drawn, rest_cliques=False
        )

    short = weeks_over(near)
    reach = week_reach(len(p.volunteers))
    deep = reach != bound_reach(len(p.volunteers))
    net = weeks_over(nearest_eligible(p, reach=reach)) if deep else short
    index = {v.id: i for i, v in enumerate(p.volunteers)}
    slot = {s.id: i for i, s in enumerate(p.slots)}
    weeks = [
        (index[v], tuple(slot[a.slot] for a in placed)) for v, placed in r.by_volunteer().items()
    ]
    columns = len(p.volunteers) <= COLUMNS_UP_TO
    kits = (flow.stock_prices.astype(float), float(flow.reserve_price))
    bound = week_bound(
        net,
        deadline=time.monotonic() + (120 if columns else ASCENT_S),
        columns=columns,
        weeks=weeks,
        kit_prices=kits,
        target=service,
        start_net=short,
    )
    service_lb = max(flow_lb, bound.value)
    return {
        "heads": heads,
        "covered": covered,
        "unfilled": unfilled,
        "coverable": coverable,
        "covered_pct": 100.0 * covered / max(1, coverable),
        "service": service,
        "flow_lb": flow_lb,
        "week_lb": bound.value,
        "service_lb": service_lb,
        "service_gap_pct": 100.0 * (service - service_lb) / max(1.0, service_lb),
        "objective": r.stats.objective,
        "bound": r.stats.bound or 0.0,
        "gap_pct": 100.0 * (r.stats.gap or 0.0),
        "time_s": wall,
        "peak_mib": rss,
        "violations": len(violations),
    }


def main() -> None:
    """Run every shape and seed, one process each, and print a table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shapes", default="township,county")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--one", help=argparse.SUPPRESS)  # shape:seed, run in a child process
    ap.add_argument("--make", help=argparse.SUPPRESS)  # shape:seed, generate in a child process
    args = ap.parse_args()
    if args.make:
        shape, seed = args.make.split(":")
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = CACHE / f"{shape}-{seed}.tmp"
        tmp.write_bytes(pickle.dumps(scenario(shape, int(seed))))
        tmp.replace(CACHE / f"{shape}-{seed}.pickle")
        return
    if args.one:
        shape, seed = args.one.split(":")
        print(json.dumps(run_one(shape, int(seed), args.time_limit, args.workers)))
        return
    print(describe())
    print(f"time limit {args.time_limit:g} s, {args.workers} workers")
    cols = (
        "heads",
        "covered",
        "coverable",
        "covered_pct",
        "service",
        "flow_lb",
        "week_lb",
        "service_lb",
        "service_gap_pct",
        "objective",
        "bound",
        "gap_pct",
        "time_s",
        "peak_mib",
        "violations",
    )
    print(f"{'shape':>9} {'seed':>4} " + " ".join(f"{c:>15}" for c in cols))
    for shape in args.shapes.split(","):
        rows = []
        for seed in [int(s) for s in args.seeds.split(",")]:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    f"{shape}:{seed}",
                    "--time-limit",
                    str(args.time_limit),
                    "--workers",
                    str(args.workers),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{shape:>9} {seed:>4} failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(f"{shape:>9} {seed:>4} " + " ".join(f"{row[c]:>15.1f}" for c in cols), flush=True)
        if len(rows) > 1:
            med = {c: statistics.median(r[c] for r in rows) for c in cols}
            print(f"{shape:>9} {'med':>4} " + " ".join(f"{med[c]:>15.1f}" for c in cols))


if __name__ == "__main__":
    main()
