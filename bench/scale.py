"""Solve synthetic township / county / city scenarios and print coverage, quality and cost.

    python bench/scale.py [--shapes township,county] [--time-limit 60] [--seeds 1,2,3]

For each shape and seed: heads, covered, unfilled; the heads a flow relaxation (with stocks
priced in) could cover, and the share of those covered; travel + fairness against the
relaxation's; objective, bound and gap; wall time and peak memory; the checker's verdict.
The last line per shape gives medians over seeds. Each run is a separate process, so the peak
memory figure is that run's own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe, peak_rss_mib
from scenario import SHAPES, scenario

from matching.bound import flow_bound
from matching.checker import check
from matching.prune import nearest_eligible
from matching.solve import solve


def run_one(shape: str, seed: int, time_limit: float, workers: int) -> dict[str, float]:
    """Generate, solve and measure one scenario (in this process)."""
    p = scenario(SHAPES[shape], seed=seed)
    heads = sum(s.headcount for s in p.slots)
    t0 = time.monotonic()
    r = solve(p, time_limit_s=time_limit, workers=workers, seed=seed)
    wall = time.monotonic() - t0
    rss = peak_rss_mib()
    violations = check(p, r)
    assert r.stats is not None
    unfilled = sum(u.missing for u in r.unfilled)
    # Outside the timed solve: how many heads a relaxation with stock prices could cover.
    near = nearest_eligible(p, reach=len(p.volunteers) if len(p.volunteers) <= 2000 else 60)
    cover = flow_bound(p, near, deadline=time.monotonic() + 60, cover_only=True)
    full = flow_bound(p, near, deadline=time.monotonic() + 60)
    service = r.stats.terms["travel"] + r.stats.terms["fairness"]
    return {
        "heads": heads,
        "covered": heads - unfilled,
        "unfilled": unfilled,
        "coverable": cover.coverable_heads,
        "covered_pct": 100.0 * (heads - unfilled) / max(1, cover.coverable_heads),
        "service": service,
        "service_bound": full.service,
        "service_gap_pct": 100.0 * (service - full.service) / max(1.0, full.service),
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
    args = ap.parse_args()
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
        "service_bound",
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
