"""Who may be placed where: the eligibility filters and the stocks that may equip each placement."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from matching.problem import Post, Problem, Slot, Stock, Volunteer, may_supply


class Candidate(NamedTuple):
    """A volunteer passing every per-placement rule for a slot, and stocks able to equip them.

    A named tuple: large problems hold millions, and tuples are quick to make."""

    volunteer: int  # index into problem.volunteers
    slot: int  # index into problem.slots
    stocks: tuple[int, ...]  # indices into problem.stocks; empty when the slot needs no kit


def is_available(volunteer: Volunteer, slot: Slot) -> bool:
    """Available for the whole shift window and not on a day off."""
    if slot.day in volunteer.days_off:
        return False
    if volunteer.availability is None:
        return True
    return any(lo <= slot.start and slot.end <= hi for lo, hi in volunteer.availability)


def has_skill(volunteer: Volunteer, slot: Slot) -> bool:
    """Holds the skill the headcount line asks for."""
    return slot.skill is None or slot.skill in volunteer.skills


def is_certified(volunteer: Volunteer, slot: Slot, post: Post) -> bool:
    """Holds every certificate the post requires, valid on the shift's day."""
    day = slot.day
    return all(
        any(c.kind == kind and c.valid_on(day) for c in volunteer.certificates)
        for kind in post.required_certificates
    )


def is_healthy(volunteer: Volunteer, slot: Slot) -> bool:
    """Not reported unwell on the shift's day."""
    return slot.day not in volunteer.unwell_days


class StockIndex:
    """Non-empty stocks by (item, day, owner), for finding who may equip a placement."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._by_key: dict[tuple[str, int, str | None], list[int]] = defaultdict(list)
        for k, stock in enumerate(problem.stocks):
            if stock.quantity > 0:
                self._by_key[(stock.item, stock.day, stock.owner)].append(k)

    def allowed(self, volunteer: Volunteer, slot: Slot, post: Post) -> tuple[int, ...]:
        """Indices of non-empty stocks that may equip `volunteer` on `slot`."""
        if slot.kit is None:
            return ()
        stocks: tuple[Stock, ...] = self.problem.stocks
        supplier = volunteer.unit if volunteer.unit is not None else post.using_unit
        found = self._by_key.get((slot.kit, slot.day, supplier), [])
        if supplier is not None:
            found = found + self._by_key.get((slot.kit, slot.day, None), [])
        return tuple(k for k in found if may_supply(stocks[k], volunteer, post))


def eligible(volunteer: Volunteer, slot: Slot, post: Post) -> bool:
    """Passes availability, skill, certificate and health filters (kit aside)."""
    return (
        is_available(volunteer, slot)
        and has_skill(volunteer, slot)
        and is_certified(volunteer, slot, post)
        and is_healthy(volunteer, slot)
    )


def all_candidates(problem: Problem) -> list[Candidate]:
    """Every placement that breaks no per-placement rule and can be equipped from some stock."""
    posts = {p.id: p for p in problem.posts}
    index = StockIndex(problem)
    # Volunteers free for each distinct shift window (availability, days off, health), so each
    # slot only looks at those; the same filters as `eligible`, computed once per window.
    windows: dict[tuple[int, int], list[int]] = {}
    for slot in problem.slots:
        key = (slot.start, slot.end)
        if key not in windows:
            windows[key] = [
                vi
                for vi, v in enumerate(problem.volunteers)
                if is_available(v, slot) and is_healthy(v, slot)
            ]
    certified: dict[tuple[int, str, int], bool] = {}
    stocks_of: dict[tuple[str | None, str, int], tuple[int, ...]] = {}
    out = []
    for si, slot in enumerate(problem.slots):
        post = posts[slot.post]
        for vi in windows[(slot.start, slot.end)]:
            v = problem.volunteers[vi]
            if not has_skill(v, slot):
                continue
            if post.required_certificates:
                key = (vi, post.id, slot.day)
                ok = certified.get(key)
                if ok is None:
                    ok = certified[key] = is_certified(v, slot, post)
                if not ok:
                    continue
            stocks: tuple[int, ...] = ()
            if slot.kit is not None:
                supplier = v.unit if v.unit is not None else post.using_unit
                skey = (supplier, slot.kit, slot.day)
                got = stocks_of.get(skey)
                if got is None:
                    got = stocks_of[skey] = index.allowed(v, slot, post)
                if not got:
                    continue
                stocks = got
            out.append(Candidate(vi, si, stocks))
    return out
