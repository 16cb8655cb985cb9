"""The generator's output: plain rows per table, ready for a bulk insert."""

from __future__ import annotations

from typing import Any

# One row as column name → value; ids are assigned by the generator, from 1 per table.
Row = dict[str, Any]
# Table name → its rows, in id order.
TableRows = dict[str, list[Row]]


def ids_by_code(*, rows: list[Row]) -> dict[str, int]:
    """Map each row's code to its id."""
    return {row["code"]: row["id"] for row in rows}
