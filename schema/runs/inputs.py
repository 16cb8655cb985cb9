"""Inputs shared by the run mutations."""

from __future__ import annotations

import dataclasses

import strawberry
from strawberry import UNSET

from matching import Weights


@strawberry.input(
    description="Objective weights, in priority order; an omitted weight keeps its default."
)
class WeightsInput:
    unfilled_head: int | None = strawberry.field(
        default=UNSET, description="Per unfilled head, times the post's priority (1-5)."
    )
    city_reserve_kit: int | None = strawberry.field(
        default=UNSET, description="Per kit drawn from the city reserve."
    )
    change: int | None = strawberry.field(
        default=UNSET, description="Per assignment changed from the published roster."
    )
    travel: int | None = strawberry.field(
        default=UNSET, description="Per 100 m between a volunteer's home and the post."
    )
    fairness: int | None = strawberry.field(
        default=UNSET, description="Per unit of the sum of squared shift counts."
    )
    preference: int | None = strawberry.field(default=UNSET, description="Per unmet request.")
    unclaimed_grid: int | None = strawberry.field(
        default=UNSET, description="Per volunteer on a grid another unit claimed."
    )
    over_cover: int | None = strawberry.field(default=UNSET, description="Per extra head.")


def weights_from(data: WeightsInput | None) -> dict[str, int]:
    """The weights a run uses: the defaults, overridden by the input's given fields."""
    weights = dataclasses.asdict(Weights())
    if data is not None:
        for f in dataclasses.fields(data):
            value = getattr(data, f.name)
            if value is not UNSET and value is not None:
                weights[f.name] = value
    return weights
