"""Root fields listing checkpoints and shifts."""

from __future__ import annotations

import strawberry

from resolvers.posts import (
    CHECKPOINT_ORDER,
    SHIFT_ORDER,
    CheckpointCriteria,
    ShiftCriteria,
    checkpoints_query,
    shifts_query,
)
from schema.lists import list_field
from schema.posts.filters import CheckpointFilter, CheckpointOrder, ShiftFilter, ShiftOrder
from schema.posts.types import Checkpoint, Shift


@strawberry.type
class PostQueries:
    checkpoints = list_field(
        Checkpoint,
        filter_type=CheckpointFilter,
        order_type=CheckpointOrder,
        criteria=CheckpointCriteria,
        query=checkpoints_query,
        orders=CHECKPOINT_ORDER,
        description="Checkpoints, filtered, ordered and paged (at most 100 a page).",
    )

    shifts = list_field(
        Shift,
        filter_type=ShiftFilter,
        order_type=ShiftOrder,
        criteria=ShiftCriteria,
        query=shifts_query,
        orders=SHIFT_ORDER,
        description="Shifts, filtered, ordered and paged (at most 100 a page).",
    )
