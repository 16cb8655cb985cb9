"""Solve Curtois & Qu instances, check each roster, and compare with the best known values.

    python bench/curtois.py --instances ../shared/benchmarks/curtois_qu_nrp/instances \\
        --time-limit 60 [--out DIR] [--only 1-12] [--workers 2] [--seeds 0,1,2]

Best known values are read from the result tables beside the instance folder. Single runs of
the larger instances vary by several per cent from seed to seed; with more than one seed, a
last line per instance gives the median objective, its gap, and the best and worst runs.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe

from matching.checker import check
from matching.curtois import read_instance, roster_rows
from matching.problem import Problem
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


def listed(spec: str) -> list[int]:
    """The numbers `spec` names ("1-12", "1,5,8", "0-2,7"), in order."""
    chosen: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        chosen.update(range(int(lo), int(hi or lo) + 1))
    return sorted(chosen)


def instance_files(folder: Path) -> dict[int, Path]:
    """The InstanceN.txt files in `folder`, by N."""
    return {
        int(m.group(1)): f
        for f in folder.glob("Instance*.txt")
        if (m := re.fullmatch(r"Instance(\d+)\.txt", f.name))
    }


def selection(spec: str | None, available: list[int]) -> list[int]:
    """The instances `spec` names among `available`, or all of them."""
    if not spec:
        return available
    chosen = set(listed(spec))
    return [i for i in available if i in chosen]


def main() -> None:
    """Run the benchmark and print one line per instance."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--instances", type=Path, required=True, help="folder of InstanceN.txt")
    ap.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    ap.add_argument("--out", type=Path, help="write each roster as CSV employee,day,shift")
    ap.add_argument("--only", help="instance numbers, e.g. 1-12 or 1,5,8")
    ap.add_argument("--workers", type=int, default=2)
    seeding = ap.add_mutually_exclusive_group()
    seeding.add_argument("--seeds", default="0", help="seeds, e.g. 0 or 0,1,2 or 0-4")
    seeding.add_argument("--seed", type=int, help="one seed (the same as --seeds N)")
    args = ap.parse_args()
    seeds = [args.seed] if args.seed is not None else listed(args.seeds)
    files = instance_files(args.instances)
    known = best_known(args.instances.resolve().parent)
    print(describe())
    print(
        f"time limit {args.time_limit:g} s per instance, {args.workers} workers, "
        f"seeds {','.join(map(str, seeds))}"
    )
    print(
        f"{'inst':>4} {'seed':>6} {'objective':>9} {'best':>8} {'gap%':>7} {'bound':>8} "
        f"{'time_s':>7} {'status':>8} checker {'wall_s':>7}"
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for i in selection(args.only, sorted(files)):
        p = read_instance(files[i])
        best, _lb = known.get(i, (None, None))
        objectives = []
        for seed in seeds:
            name = f"Instance{i}_seed{seed}" if len(seeds) > 1 else f"Instance{i}"
            obj = _run(
                p,
                instance=i,
                seed=seed,
                best=best,
                time_limit_s=args.time_limit,
                workers=args.workers,
                out=args.out / f"{name}.csv" if args.out else None,
            )
            if obj is not None:
                objectives.append(obj)
        if len(seeds) > 1 and objectives:
            mid = statistics.median(objectives)
            print(
                f"{i:>4} {'median':>6} {mid:>9g} {_number(best):>8} {_gap(mid, best):>7} "
                f"(best {min(objectives)}, worst {max(objectives)}, "
                f"{len(objectives)} of {len(seeds)} runs)",
                flush=True,
            )


def _number(value: float | None) -> str:
    """A value for the table, '-' if unknown."""
    return "-" if value is None else f"{value:.0f}"


def _gap(objective: float, best: float | None) -> str:
    """Per cent above the best known value, '-' if none is known."""
    return f"{100 * (objective - best) / best:.2f}" if best else "-"


def _run(
    p: Problem,
    *,
    instance: int,
    seed: int,
    best: float | None,
    time_limit_s: float,
    workers: int,
    out: Path | None,
) -> int | None:
    """Solve with `seed`, check the roster, print its line and write it to `out`; its
    objective, None if there is no roster or it breaks a rule."""
    t0 = time.monotonic()
    try:
        r = solve(p, time_limit_s=time_limit_s, workers=workers, seed=seed)
    except NoRosterError as e:
        print(
            f"{instance:>4} {seed:>6} {'-':>9} {_number(best):>8} {'-':>7} {'-':>8} "
            f"{time.monotonic() - t0:>7.1f} {e.status:>8} -",
            flush=True,
        )
        return None
    violations = check(p, r)
    assert r.stats is not None
    obj = r.stats.objective
    # Only proven optima, LP relaxation bounds, the bound of the whole-model lane (its
    # linear relaxation at level 2) and the column generation's are printed: CP-SAT's
    # bound on parts says nothing.
    b = r.stats.bound
    meaningful = r.stats.status == "OPTIMAL" or r.stats.bound_source in STRONG_BOUNDS
    bound = f"{b:.0f}" if b is not None and meaningful else "-"
    verdict = "ok" if not violations else f"{len(violations)} violations"
    print(
        f"{instance:>4} {seed:>6} {obj:>9} {_number(best):>8} {_gap(obj, best):>7} {bound:>8} "
        f"{r.stats.time_s:>7.1f} {r.stats.status:>8} {verdict:>7} {time.monotonic() - t0:>7.1f}",
        flush=True,
    )
    if out is not None:
        with out.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["employee", "day", "shift"])
            w.writerows(roster_rows(p, r))
    return obj if not violations else None


if __name__ == "__main__":
    main()
