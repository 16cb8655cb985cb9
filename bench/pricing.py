"""Pricing on Curtois & Qu wards: whom the dynamic programme prices, how fast, and how soon the
column generation proves its LP.

    python bench/pricing.py --instances ../shared/benchmarks/curtois_qu_nrp/instances \\
        [--only 8,12] [--repeats 5]

Per instance: the people priced by the programme (CP-SAT prices the rest), the one-off set-up
(each pricer's moves), the median over repeats of one pass over everyone at random duals with
no ceiling, then column generation from a first roster: rounds and seconds to prove the LP, its
bound, and the median round (master LP and pricing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from curtois import instance_files, selection
from machine import describe

from matching.columns import Columns
from matching.curtois import read_instance
from matching.first_roster import first_roster
from matching.ward import Ward

COLUMNS_S = 120.0  # the most the column generation may take per instance


def _pass_ms(ward: Ward, rng: np.random.Generator) -> float:
    """Milliseconds for one pass of the programme over its people at random duals."""
    price = rng.uniform(-30.0, 10.0, len(ward.head))
    began = time.perf_counter()
    for pricer in ward.pricers:
        if pricer is not None:
            pricer.cheapest(price, many=3)
    return 1000 * (time.perf_counter() - began)


def _columns(ward: Ward) -> tuple[int, float, float | None, float]:
    """Rounds and seconds until the LP is proven (or `COLUMNS_S`), the bound, the median round."""
    began = time.monotonic()
    start = first_roster(ward, deadline=began + 10, give_up=began + 20, workers=1, seed=0)
    columns = Columns(ward, start)
    began = time.monotonic()
    rounds = []
    while time.monotonic() < began + COLUMNS_S:
        t = time.monotonic()
        going = columns.step(deadline=began + COLUMNS_S)
        rounds.append(time.monotonic() - t)
        if not going:
            break
    return len(rounds), time.monotonic() - began, columns.bound, statistics.median(rounds)


def main() -> None:
    """Print one line per instance."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--instances", type=Path, required=True, help="folder of InstanceN.txt")
    ap.add_argument("--only", default="1-12", help="instance numbers, e.g. 1-12 or 8,12")
    ap.add_argument("--repeats", type=int, default=5, help="passes at random duals to time")
    args = ap.parse_args()
    files = instance_files(args.instances)
    print(describe())
    print(
        f"{'inst':>4} {'people':>6} {'dp':>4} {'setup_s':>7} {'pass_ms':>8} {'ms/person':>9} "
        f"{'rounds':>6} {'lp_s':>6} {'bound':>10} {'round_ms':>8}"
    )
    for i in selection(args.only, sorted(files)):
        ward = Ward.of(read_instance(files[i]))
        began = time.perf_counter()
        priced = [p for p in ward.pricers if p is not None]
        for pricer in priced:
            pricer.edges  # noqa: B018 (found once per pricer, here timed)
        setup = time.perf_counter() - began
        rng = np.random.default_rng(i)
        _pass_ms(ward, rng)  # the first call compiles the passes if the cache is cold
        passes = statistics.median(_pass_ms(ward, rng) for _ in range(args.repeats))
        rounds, lp_s, bound, round_s = _columns(ward)
        print(
            f"{i:>4} {ward.people:>6} {len(priced):>4} {setup:>7.2f} {passes:>8.1f} "
            f"{passes / max(1, len(priced)):>9.2f} {rounds:>6} {lp_s:>6.1f} "
            f"{bound if bound is None else round(bound, 2)!s:>10} {1000 * round_s:>8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
