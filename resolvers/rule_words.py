"""The optimizer checker's violations in a scheduler's words: names, posts, local times, dates.

The checker names volunteers, slots and stocks by id and days by horizon index; a scheduler
reads "Wang Fang holds no valid Checkpoint screening certificate on 3 Dec". Each rule's
message has a fixed shape (``matching.checker``); what is not recognised keeps the checker's
text with its days as dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from matching import Problem, Violation
from matching.problem import clock_label, day_label

DAY = re.compile(r"\bday (\d+)\b")


class RuleWords:
    """Names for the ids of one problem, and each violation as a sentence."""

    def __init__(self, problem: Problem, *, volunteer_names: Mapping[str, str]) -> None:
        self.problem = problem
        self.names = volunteer_names
        self.volunteers = {v.id: v for v in problem.volunteers}
        self.slots = {s.id: s for s in problem.slots}
        self.posts = {p.id: p for p in problem.posts}
        self.stocks = {k.id: k for k in problem.stocks}

    def day(self, day: int) -> str:
        """A horizon day as a date, e.g. '3 Dec'."""
        return day_label(day, start_date=self.problem.start_date)

    def volunteer(self, ident: str) -> str:
        """The volunteer's name."""
        return self.names.get(ident, f"volunteer {ident}")

    def slot(self, ident: str) -> str:
        """A headcount line as post and local window: 'G318 border 06:00–14:00 on 3 Dec'."""
        slot = self.slots.get(ident)
        if slot is None:
            return f"headcount line {ident}"
        post = self.posts.get(slot.post)
        name = post.name if post is not None and post.name else f"post {slot.post}"
        return f"{name} {clock_label(slot.start)}–{clock_label(slot.end)} on {self.day(slot.day)}"

    def stock(self, ident: str) -> str:
        """A stock by owner, item and day."""
        k = self.stocks.get(ident)
        if k is None:
            return f"stock {ident}"
        owner = "the city reserve" if k.owner is None else f"unit {k.owner}"
        return f"{owner}'s {k.item} stock for {self.day(k.day)}"

    def supplier_rule(self, volunteer: str, slot: str) -> str:
        """Who may equip this volunteer on this slot, in words."""
        v, s = self.volunteers.get(volunteer), self.slots.get(slot)
        if v is None or s is None:
            return "the supply rules"
        if v.unit is not None:
            return f"their own unit ({v.unit}) or the city reserve"
        using = self.posts[s.post].using_unit if s.post in self.posts else None
        return f"the post's using unit ({using or 'none'}) or the city reserve"

    def sentence(self, violation: Violation) -> str:
        """The violation in words."""
        v, s = violation.volunteer, violation.slot
        text = violation.message
        if violation.rule == "no_protection_no_post" and (said := self._protection(violation)):
            return said
        if v is not None and s is not None and text.startswith(f"{v} on {s}: "):
            return self._placement(violation.rule, v, s, text.split(": ", 1)[1])
        if v is not None and text.startswith(f"{v}: "):
            return self._workload(violation.rule, v, text.split(": ", 1)[1])
        return self._other(violation.rule, text)

    def _placement(self, rule: str, v: str, s: str, why: str) -> str:
        who, where = self.volunteer(v), self.slot(s)
        slot = self.slots.get(s)
        day = self.day(slot.day) if slot is not None else "that day"
        if why == "not available for the whole shift":
            return f"{who} is not available for the whole of {where}"
        if m := re.fullmatch(r"lacks skill (.+)", why):
            return f"{who} lacks the skill {m[1]} that {where} asks for"
        if m := re.fullmatch(r"no certificate (.+) valid on day \d+", why):
            return self._certificate(who, v, m[1], slot.day if slot else 0)
        if re.fullmatch(r"day \d+ is a day off", why):
            return f"{who} has {day} off"
        if why.startswith("reported unwell"):
            return f"{who} reported unwell on {day}: no protection, no post"
        return f"{who} on {where}: {self._days(why)}"

    def _certificate(self, who: str, v: str, kind: str, day: int) -> str:
        out = f"{who} holds no valid {kind} certificate on {self.day(day)}"
        volunteer = self.volunteers.get(v)
        held = [c for c in volunteer.certificates if c.kind == kind] if volunteer else []
        ends = [c.last_day for c in held if c.last_day is not None and c.last_day < day]
        if held and len(ends) == len(held):
            out += f" (it expired on {self.day(max(ends) + 1)})"
        elif held:
            out += " (not yet valid then)"
        return out

    def _workload(self, rule: str, v: str, why: str) -> str:
        who = self.volunteer(v)
        if m := re.fullmatch(r"(\S+) and (\S+) overlap", why):
            both = f"{self.slot(m[1])} and {self.slot(m[2])}"
            return f"{who} would be on two overlapping shifts: {both}"
        if m := re.fullmatch(r"(\d+) min between (\S+) and (\S+), (\d+) required", why):
            return (
                f"{who} would rest only {_hours(int(m[1]))} between {self.slot(m[2])} and "
                f"{self.slot(m[3])}; {_hours(int(m[4]))} required"
            )
        if m := re.fullmatch(r"(\d+) shifts on day (\d+)", why):
            cap = self.problem.rules_for(self.volunteers[v]).max_shifts_per_day
            return f"{who} would work {m[1]} shifts on {self.day(int(m[2]))}, at most {cap}"
        if m := re.fullmatch(r"(\d+) min from day (\d+), at (most|least) (\d+)", why):
            return (
                f"{who} would work {_hours(int(m[1]))} in the period from "
                f"{self.day(int(m[2]))}, at {m[3]} {_hours(int(m[4]))}"
            )
        if m := re.fullmatch(r"(\d+) days in a row from day (\d+)", why):
            cap = self.problem.rules_for(self.volunteers[v]).max_consecutive_days
            return (
                f"{who} would work {m[1]} days in a row from {self.day(int(m[2]))}, at most {cap}"
            )
        return f"{who}: {self._days(why)}"

    def _other(self, rule: str, text: str) -> str:
        if m := re.fullmatch(r"stock (\S+) overdrawn: (\d+) kits from (\d+)", text):
            return f"{self.stock(m[1])} would be overdrawn: {m[2]} kits taken, {m[3]} available"
        if m := re.fullmatch(r"(\d+) on (\S+), at most (\d+) allowed", text):
            return f"{self.slot(m[2])} would have {m[1]} people, at most {m[3]} allowed"
        return self._days(text)

    def _days(self, text: str) -> str:
        return DAY.sub(lambda m: self.day(int(m[1])), text)

    def _protection(self, violation: Violation) -> str | None:
        """Kit problems of one placement (the checker's words name stocks by id)."""
        v, s, text = violation.volunteer, violation.slot, violation.message
        if v is None or s is None:
            return None
        who, where = self.volunteer(v), self.slot(s)
        if m := re.fullmatch(r"\S+ on \S+ has no (.+)", text):
            return (
                f"no {m[1]} left for {who} on {where}: {self.supplier_rule(v, s)} may equip "
                "them, and none has one"
            )
        if m := re.fullmatch(r"stock (\S+) of .+ may not equip \S+ on \S+", text):
            return f"{self.stock(m[1])} may not equip {who}: only {self.supplier_rule(v, s)}"
        if m := re.fullmatch(r"stock (\S+) holds .+ for day \d+, not (.+) for \S+", text):
            return f"{self.stock(m[1])} cannot equip {where}, which needs {m[2]}"
        if re.fullmatch(r"kit allocated to \S+, which needs none", text):
            return f"{where} needs no protective kit, yet a stock was given"
        return None


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if not rest else f"{hours} h {rest:02d} min"
