"""Building the CP-SAT model of a problem: placement variables, every hard rule, the objective."""

from __future__ import annotations

from matching.candidates import Candidate, all_candidates
from matching.model import RosterModel
from matching.objectives import ALL_TERMS
from matching.problem import Problem
from matching.rules import ALL_RULES


def build_model(problem: Problem, *, candidates: list[Candidate] | None = None) -> RosterModel:
    """The CP-SAT model of `problem`: placement variables, every hard rule, the objective."""
    m = RosterModel(problem, all_candidates(problem) if candidates is None else candidates)
    for rule in ALL_RULES:
        rule(m)
    m.model.minimize(sum(term(m) for term in ALL_TERMS.values()))
    return m
