"""The CP-SAT variables of a roster: one boolean per candidate placement, plus derived literals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from matching.candidates import Candidate
from matching.problem import Problem

Literal = cp_model.IntVar | bool  # a model literal, or a constant when nothing can make it true


@dataclass
class RosterModel:
    """A CP-SAT model with the placement variables and indexes the rules and objectives share."""

    problem: Problem
    candidates: list[Candidate]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    # Kit literal per (volunteer, slot, stock); the placement itself when only one stock may equip.
    kit: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    by_volunteer: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_slot: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    under: dict[int, cp_model.IntVar] = field(default_factory=dict)
    over: dict[int, cp_model.IntVar] = field(default_factory=dict)
    fair_steps: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    _day: dict[tuple[int, int], Literal] = field(default_factory=dict)
    _type: dict[tuple[int, int, str], Literal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = self.model
        for c in self.candidates:
            v, s = c.volunteer, c.slot
            xv = m.new_bool_var(f"x{v}_{s}")
            self.x[(v, s)] = xv
            self.by_volunteer[v].append(s)
            self.by_slot[s].append(v)
            if len(c.stocks) == 1:
                self.kit[(v, s, c.stocks[0])] = xv
            elif c.stocks:
                ys = [m.new_bool_var(f"k{v}_{s}_{k}") for k in c.stocks]
                m.add(sum(ys) == xv)
                for k, y in zip(c.stocks, ys, strict=True):
                    self.kit[(v, s, k)] = y
        for vi in self.by_volunteer:
            self.by_volunteer[vi].sort(key=lambda s: self.problem.slots[s].start)

    def slots_on_day(self, v: int, day: int) -> list[int]:
        """Candidate slots of volunteer `v` that start on `day`."""
        return [s for s in self.by_volunteer.get(v, []) if self.problem.slots[s].day == day]

    def works_on(self, v: int, day: int) -> Literal:
        """A literal true exactly when volunteer `v` works some shift starting on `day`."""
        key = (v, day)
        if key not in self._day:
            xs = [self.x[(v, s)] for s in self.slots_on_day(v, day)]
            self._day[key] = self._any_of(xs, exclusive=self._one_a_day(v))
        return self._day[key]

    def works_type(self, v: int, day: int, shift_type: str) -> Literal:
        """A literal true exactly when volunteer `v` works a `shift_type` shift on `day`."""
        key = (v, day, shift_type)
        if key not in self._type:
            xs = [
                self.x[(v, s)]
                for s in self.slots_on_day(v, day)
                if self.problem.slots[s].shift_type == shift_type
            ]
            self._type[key] = self._any_of(xs, exclusive=self._one_a_day(v))
        return self._type[key]

    def _one_a_day(self, v: int) -> bool:
        return self.problem.rules_for(self.problem.volunteers[v]).max_shifts_per_day == 1

    def _any_of(self, xs: list[cp_model.IntVar], *, exclusive: bool) -> Literal:
        if not xs:
            return False
        if len(xs) == 1:
            return xs[0]
        b = self.model.new_bool_var("")
        if exclusive:
            # At most one of xs can hold, so the sum is the indicator (a tighter relaxation).
            self.model.add(b == sum(xs))
        else:
            self.model.add_max_equality(b, xs)
        return b


def negate(lit: Literal) -> Literal:
    """The negation of a literal or constant."""
    if isinstance(lit, bool):
        return not lit
    return lit.Not()


def add_clause(model: cp_model.CpModel, lits: list[Literal]) -> None:
    """At least one of `lits` holds; constants are folded away."""
    if any(lit is True for lit in lits):
        return
    model.add_bool_or([lit for lit in lits if lit is not False])
