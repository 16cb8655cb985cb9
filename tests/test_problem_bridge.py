"""The register's rows become the optimizer's problem, and its roster passes the checker."""

from __future__ import annotations

from datetime import date

import pytest

from db.scenarios.build import build_rows
from db.scenarios.shapes import shape_named
from matching.checker import check
from matching.solve import solve
from resolvers.problem import problem_from_rows

START = date(2026, 11, 23)


@pytest.fixture(scope="module")
def rows():  # type: ignore[no-untyped-def]
    return build_rows(shape=shape_named(name="township"), seed=1, start=START)


def test_rows_map_onto_the_problem(rows) -> None:  # type: ignore[no-untyped-def]
    problem = problem_from_rows(rows, start=START, days=7)
    assert len(problem.volunteers) == len(rows["volunteers"])
    assert len(problem.slots) == len(rows["headcount_lines"])
    assert problem.start_date == START and problem.first_weekday == 0
    # Register priority 1 (most important) weighs most in the optimizer.
    by_id = {str(c["id"]): c for c in rows["checkpoints"]}
    for post in problem.posts:
        assert post.priority == 6 - by_id[post.id]["priority"]
    # Social volunteers are equipped by the post's using unit, so they carry no unit.
    kinds = {str(v["id"]): str(v["kind"]) for v in rows["volunteers"]}
    for volunteer in problem.volunteers:
        assert (volunteer.unit is None) == (kinds[volunteer.id] == "SOCIAL")
    # Every shift starts within the week, in local days (06:00, 14:00, 22:00 UTC+8).
    assert {s.start % 1440 for s in problem.slots} == {360, 840, 1320}
    assert all(0 <= s.day < 7 for s in problem.slots)
    assert any(v.unwell_days for v in problem.volunteers)


def test_a_days_roster_of_the_township_passes_the_checker(rows) -> None:  # type: ignore[no-untyped-def]
    problem = problem_from_rows(rows, start=START, days=1)
    roster = solve(problem, time_limit_s=8)
    assert check(problem, roster) == []
    assert roster.assignments
    heads = sum(s.headcount for s in problem.slots)
    missing = sum(u.missing for u in roster.unfilled)
    assert missing < heads / 4
    assert all(u.reason for u in roster.unfilled)
