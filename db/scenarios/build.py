"""A whole scenario as rows per table, computed from the shape, the seed and the start."""

from __future__ import annotations

import random
from datetime import date

from db.scenarios.availability import build_availability
from db.scenarios.catalogue import catalogue_rows
from db.scenarios.health import build_health_reports
from db.scenarios.organisations import build_register
from db.scenarios.posts import build_posts
from db.scenarios.rows import TableRows
from db.scenarios.shapes import Shape
from db.scenarios.stocks import build_stocks
from db.scenarios.timetable import scenario_days
from db.scenarios.volunteers import build_workforce


def section_rng(*, seed: int, section: str) -> random.Random:
    """An independent stream per section, so one section's draws never shift another's."""
    return random.Random(f"{seed}/{section}")


def build_rows(*, shape: Shape, seed: int, start: date) -> TableRows:
    """Every row of the scenario, per table name, in an order foreign keys allow."""
    rows = catalogue_rows()
    register = build_register(shape=shape, rng=section_rng(seed=seed, section="register"))
    workforce = build_workforce(
        shape=shape, register=register, rng=section_rng(seed=seed, section="workforce"), start=start
    )
    volunteer_ids = [row["id"] for row in workforce.volunteers]
    posts = build_posts(
        shape=shape, register=register, rng=section_rng(seed=seed, section="posts"), start=start
    )
    members: dict[int, int] = {}
    for volunteer in workforce.volunteers:
        if volunteer["unit_id"] is not None:
            members[volunteer["unit_id"]] = members.get(volunteer["unit_id"], 0) + 1
    rows |= {
        "organisations": register.organisations,
        "units": register.units,
        "grids": register.grids,
        "volunteers": workforce.volunteers,
        "volunteer_skills": workforce.volunteer_skills,
        "certificates": workforce.certificates,
        "availabilities": build_availability(
            volunteer_ids=volunteer_ids,
            rng=section_rng(seed=seed, section="availability"),
            start=start,
            days=shape.days,
        ),
        "health_reports": build_health_reports(
            volunteer_ids=volunteer_ids,
            rng=section_rng(seed=seed, section="health"),
            start=start,
            days=shape.days,
        ),
        "checkpoints": posts.checkpoints,
        "checkpoint_required_trainings": posts.required_trainings,
        "shifts": posts.shifts,
        "headcount_lines": posts.headcount_lines,
        "protective_stocks": build_stocks(
            rng=section_rng(seed=seed, section="stocks"),
            unit_ids=[row["id"] for row in register.units],
            members=members,
            kit_demand=posts.kit_demand,
            item_ids=[row["id"] for row in rows["protective_items"]],
            days=scenario_days(start=start, days=shape.days),
        ),
    }
    return rows
