"""The Curtois & Qu benchmark read into the Problem model: Instance 1 solves to its optimum 607."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from matching.checker import check, score
from matching.curtois import placements_from_rows, read_instance, roster_rows
from matching.roster import Roster, unfilled_heads
from matching.solve import solve


def benchmark_dir() -> Path:
    """The instance folder under $MUSTER_BENCHMARKS, else under ../shared/benchmarks."""
    root = os.environ.get("MUSTER_BENCHMARKS")
    repo = Path(__file__).resolve().parents[2]
    base = Path(root) if root else repo / ".." / "shared" / "benchmarks"
    return base / "curtois_qu_nrp" / "instances"


INSTANCES = benchmark_dir()
needs_files = pytest.mark.skipif(
    not (INSTANCES / "Instance1.txt").exists(),
    reason=f"Curtois & Qu instances not found in {INSTANCES} (set MUSTER_BENCHMARKS)",
)


@needs_files
def test_instance1_reads_as_published() -> None:
    """Sizes agree with the benchmark's Table 1: 14 days, 8 staff, 1 shift type."""
    p = read_instance(INSTANCES / "Instance1.txt")
    assert (p.days, len(p.volunteers), len(p.slots), len(p.requests)) == (14, 8, 14, 26)
    assert p.volunteers[0].rules is not None
    assert p.volunteers[0].rules.max_minutes_per_period == 4320


@needs_files
def test_instance1_optimum_is_607() -> None:
    """Solved to proven optimality at the published optimum, and the roster checks."""
    p = read_instance(INSTANCES / "Instance1.txt")
    r = solve(p, time_limit_s=30)
    assert check(p, r) == []
    assert r.stats is not None
    assert (r.stats.status, r.stats.objective) == ("OPTIMAL", 607)
    rows = roster_rows(p, r)
    assert len({(e, d) for e, d, _ in rows}) == len(rows)  # one shift a day


@needs_files
def test_benchmark_script_prints_each_seed_and_the_median(tmp_path: Path) -> None:
    """`bench/curtois.py --seeds` runs each seed, checks and writes each roster, and ends each
    instance with the median over the seeds."""
    script = Path(__file__).resolve().parents[2] / "bench" / "curtois.py"
    args = ["--instances", str(INSTANCES), "--time-limit", "20", "--only", "1"]
    args += ["--seeds", "0,1", "--out", str(tmp_path)]
    out = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    rows = [line.split() for line in out.splitlines() if line.lstrip().startswith("1 ")]
    assert [r[:3] for r in rows] == [["1", "0", "607"], ["1", "1", "607"], ["1", "median", "607"]]
    assert all(r[-2:-1] == ["ok"] for r in rows[:2])
    assert rows[2][3:5] == ["607", "0.00"]
    assert sorted(f.name for f in tmp_path.iterdir()) == [
        "Instance1_seed0.csv",
        "Instance1_seed1.csv",
    ]
    p = read_instance(INSTANCES / "Instance1.txt")
    for f in tmp_path.iterdir():  # each written roster, read back, passes the checker at 607
        header, *lines = [line.split(",") for line in f.read_text().splitlines()]
        assert header == ["employee", "day", "shift"] and lines
        placements = placements_from_rows([(e, int(d), t) for e, d, t in lines])
        roster = Roster(placements, unfilled_heads(p, placements))
        assert check(p, roster) == []
        assert sum(score(p, roster).values()) == 607


def test_reader_on_a_small_file(tmp_path: Path) -> None:
    """Every section of the format lands in the model (runs without the benchmark files)."""
    f = tmp_path / "tiny.txt"
    f.write_text(
        "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nE,480,\nL,480,E\n\n"
        "SECTION_STAFF\nA,E=5|L=0,2400,960,3,2,2,1\n\n"
        "SECTION_DAYS_OFF\nA,0,6\n\nSECTION_SHIFT_ON_REQUESTS\nA,2,E,3\n\n"
        "SECTION_SHIFT_OFF_REQUESTS\nA,3,E,1\n\n"
        "SECTION_COVER\n" + "".join(f"{d},E,1,100,1\n{d},L,0,100,1\n" for d in range(7)),
        newline="\r\n",
    )
    p = read_instance(f)
    a = p.volunteers[0]
    assert a.days_off == frozenset({0, 6})
    assert a.rules is not None and a.rules.max_shifts_per_type == {"E": 5, "L": 0}
    assert p.forbidden_successions == frozenset({("L", "E")})
    assert len(p.slots) == 14 and p.slots[1].unfilled_weight == 100
    r = solve(p, time_limit_s=10)
    assert check(p, r) == []
    assert all(t == "E" for _, _, t in roster_rows(p, r))
