"""One day's heads of one or several kit items, staffed at least cost with every stock exact, as
an LP.

In a flow a kit's stock must be known where the flow passes: an agency volunteer's before the
slot (their unit), a social volunteer's after it (the post's using unit), so each slot's split
between the two kinds has to be fixed. As a linear programme nothing needs fixing: per
(volunteer, slot) arc one column for a kit from the owner's stock and one for a reserve kit;
rows for each slot's heads, each volunteer's one shift, each stock and the reserve (per item when
the heads need several). Its optimum is nearly integral (county, a day's masks: 3,321 of 3,340
heads placed whole, or all of them), so whole placements are kept and the rest is filled again
by a flow.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np


@dataclass
class KitLp:
    """Arcs (volunteer, local slot, cost with the fairness step, whose stock: -1 the reserve
    only; which item, for the reserve's row) and what must hold: heads per slot, kits left per
    owner (of that item) and in the reserve per item."""

    volunteers: np.ndarray
    slots: np.ndarray
    costs: np.ndarray
    owners: np.ndarray
    need: np.ndarray
    left: np.ndarray  # per owner index
    reserve_left: int | np.ndarray  # per item index
    reserve_cost: int
    items: np.ndarray | None = None  # per arc; None: a single item


def solve_kit_lp(lp: KitLp, *, time_limit_s: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Per arc, the optimum's share of a placement with an owner's kit and with a reserve kit;
    None if the heads cannot be met (or no optimum in time)."""
    n = len(lp.volunteers)
    uv, vrow = np.unique(lp.volunteers, return_inverse=True)
    n_slots, n_vols, n_owners = len(lp.need), len(uv), len(lp.left)
    reserve_left = np.atleast_1d(np.asarray(lp.reserve_left))
    items = np.zeros(n, dtype=np.int64) if lp.items is None else lp.items
    # Rows: slots, then volunteers, then owners' stocks, then the reserve's items.
    vrow = vrow + n_slots
    own_row = n_slots + n_vols + np.maximum(lp.owners, 0)
    reserve_row = n_slots + n_vols + n_owners + items
    n_rows = n_slots + n_vols + n_owners + len(reserve_left)
    # Columns: every arc's own-stock kit, then every arc's reserve kit; three entries each.
    rows = np.stack(
        [
            np.concatenate([lp.slots, lp.slots]),
            np.concatenate([vrow, vrow]),
            np.concatenate([own_row, reserve_row]),
        ],
        axis=1,
    )
    upper = np.concatenate([(lp.owners >= 0).astype(float), np.ones(n)])
    cost = np.concatenate([lp.costs, lp.costs + lp.reserve_cost]).astype(float)
    row_lower = np.concatenate([lp.need, np.zeros(n_rows - n_slots)]).astype(float)
    row_upper = np.concatenate(
        [lp.need, np.ones(n_vols), np.maximum(lp.left, 0), np.maximum(reserve_left, 0)]
    ).astype(float)
    model = highspy.HighsLp()
    model.num_col_ = 2 * n
    model.num_row_ = n_rows
    model.col_cost_ = cost
    model.col_lower_ = np.zeros(2 * n)
    model.col_upper_ = upper
    model.row_lower_ = row_lower
    model.row_upper_ = row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = np.arange(0, 6 * n + 1, 3, dtype=np.int32)
    model.a_matrix_.index_ = rows.reshape(-1).astype(np.int32)
    model.a_matrix_.value_ = np.ones(6 * n)
    h = _highs()
    h.setOptionValue("time_limit", max(0.1, time_limit_s))
    h.passModel(model)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value)
    return x[:n], x[n:]


def _highs() -> highspy.Highs:
    """A solver that writes nothing."""
    _banner_swallowed()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


@functools.cache
def _banner_swallowed() -> None:
    """HiGHS writes its banner to the process's stdout when its first solver is made, before
    any option can be set: make that one with stdout pointed at nothing."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
