"""A roster: who works which slot with which kit, what stays unfilled and why, how good it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from matching.problem import Placement, Problem

# Objective terms in SPEC's priority order; keys of `SolveStats.terms`.
TERMS = (
    "cover",
    "city_reserve",
    "changes",
    "travel",
    "fairness",
    "preferences",
    "claimed_grids",
    "over_cover",
)


@dataclass(frozen=True, slots=True)
class Unfilled:
    """Heads of a slot nobody fills, with the reason in a scheduler's words."""

    slot: str
    missing: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SolveStats:
    """How the solve went: status, objective (and each term), proven bound, gap, time."""

    status: str  # OPTIMAL, FEASIBLE
    objective: int
    terms: dict[str, int] = field(default_factory=dict)
    bound: float | None = None
    bound_source: str = ""  # how the bound was proven
    gap: float | None = None  # (objective - bound) / objective; 0 when optimal
    time_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Roster:
    """Placements (each with its kit's stock), unfilled heads with reasons, and solve stats."""

    assignments: tuple[Placement, ...]
    unfilled: tuple[Unfilled, ...] = ()
    stats: SolveStats | None = None

    def by_volunteer(self) -> dict[str, list[Placement]]:
        """Placements grouped by volunteer id."""
        out: dict[str, list[Placement]] = {}
        for a in self.assignments:
            out.setdefault(a.volunteer, []).append(a)
        return out

    def by_slot(self) -> dict[str, list[Placement]]:
        """Placements grouped by slot id."""
        out: dict[str, list[Placement]] = {}
        for a in self.assignments:
            out.setdefault(a.slot, []).append(a)
        return out


def unfilled_heads(problem: Problem, placements: Iterable[Placement]) -> tuple[Unfilled, ...]:
    """The heads each slot still misses with these placements (reasons left empty)."""
    filled = Counter(p.slot for p in placements)
    return tuple(
        Unfilled(s.id, s.headcount - filled[s.id])
        for s in problem.slots
        if filled[s.id] < s.headcount
    )


class NoRosterError(RuntimeError):
    """The solver proved the hard rules unsatisfiable, or found no roster within the limit."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
