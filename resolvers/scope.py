"""Which rows a viewer may see, as SQL conditions: lists, loaders and ``node`` all use these.

``visible(model, viewer)`` is None when nothing is hidden (admins; schedulers for the
register), otherwise a condition on ``model``'s table. A model without a rule here is hidden
from everyone but admins (deny by default): add a rule with ``register_scope`` when adding a
table that the API serves.

Subqueries use aliases so they never correlate with the tables of the list they filter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from db import models as m
from resolvers.viewer import Role, Viewer

Condition = ColumnElement[bool]


def subtree_ids(root_id: int) -> Select[Any]:
    """Ids of the organisation ``root_id`` and every organisation below it (path prefix)."""
    root, below = aliased(m.Organisation), aliased(m.Organisation)
    root_path = select(root.path).where(root.id == root_id).scalar_subquery()
    return select(below.id).where(below.path.startswith(root_path))


def _volunteers_in(root_id: int) -> Select[Any]:
    v = aliased(m.Volunteer)
    return select(v.id).where(v.organisation_id.in_(subtree_ids(root_id)))


def _checkpoints_in(root_id: int) -> Select[Any]:
    cp = aliased(m.Checkpoint)
    return select(cp.id).where(cp.organisation_id.in_(subtree_ids(root_id)))


def _shifts_in(root_id: int) -> Select[Any]:
    s = aliased(m.Shift)
    return select(s.id).where(s.checkpoint_id.in_(_checkpoints_in(root_id)))


def _own(column_name: str, volunteer_id: int) -> Select[Any]:
    """A column of the volunteer's own assignments (their shifts, rosters, kit stocks)."""
    a = aliased(m.Assignment)
    return select(getattr(a, column_name)).where(a.volunteer_id == volunteer_id)


def _own_checkpoints(volunteer_id: int) -> Select[Any]:
    s = aliased(m.Shift)
    return select(s.checkpoint_id).where(s.id.in_(_own("shift_id", volunteer_id)))


def _own_checkpoint_column(column_name: str, volunteer_id: int) -> Select[Any]:
    cp = aliased(m.Checkpoint)
    return select(getattr(cp, column_name)).where(cp.id.in_(_own_checkpoints(volunteer_id)))


def _own_record_column(column_name: str, volunteer_id: int) -> Select[Any]:
    v = aliased(m.Volunteer)
    return select(getattr(v, column_name)).where(v.id == volunteer_id)


@dataclass(frozen=True, slots=True)
class ScopeRule:
    """How one table is cut for each role; a missing cut hides the table from that role."""

    coordinator: Callable[[int], Condition] | None = None  # given the subtree's root id
    volunteer: Callable[[int], Condition] | None = None  # given the volunteer's id
    scheduler: bool = True  # schedulers see the whole table


RULES: dict[type[Any], ScopeRule] = {}


def register_scope(model: type[Any], rule: ScopeRule) -> None:
    """Declare which rows of ``model`` each role sees."""
    RULES[model] = rule


def visible(model: type[Any], viewer: Viewer | None) -> Condition | None:
    """The rows of ``model`` the viewer may see: None for all, else a condition."""
    if viewer is None:
        return false()
    if viewer.role is Role.ADMIN:
        return None
    rule = RULES.get(model)
    if rule is None:
        return false()
    if viewer.role is Role.SCHEDULER:
        return None if rule.scheduler else false()
    if viewer.role is Role.COORDINATOR and rule.coordinator is not None:
        assert viewer.organisation_id is not None
        return rule.coordinator(viewer.organisation_id)
    if viewer.role is Role.VOLUNTEER and rule.volunteer is not None:
        assert viewer.volunteer_id is not None
        return rule.volunteer(viewer.volunteer_id)
    return false()


def sees_everything(model: type[Any], viewer: Viewer | None) -> bool:
    """Whether no row of ``model`` is hidden from the viewer."""
    return visible(model, viewer) is None


def _everyone() -> ScopeRule:
    """Shared catalogues (skills, trainings, kinds of kit): readable by every role."""
    return ScopeRule(coordinator=lambda _root: true(), volunteer=lambda _own_id: true())


for catalogue in (m.Skill, m.Training, m.ProtectiveItem):
    register_scope(catalogue, _everyone())

Org, U, G, V = m.Organisation, m.Unit, m.Grid, m.Volunteer
register_scope(
    Org,
    ScopeRule(
        coordinator=lambda root: Org.id.in_(subtree_ids(root)),
        volunteer=lambda own: or_(
            Org.id.in_(_own_record_column("organisation_id", own)),
            Org.id.in_(_own_checkpoint_column("organisation_id", own)),
        ),
    ),
)


def _unit_for_coordinator(root: int) -> Condition:
    # Units registered in the subtree, and those running its posts or equipping its people.
    cp, v = aliased(m.Checkpoint), aliased(m.Volunteer)
    return or_(
        U.organisation_id.in_(subtree_ids(root)),
        U.id.in_(select(cp.using_unit_id).where(cp.organisation_id.in_(subtree_ids(root)))),
        U.id.in_(select(v.unit_id).where(v.organisation_id.in_(subtree_ids(root)))),
    )


register_scope(
    U,
    ScopeRule(
        coordinator=_unit_for_coordinator,
        volunteer=lambda own: or_(
            U.id.in_(_own_record_column("unit_id", own)),
            U.id.in_(_own_checkpoint_column("using_unit_id", own)),
        ),
    ),
)
register_scope(
    G,
    ScopeRule(
        coordinator=lambda root: G.organisation_id.in_(subtree_ids(root)),
        volunteer=lambda own: or_(
            G.id.in_(_own_record_column("home_grid_id", own)),
            G.id.in_(_own_checkpoint_column("grid_id", own)),
        ),
    ),
)
register_scope(
    V,
    ScopeRule(
        coordinator=lambda root: V.organisation_id.in_(subtree_ids(root)),
        volunteer=lambda own: V.id == own,
    ),
)
for personal in (m.Certificate, m.Availability, m.HealthReport):
    register_scope(
        personal,
        ScopeRule(
            coordinator=lambda root, t=personal: t.volunteer_id.in_(_volunteers_in(root)),
            volunteer=lambda own, t=personal: t.volunteer_id == own,
        ),
    )
register_scope(
    m.Checkpoint,
    ScopeRule(
        coordinator=lambda root: m.Checkpoint.organisation_id.in_(subtree_ids(root)),
        volunteer=lambda own: m.Checkpoint.id.in_(_own_checkpoints(own)),
    ),
)
register_scope(
    m.Shift,
    ScopeRule(
        coordinator=lambda root: m.Shift.checkpoint_id.in_(_checkpoints_in(root)),
        volunteer=lambda own: m.Shift.id.in_(_own("shift_id", own)),
    ),
)
register_scope(
    m.HeadcountLine,
    ScopeRule(
        coordinator=lambda root: m.HeadcountLine.shift_id.in_(_shifts_in(root)),
        volunteer=lambda own: m.HeadcountLine.shift_id.in_(_own("shift_id", own)),
    ),
)
register_scope(
    m.Roster,
    ScopeRule(
        coordinator=lambda root: m.Roster.organisation_id.in_(subtree_ids(root)),
        volunteer=lambda own: m.Roster.id.in_(_own("roster_id", own)),
    ),
)
register_scope(
    m.RosterRun,
    ScopeRule(coordinator=lambda root: m.RosterRun.organisation_id.in_(subtree_ids(root))),
)


def _rosters_in(root: int) -> Select[Any]:
    r = aliased(m.Roster)
    return select(r.id).where(r.organisation_id.in_(subtree_ids(root)))


register_scope(
    m.Assignment,
    ScopeRule(
        coordinator=lambda root: m.Assignment.roster_id.in_(_rosters_in(root)),
        volunteer=lambda own: m.Assignment.volunteer_id == own,
    ),
)


def _stocks_for_coordinator(root: int) -> Condition:
    u = aliased(m.Unit)
    units = select(u.id).where(u.organisation_id.in_(subtree_ids(root)))
    return m.ProtectiveStock.owner_unit_id.in_(units)


register_scope(
    m.ProtectiveStock,
    ScopeRule(
        coordinator=_stocks_for_coordinator,
        volunteer=lambda own: m.ProtectiveStock.id.in_(_own("stock_id", own)),
    ),
)
# The audit log and API keys: admins only (no rule for anyone else).
register_scope(m.AuditEntry, ScopeRule(scheduler=False))


async def screen(session: AsyncSession, viewer: Viewer | None, found: list[Any]) -> list[Any]:
    """``found`` (rows, or lists of rows, per key) less the rows the viewer may not see.

    For loaders that build their own queries: one statement per table that is cut.
    """
    rows: dict[type[Any], set[int]] = defaultdict(set)
    for item in found:
        for row in item if isinstance(item, list) else [item]:
            if isinstance(row, m.Base) and hasattr(row, "id"):
                rows[type(row)].add(row.id)
    hidden: set[tuple[type[Any], int]] = set()
    for model, ids in rows.items():
        allowed = visible(model, viewer)
        if allowed is None:
            continue
        seen = set(
            (await session.scalars(select(model.id).where(model.id.in_(ids), allowed))).all()
        )
        hidden |= {(model, i) for i in ids - seen}
    if not hidden:
        return found

    def keep(row: Any) -> bool:
        return not (isinstance(row, m.Base) and (type(row), getattr(row, "id", None)) in hidden)

    return [
        [r for r in item if keep(r)] if isinstance(item, list) else (item if keep(item) else None)
        for item in found
    ]
