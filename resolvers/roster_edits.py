"""Manual roster edits checked with the optimizer's own checker before anything is written.

An edit is checked on the roster as it would be after it, against the problem the roster
answers (its scope and period, read from the register). Only violations the edit introduces
are reported, so an old problem elsewhere in the roster does not block an unrelated fix.
After a successful edit the edited line's gap (missing heads and why) is rewritten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Assignment, ProtectiveStock, Volunteer
from db.models import Roster as RosterRow
from db.models.enums import AssignmentStatus
from db.services import roster_edits as writes
from db.services.errors import ErrorCode, FieldError, NotFound, ValidationFailed
from matching import Placement, Unfilled, Violation, check, explain_unfilled, unfilled_heads
from matching import Roster as Plan
from matching.problem import may_supply
from resolvers.roster_problem import Planning, planning_for_roster
from resolvers.rule_words import RuleWords


@dataclass(frozen=True, slots=True)
class BrokenRule:
    """A hard rule an edit would break: the rule's name and the reason in words."""

    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class LineGap:
    """Heads of a headcount line left unfilled, and why."""

    missing: int
    reason: str


class EditRefused(ValidationFailed):
    """The edit would break hard rules; nothing was written."""

    def __init__(self, field: str, broken: list[BrokenRule]) -> None:
        super().__init__([FieldError(field, ErrorCode.RULE_BROKEN, b.message) for b in broken])
        self.broken = broken


@dataclass(frozen=True, slots=True)
class EditResult:
    """What an edit wrote: the assignment (None once removed) and its line's gap."""

    assignment: Assignment | None
    roster: RosterRow
    gap: LineGap | None


class RosterEditor:
    """One roster as the optimizer sees it: the problem, its placements, names for reasons."""

    def __init__(self, planning: Planning, plan: Plan) -> None:
        problem = planning.problem
        self.problem = problem
        self.volunteers = {v.id: v for v in problem.volunteers}
        self.slots = {s.id: s for s in problem.slots}
        self.posts = {p.id: p for p in problem.posts}
        self.stocks = {k.id: k for k in problem.stocks}
        # Assignments outside the problem (e.g. a volunteer moved out of the scope since) are
        # not the checker's business: with unknown ids it would check nothing else.
        self.placements = tuple(
            p
            for p in plan.assignments
            if p.volunteer in self.volunteers
            and p.slot in self.slots
            and (p.stock is None or p.stock in self.stocks)
        )
        # The checker stops at a line holding more than it allows, checking nothing else; a
        # line over-filled before the edit is allowed what it holds, so that the other rules
        # are still checked and only filling it further is refused.
        held = Counter(p.slot for p in self.placements)
        slots = tuple(
            replace(s, max_over=held[s.id] - s.headcount)
            if held[s.id] > s.headcount + s.max_over
            else s
            for s in problem.slots
        )
        if slots != problem.slots:
            problem = self.problem = replace(problem, slots=slots)
            self.slots = {s.id: s for s in slots}
        rows = planning.rows
        self.words = RuleWords(
            problem, volunteer_names={str(v["id"]): v["name"] for v in rows["volunteers"]}
        )
        self.shift_of = {str(line["id"]): line["shift_id"] for line in rows["headcount_lines"]}

    @classmethod
    async def load(cls, session: AsyncSession, roster: RosterRow, zone: ZoneInfo) -> RosterEditor:
        """Read the roster's problem and placements from the register."""
        planning, plan = await planning_for_roster(session, roster=roster, zone=zone)
        return cls(planning, plan)

    def roster(self, placements: tuple[Placement, ...]) -> Plan:
        """Placements as a roster, with the unfilled heads the checker expects reported."""
        return Plan(placements, unfilled_heads(self.problem, placements))

    def pick_stock(self, volunteer: str, slot: str) -> str | None:
        """A stock the supply rules allow with a kit left: the volunteer's unit (agency) or the
        post's using unit (social) first, the city reserve last; None if none or no kit needed."""
        s = self.slots[slot]
        if s.kit is None:
            return None
        v, post = self.volunteers[volunteer], self.posts[s.post]
        drawn = Counter(p.stock for p in self.placements if p.stock is not None)
        usable = [
            k
            for k in self.problem.stocks
            if k.item == s.kit
            and k.day == s.day
            and may_supply(k, v, post)
            and k.quantity - drawn[k.id] > 0
        ]
        usable.sort(key=lambda k: (k.is_city_reserve, -(k.quantity - drawn[k.id]), k.id))
        return usable[0].id if usable else None

    def broken(
        self,
        after: tuple[Placement, ...],
        *,
        pinned: tuple[Placement, ...] | None = None,
        removal_only: bool = False,
    ) -> list[BrokenRule]:
        """Hard rules the roster breaks after the edit and did not break before it."""
        before = check(self.problem, self.roster(self.placements))
        problem = self.problem if pinned is None else replace(self.problem, pinned=pinned)
        found = introduced(before, check(problem, self.roster(after)), removal_only=removal_only)
        return [BrokenRule(v.rule, self.words.sentence(v)) for v in found]

    def gap(self, placements: tuple[Placement, ...], slot: str) -> LineGap | None:
        """The line's unfilled heads in this roster and why, None if it is full."""
        s = self.slots[slot]
        missing = s.headcount - sum(1 for p in placements if p.slot == slot)
        if missing <= 0:
            return None
        roster = Plan(placements, (Unfilled(slot, missing),))
        return LineGap(missing, explain_unfilled(self.problem, roster).get(slot, ""))


def introduced(
    before: list[Violation], after: list[Violation], *, removal_only: bool
) -> list[Violation]:
    """Violations in ``after`` that ``before`` did not have.

    Adding a placement can worsen a broken rule (a count in its message grows), so any new
    message counts. Removing one only lowers counts: then a rule counts as introduced only
    where it was not broken before for the same volunteer and slot.
    """

    def key(v: Violation) -> tuple[str | None, ...]:
        coarse = (v.rule, v.volunteer, v.slot)
        return coarse if removal_only else (*coarse, v.message)

    left = Counter(key(v) for v in before)
    out = []
    for v in after:
        if left[key(v)] > 0:
            left[key(v)] -= 1
        else:
            out.append(v)
    return out


async def assign_volunteer(
    session: AsyncSession,
    *,
    roster_id: int,
    line_id: int,
    volunteer_id: int,
    stock_id: int | None,
    pinned: bool,
    zone: ZoneInfo,
) -> EditResult:
    """Put a volunteer on a headcount line of a roster, if no hard rule breaks."""
    roster = await writes.editable_roster(session, roster_id=roster_id, field="roster_id")
    line = await writes.headcount_line(session, line_id=line_id, field="headcount_line_id")
    if await session.get(Volunteer, volunteer_id) is None:
        raise NotFound("volunteer_id", "Volunteer", volunteer_id)
    if stock_id is not None and await session.get(ProtectiveStock, stock_id) is None:
        raise NotFound("stock_id", "ProtectiveStock", stock_id)
    editor = await RosterEditor.load(session, roster, zone)
    v, s = str(volunteer_id), str(line_id)
    errors = _outside(
        editor, volunteer=v, slot=s, stock=None if stock_id is None else str(stock_id)
    )
    if not errors and any(
        p.volunteer == v and editor.shift_of.get(p.slot) == line.shift_id for p in editor.placements
    ):
        errors.append(
            FieldError(
                "volunteer_id",
                ErrorCode.DUPLICATE,
                f"{editor.words.volunteer(v)} is already on this shift in roster {roster_id}",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    stock = str(stock_id) if stock_id is not None else editor.pick_stock(v, s)
    added = Placement(v, s, stock)
    after = (*editor.placements, added)
    pins = (*editor.problem.pinned, added) if pinned else None
    if broken := editor.broken(after, pinned=pins):
        raise EditRefused("volunteer_id", broken)
    row = await writes.add_assignment(
        session,
        roster_id=roster.id,
        line=line,
        volunteer_id=volunteer_id,
        stock_id=None if stock is None else int(stock),
        pinned=pinned,
        zone=zone,
    )
    gap = await _record_gap(session, editor, roster.id, after, s)
    return EditResult(row, roster, gap)


async def unassign_volunteer(
    session: AsyncSession, *, assignment_id: int, zone: ZoneInfo
) -> EditResult:
    """Take a volunteer off a roster, unless the assignment is pinned or confirmed."""
    row = await writes.assignment(session, assignment_id=assignment_id, field="assignment_id")
    roster = await writes.editable_roster(session, roster_id=row.roster_id, field="assignment_id")
    if row.pinned or row.status == AssignmentStatus.CONFIRMED:
        state = "pinned" if row.pinned else "confirmed"
        volunteer = await session.get(Volunteer, row.volunteer_id)
        who = volunteer.name if volunteer else f"volunteer {row.volunteer_id}"
        raise ValidationFailed(
            [
                FieldError(
                    "assignment_id",
                    ErrorCode.CONFLICT,
                    f"{who}'s assignment {assignment_id} is {state}: unpin it first "
                    "(pinAssignment with pinned: false)",
                )
            ]
        )
    editor = await RosterEditor.load(session, roster, zone)
    gone = Placement(str(row.volunteer_id), str(row.headcount_line_id), _str(row.stock_id))
    after = tuple(p for p in editor.placements if p != gone)
    if broken := editor.broken(after, removal_only=True):
        raise EditRefused("assignment_id", broken)
    slot = str(row.headcount_line_id)
    await writes.remove_assignment(session, assignment_id=assignment_id)
    gap = (
        await _record_gap(session, editor, roster.id, after, slot) if slot in editor.slots else None
    )
    return EditResult(None, roster, gap)


async def pin_assignment(
    session: AsyncSession, *, assignment_id: int, pinned: bool, zone: ZoneInfo
) -> EditResult:
    """Pin an assignment (re-planning keeps it) or unpin it (unpinning withdraws a
    confirmation too); a pin is checked like any edit."""
    row = await writes.assignment(session, assignment_id=assignment_id, field="assignment_id")
    roster = await writes.editable_roster(session, roster_id=row.roster_id, field="assignment_id")
    editor = await RosterEditor.load(session, roster, zone)
    mine = Placement(str(row.volunteer_id), str(row.headcount_line_id), _str(row.stock_id))
    others = tuple(
        p for p in editor.problem.pinned if (p.volunteer, p.slot) != (mine.volunteer, mine.slot)
    )
    pins = (*others, mine) if pinned else others
    if broken := editor.broken(editor.placements, pinned=pins, removal_only=not pinned):
        raise EditRefused("pinned", broken)
    updated = await writes.set_pinned(
        session, assignment_id=assignment_id, pinned=pinned, zone=zone
    )
    slot = str(row.headcount_line_id)
    gap = editor.gap(editor.placements, slot) if slot in editor.slots else None
    return EditResult(updated, roster, gap)


def _outside(
    editor: RosterEditor, *, volunteer: str, slot: str, stock: str | None
) -> list[FieldError]:
    """Ids of the register that the roster's scope and period do not reach."""
    errors = []
    if volunteer not in editor.volunteers:
        errors.append(
            FieldError(
                "volunteer_id",
                ErrorCode.OUT_OF_RANGE,
                f"volunteer {volunteer} is outside the roster's scope (its organisation subtree)",
            )
        )
    if slot not in editor.slots:
        errors.append(
            FieldError(
                "headcount_line_id",
                ErrorCode.OUT_OF_RANGE,
                f"headcount line {slot} is of a shift outside the roster's scope or period",
            )
        )
    if stock is not None and stock not in editor.stocks:
        errors.append(
            FieldError(
                "stock_id",
                ErrorCode.OUT_OF_RANGE,
                f"stock {stock} holds kits for a day outside the roster's period",
            )
        )
    return errors


async def _record_gap(
    session: AsyncSession,
    editor: RosterEditor,
    roster_id: int,
    placements: tuple[Placement, ...],
    slot: str,
) -> LineGap | None:
    gap = editor.gap(placements, slot)
    await writes.set_gap(
        session,
        roster_id=roster_id,
        line_id=int(slot),
        missing=gap.missing if gap else 0,
        reason=gap.reason if gap else "",
    )
    return gap


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)
