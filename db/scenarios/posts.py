"""Posts (checkpoints), their required trainings, shifts and headcount lines."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from db.models.enums import CheckpointKind, RiskLevel
from db.scenarios.catalogue import (
    ITEM_IDS,
    SKILL_IDS,
    SKILLS_BY_KIND,
    TRAINING_IDS,
    TRAININGS_BY_KIND,
    kit_for,
)
from db.scenarios.geo import within
from db.scenarios.organisations import Register
from db.scenarios.rows import Row
from db.scenarios.shapes import Shape
from db.scenarios.timetable import SHIFT_TYPES, scenario_days, shift_window

SKILLED_LINE_SHARE = 0.35
REQUIRED_TRAINING_SHARE = 0.30
ROAD_SHARE, TESTING_SHARE = 0.40, 0.20
RESCUE_TEAM_ROAD_SHARE = 0.15

LABELS = {
    CheckpointKind.ROAD_CHECKPOINT: "Road Checkpoint",
    CheckpointKind.GRID_GATE: "Grid Gate",
    CheckpointKind.TESTING_STATION: "Testing Station",
    CheckpointKind.MARKET_PATROL: "Market Patrol",
    CheckpointKind.HOTLINE: "Counselling Hotline",
}
RISKS: dict[CheckpointKind, tuple[tuple[RiskLevel, ...], tuple[float, ...]]] = {
    CheckpointKind.ROAD_CHECKPOINT: (
        (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW),
        (0.4, 0.5, 0.1),
    ),
    CheckpointKind.GRID_GATE: ((RiskLevel.MEDIUM, RiskLevel.LOW), (0.4, 0.6)),
    CheckpointKind.TESTING_STATION: ((RiskLevel.HIGH, RiskLevel.MEDIUM), (0.6, 0.4)),
    CheckpointKind.MARKET_PATROL: ((RiskLevel.MEDIUM, RiskLevel.LOW), (0.5, 0.5)),
    CheckpointKind.HOTLINE: ((RiskLevel.LOW,), (1.0,)),
}
# 1 = most important: border roads and testing first, patrols last.
PRIORITIES = {
    CheckpointKind.ROAD_CHECKPOINT: (1, 2),
    CheckpointKind.GRID_GATE: (2, 3, 4),
    CheckpointKind.TESTING_STATION: (1, 2),
    CheckpointKind.MARKET_PATROL: (3, 4, 5),
    CheckpointKind.HOTLINE: (2, 3),
}
HEADS = (1, 2, 3, 4)
HEAD_WEIGHTS = (0.30, 0.35, 0.25, 0.10)
OVER_COVER = (0, 1, 2)
OVER_COVER_WEIGHTS = (0.80, 0.15, 0.05)


@dataclass(frozen=True)
class LineTemplate:
    """A headcount line every shift of a post repeats; nights take one head fewer."""

    skill_id: int | None
    heads: int
    max_over_cover: int

    def heads_on(self, *, shift_type: str) -> int:
        """Heads this line asks for on a shift of ``shift_type``."""
        return max(1, self.heads - 1) if shift_type == "NIGHT" else self.heads


@dataclass
class Posts:
    """Rows of posts and shifts, and the kits their shifts need."""

    checkpoints: list[Row] = field(default_factory=list)
    required_trainings: list[Row] = field(default_factory=list)
    shifts: list[Row] = field(default_factory=list)
    headcount_lines: list[Row] = field(default_factory=list)
    # (using unit id, item id, local day) → kits the shifts starting that day need.
    kit_demand: dict[tuple[int, int, date], int] = field(default_factory=dict)


def post_kinds(*, shape: Shape) -> list[CheckpointKind]:
    """Kinds of the shape's posts: a gate per grid, the hotlines, the rest by share."""
    gates = min(shape.grids, shape.posts - shape.hotlines)
    others = shape.posts - shape.hotlines - gates
    road = round(others * ROAD_SHARE)
    testing = round(others * TESTING_SHARE)
    return (
        [CheckpointKind.ROAD_CHECKPOINT] * road
        + [CheckpointKind.GRID_GATE] * gates
        + [CheckpointKind.TESTING_STATION] * testing
        + [CheckpointKind.MARKET_PATROL] * (others - road - testing)
        + [CheckpointKind.HOTLINE] * shape.hotlines
    )


def build_posts(*, shape: Shape, register: Register, rng: random.Random, start: date) -> Posts:
    """The shape's posts and their shifts over the scenario days."""
    posts = Posts()
    kinds = post_kinds(shape=shape)
    skilled = set(rng.sample(range(len(kinds)), round(len(kinds) * _skilled_post_share())))
    trained = set(rng.sample(range(len(kinds)), round(len(kinds) * REQUIRED_TRAINING_SHARE)))
    names = {row["id"]: row["name"].removesuffix(" Station") for row in register.organisations}
    posts_at: dict[tuple[int, CheckpointKind], int] = {}
    days = scenario_days(start=start, days=shape.days)
    for index, kind in enumerate(kinds):
        number = index + 1
        organisation_id, grid, at = _site(kind=kind, index=index, register=register, rng=rng)
        risks, weights = RISKS[kind]
        risk = rng.choices(risks, weights=weights)[0]
        using_unit_id = _using_unit(kind=kind, grid=grid, register=register, rng=rng)
        ordinal = posts_at[organisation_id, kind] = posts_at.get((organisation_id, kind), 0) + 1
        posts.checkpoints.append(
            {
                "id": number,
                "name": f"{names[organisation_id]} {LABELS[kind]} {ordinal}",
                "code": f"CP{number:04d}",
                "kind": kind,
                "organisation_id": organisation_id,
                "using_unit_id": using_unit_id,
                "grid_id": grid["id"] if grid else None,
                "latitude": at[0],
                "longitude": at[1],
                "risk_level": risk,
                "priority": rng.choice(PRIORITIES[kind]),
            }
        )
        if index in trained:
            _require_trainings(posts=posts, checkpoint_id=number, kind=kind, rng=rng)
        lines = _line_templates(kind=kind, skilled=index in skilled, rng=rng)
        kit = kit_for(kind=kind, risk=risk)
        kit_item_id = ITEM_IDS[kit] if kit else None
        _add_shifts(
            posts=posts,
            checkpoint_id=number,
            using_unit_id=using_unit_id,
            kit_item_id=kit_item_id,
            lines=lines,
            days=days,
        )
    return posts


def _skilled_post_share() -> float:
    """Share of posts with a skilled line that makes the skilled share of lines right."""
    # A skilled post has two lines per shift, the others one: k / (n + k) = share.
    return SKILLED_LINE_SHARE / (1 - SKILLED_LINE_SHARE)


def _site(
    *, kind: CheckpointKind, index: int, register: Register, rng: random.Random
) -> tuple[int, Row | None, tuple[float, float]]:
    """Organisation, grid and coordinates of one post."""
    if kind is CheckpointKind.GRID_GATE:
        grid = register.grids[index % len(register.grids)]
        around = (grid["latitude"], grid["longitude"])
        return grid["organisation_id"], grid, within(rng=rng, around=around, radius_km=0.2)
    if kind is CheckpointKind.HOTLINE:
        organisation_id = rng.choice([register.centre_id, *register.institutes])
        around = register.location[organisation_id]
        return organisation_id, None, within(rng=rng, around=around, radius_km=0.3)
    station = rng.choice(register.stations)
    # Road checkpoints sit out on the roads; the others in the village or community.
    radius_km = 4.0 if kind is CheckpointKind.ROAD_CHECKPOINT else 1.0
    return station, None, within(rng=rng, around=register.location[station], radius_km=radius_km)


def _using_unit(
    *, kind: CheckpointKind, grid: Row | None, register: Register, rng: random.Random
) -> int:
    """The unit that runs the post and equips the social volunteers on it."""
    if grid is not None:
        return grid["claimed_by_unit_id"]
    if (
        kind is CheckpointKind.ROAD_CHECKPOINT
        and register.rescue_teams
        and rng.random() < RESCUE_TEAM_ROAD_SHARE
    ):
        return rng.choice(register.rescue_teams)
    if kind is CheckpointKind.MARKET_PATROL:
        return rng.choice(register.employers)
    return rng.choice(register.agencies)


def _require_trainings(
    *, posts: Posts, checkpoint_id: int, kind: CheckpointKind, rng: random.Random
) -> None:
    """One or two trainings, fitting the post's kind, that its volunteers must hold."""
    options = TRAININGS_BY_KIND[kind]
    count = 2 if len(options) > 1 and rng.random() < 0.25 else 1
    training_ids = sorted(TRAINING_IDS[code] for code in rng.sample(options, count))
    posts.required_trainings.extend(
        {"checkpoint_id": checkpoint_id, "training_id": training_id} for training_id in training_ids
    )


def _line_templates(
    *, kind: CheckpointKind, skilled: bool, rng: random.Random
) -> list[LineTemplate]:
    """The headcount lines of a post: one for anyone, perhaps one asking for a skill."""
    heads = (
        rng.choices((1, 2), weights=(0.6, 0.4))[0]
        if kind is CheckpointKind.HOTLINE
        else (rng.choices(HEADS, weights=HEAD_WEIGHTS)[0])
    )
    lines = [
        LineTemplate(
            skill_id=None,
            heads=heads,
            max_over_cover=rng.choices(OVER_COVER, weights=OVER_COVER_WEIGHTS)[0],
        )
    ]
    if skilled:
        code = rng.choice(SKILLS_BY_KIND[kind])
        lines.append(
            LineTemplate(
                skill_id=SKILL_IDS[code],
                heads=rng.choices((1, 2), weights=(0.7, 0.3))[0],
                max_over_cover=rng.choices(OVER_COVER, weights=OVER_COVER_WEIGHTS)[0],
            )
        )
    return lines


def _add_shifts(
    *,
    posts: Posts,
    checkpoint_id: int,
    using_unit_id: int,
    kit_item_id: int | None,
    lines: list[LineTemplate],
    days: list[date],
) -> None:
    """Three shifts a day with their headcount lines, and the kits they need."""
    for day in days:
        for shift_type in SHIFT_TYPES:
            shift_id = len(posts.shifts) + 1
            starts_at, ends_at = shift_window(day=day, shift_type=shift_type)
            posts.shifts.append(
                {
                    "id": shift_id,
                    "checkpoint_id": checkpoint_id,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "shift_type": shift_type.name,
                    "kit_item_id": kit_item_id,
                }
            )
            heads_needed = 0
            for line in lines:
                heads = line.heads_on(shift_type=shift_type.name)
                heads_needed += heads
                posts.headcount_lines.append(
                    {
                        "id": len(posts.headcount_lines) + 1,
                        "shift_id": shift_id,
                        "skill_id": line.skill_id,
                        "headcount": heads,
                        "max_over_cover": line.max_over_cover,
                    }
                )
            if kit_item_id is not None:
                key = (using_unit_id, kit_item_id, day)
                posts.kit_demand[key] = posts.kit_demand.get(key, 0) + heads_needed
