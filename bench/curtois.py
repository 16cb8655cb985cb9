"""Solve Curtois & Qu instances, check each roster, and compare with the best known values.

    python bench/curtois.py --instances ../shared/benchmarks/curtois_qu_nrp/instances \\
        --time-limit 60 [--out DIR] [--only 1-12] [--workers 2] [--seed 0]

Best known values are read from the result tables beside the instance folder.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe

from matching.checker import check
from matching.curtois import read_instance, roster_rows
from matching.roster import NoRosterError
from matching.solve import solve

STRONG_BOUNDS = ("LP relaxation", "CP-SAT whole model", "column generation")


def _numbers(row: dict[str, str], columns: list[str]) -> list[float]:
    out = []
    for c in columns:
        try:
            out.append(float(row.get(c) or ""))
        except ValueError:
            continue
    return out


def best_known(bench_dir: Path) -> dict[int, tuple[float | None, float | None]]:
    """Per instance: (best solution in the tables, best lower bound of Table 2)."""
    out: dict[int, tuple[float | None, float | None]] = {}
    sols: dict[int, list[float]] = {}
    lbs: dict[int, list[float]] = {}
    for name in (
        "results_curtois_qu_2014_table2.csv",
        "results_later_literature_ORProjects_NRP.csv",
    ):
        f = bench_dir / name
        if not f.exists():
            continue
        lines = [ln for ln in f.read_text().splitlines() if ln and not ln.startswith("#")]
        for row in csv.DictReader(lines):
            i = int(row["instance"])
            cols = [c for c in row if c not in ("instance", "weeks", "staff", "shift_types")]
            sol_cols = [c for c in cols if "LB" not in c and "time" not in c]
            sols.setdefault(i, []).extend(_numbers(row, sol_cols))
            lbs.setdefault(i, []).extend(_numbers(row, [c for c in cols if c.endswith("_LB")]))
    for i in set(sols) | set(lbs):
        out[i] = (
            min(sols.get(i) or [None]) if sols.get(i) else None,
            max(lbs[i]) if lbs.get(i) else None,
        )
    return out


def _selection(spec: str | None, available: list[int]) -> list[int]:
    if not spec:
        return available
    chosen: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        chosen.update(range(int(lo), int(hi or lo) + 1))
    return [i for i in available if i in chosen]


def main() -> None:
    """Run the benchmark and print one line per instance."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--instances", type=Path, required=True, help="folder of InstanceN.txt")
    ap.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    ap.add_argument("--out", type=Path, help="write each roster as CSV employee,day,shift")
    ap.add_argument("--only", help="instance numbers, e.g. 1-12 or 1,5,8")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    files = {
        int(m.group(1)): f
        for f in args.instances.glob("Instance*.txt")
        if (m := re.fullmatch(r"Instance(\d+)\.txt", f.name))
    }
    known = best_known(args.instances.resolve().parent)
    print(describe())
    print(
        f"time limit {args.time_limit:g} s per instance, {args.workers} workers, seed {args.seed}"
    )
    print(
        f"{'inst':>4} {'objective':>9} {'best':>8} {'gap%':>7} {'bound':>8} {'time_s':>7} "
        f"{'status':>8} checker {'wall_s':>7}"
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for i in _selection(args.only, sorted(files)):
        p = read_instance(files[i])
        t0 = time.monotonic()
        best, _lb = known.get(i, (None, None))
        try:
            r = solve(p, time_limit_s=args.time_limit, workers=args.workers, seed=args.seed)
        except NoRosterError as e:
            print(
                f"{i:>4} {'-':>9} {best or '-':>8} {'-':>7} {'-':>8} "
                f"{time.monotonic() - t0:>7.1f} {e.status:>8} -",
                flush=True,
            )
            continue
        violations = check(p, r)
        assert r.stats is not None
        obj = r.stats.objective
        gap = f"{100 * (obj - best) / best:.2f}" if best else "-"
        # Only proven optima, LP relaxation bounds, the bound of the whole-model lane (its
        # linear relaxation at level 2) and the column generation's are printed: CP-SAT's
        # bound on parts says nothing.
        b = r.stats.bound
        meaningful = r.stats.status == "OPTIMAL" or r.stats.bound_source in STRONG_BOUNDS
        bound = f"{b:.0f}" if b is not None and meaningful else "-"
        verdict = "ok" if not violations else f"{len(violations)} violations"
        print(
            f"{i:>4} {obj:>9} {best or '-':>8.0f} {gap:>7} {bound:>8} {r.stats.time_s:>7.1f} "
            f"{r.stats.status:>8} {verdict:>7} {time.monotonic() - t0:>7.1f}",
            flush=True,
        )
        if args.out:
            with (args.out / f"Instance{i}.csv").open("w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["employee", "day", "shift"])
                w.writerows(roster_rows(p, r))


if __name__ == "__main__":
    main()
