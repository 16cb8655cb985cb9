"""Roster optimizer: plain dataclasses in (matching.problem), a checked Roster out.

    from matching import Problem, solve, check
    roster = solve(problem, time_limit_s=60)      # never returns a roster that fails check()
    check(problem, roster) == []                   # independent re-check of every hard rule
    explain_unfilled(problem, roster)              # slot id -> reason in a scheduler's words
    why_not(problem, volunteer=..., slot=..., roster=roster)
    dispatch_list(problem, roster)                 # kits per stock, day and post

Nothing here imports the database, the GraphQL schema or the service.
"""

from matching.checker import Violation, check, score
from matching.problem import (
    Certificate,
    Placement,
    Post,
    Problem,
    Request,
    Rules,
    Slot,
    Stock,
    Volunteer,
    Weights,
)
from matching.reasons import (
    DispatchLine,
    FunnelStep,
    dispatch_list,
    explain_unfilled,
    funnel,
    why_not,
)
from matching.roster import NoRosterError, Roster, SolveStats, Unfilled, unfilled_heads
from matching.solve import Progress, RosterCheckError, solve

__all__ = [
    "Certificate",
    "DispatchLine",
    "FunnelStep",
    "NoRosterError",
    "Placement",
    "Post",
    "Problem",
    "Progress",
    "Request",
    "Roster",
    "RosterCheckError",
    "Rules",
    "Slot",
    "SolveStats",
    "Stock",
    "Unfilled",
    "Violation",
    "Volunteer",
    "Weights",
    "check",
    "dispatch_list",
    "explain_unfilled",
    "funnel",
    "score",
    "solve",
    "unfilled_heads",
    "why_not",
]
