"""A proven lower bound from the LP relaxation of a CP-SAT model (solved with GLOP).

Only the constraint kinds the ward model posts are read: linear, clause, at-most-one,
exactly-one and enforced conjunctions (implications). Any other kind makes the bound unknown.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model


def lp_bound(model: cp_model.CpModel, *, time_limit_s: float = 10.0) -> float | None:
    """The LP optimum of `model`'s minimisation (a lower bound on it), None if unknown."""
    proto = model.proto
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None or not proto.has_objective():
        return None
    lp.SetTimeLimit(int(time_limit_s * 1000))
    # (The proto's repeated fields do not support negative indexing: copy to lists.)
    bounds = [list(v.domain) for v in proto.variables]
    xs = [lp.NumVar(float(d[0]), float(d[-1]), "") for d in bounds]

    def lit(ref: int) -> tuple[float, list[tuple[pywraplp.Variable, float]]]:
        """A literal as constant + terms (a negated literal is 1 - x)."""
        return (0.0, [(xs[ref], 1.0)]) if ref >= 0 else (1.0, [(xs[-ref - 1], -1.0)])

    def row(lo: float, hi: float, refs: list[int], coefs: list[float]) -> None:
        const = 0.0
        terms: list[tuple[pywraplp.Variable, float]] = []
        for r, c in zip(refs, coefs, strict=True):
            k, ts = lit(r)
            const += c * k
            terms += [(v, c * a) for v, a in ts]
        ct = lp.RowConstraint(lo - const, hi - const, "")
        for v, a in terms:
            ct.SetCoefficient(v, ct.GetCoefficient(v) + a)

    inf = lp.infinity()
    for c in proto.constraints:
        enforced = list(c.enforcement_literal)
        if c.has_linear() and not enforced:
            dom = list(c.linear.domain)
            lo = -inf if dom[0] <= cp_model.INT_MIN else float(dom[0])
            hi = inf if dom[-1] >= cp_model.INT_MAX else float(dom[-1])
            ct = lp.RowConstraint(lo, hi, "")
            for v, a in zip(c.linear.vars, c.linear.coeffs, strict=True):
                ct.SetCoefficient(xs[v], ct.GetCoefficient(xs[v]) + a)
        elif c.has_bool_or() and not enforced:
            refs = list(c.bool_or.literals)
            row(1.0, inf, refs, [1.0] * len(refs))
        elif c.has_at_most_one() and not enforced:
            refs = list(c.at_most_one.literals)
            row(-inf, 1.0, refs, [1.0] * len(refs))
        elif c.has_exactly_one() and not enforced:
            refs = list(c.exactly_one.literals)
            row(1.0, 1.0, refs, [1.0] * len(refs))
        elif c.has_bool_and() and len(enforced) == 1:
            for b in c.bool_and.literals:  # a implies b: b - a >= 0
                row(0.0, inf, [b, enforced[0]], [1.0, -1.0])
        else:
            return None
    obj = lp.Objective()
    for v, a in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if v >= 0:
            obj.SetCoefficient(xs[v], obj.GetCoefficient(xs[v]) + a)
        else:  # a negated literal in the objective: a * (1 - x)
            obj.SetCoefficient(xs[-v - 1], obj.GetCoefficient(xs[-v - 1]) - a)
            obj.SetOffset(obj.offset() + a)
    obj.SetOffset(obj.offset() + proto.objective.offset)
    obj.SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    scale = proto.objective.scaling_factor or 1.0
    return obj.Value() * scale
