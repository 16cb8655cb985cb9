"""Who may see and change what: the checks resolvers and mutations call.

Roles (``resolvers.viewer.Role``): **admin** (everything, and the audit log); **scheduler**
(the whole centre); **coordinator** (their organisation and everything below it, by the
organisations' materialised ``path``); **volunteer** (their own record, shifts, assignments,
availability and health reports).

Reads are cut in SQL by ``resolvers.scope``: list fields (``schema.lists.connection``), the
request's loaders and ``node`` only ever return rows in scope, and a nested object out of
scope is refused with a FORBIDDEN error. Mutations are checked twice by
``resolvers.mutation_rules`` (every mutation of the schema, deny by default): before they run
(the caller's role, and every id in the input must be in scope) and before they commit (the
object written must be in scope). Every mutation and every refusal is audited.

The API for resolvers and mutations (all take strawberry's ``info``)::

    viewer = require_role(info, Role.SCHEDULER, Role.COORDINATOR)  # admin always passes
    await require_scope(info, organisation_id=org_id)  # org within the caller's subtree
    await require_scope(info, volunteer_id=vid)  # volunteer within scope (own, for volunteers)
    await require_visible(info, m.Shift, shift_id)  # any row the caller may see
    if not await may_read_private(info, volunteer_id=v, organisation_id=o): ...
    raise deny(info, "why", objects=[("Shift", 12)])  # a Forbidden error, audited

Each ``require_*`` returns quietly or raises ``Forbidden`` (code FORBIDDEN), which the
client reads as a GraphQL error on the field. An id that names nothing passes the scope checks,
so the mutation itself can answer NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from graphql import GraphQLError

from db import models as m
from db.services.audit import ACCESS, DENIED, AuditDraft
from resolvers.scope import visible
from resolvers.viewer import Role, Viewer

FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"

# The audit entry of the mutation running in this task (set by ``schema.audit.guard``); a
# context variable, so operations running side by side on one WebSocket never mix entries.
CURRENT_MUTATION: ContextVar[AuditDraft | None] = ContextVar("current_mutation", default=None)


class Forbidden(GraphQLError):
    """The caller may not see or do this; the field is null and the error says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": FORBIDDEN})


def viewer_of(info: Any) -> Viewer:
    """The request's caller; a request without one is refused."""
    viewer = getattr(info.context, "viewer", None)
    if viewer is None:
        raise GraphQLError("Authentication required.", extensions={"code": UNAUTHENTICATED})
    return viewer


def operation_name(info: Any) -> str | None:
    """The name the client gave its operation, if any."""
    operation = getattr(info, "operation", None)
    name = getattr(operation, "name", None)
    return name.value if name is not None else None


def field_action(info: Any) -> str:
    """``Type.field`` of the field being resolved, e.g. ``Volunteer.phone``."""
    path = getattr(info, "path", None)
    parent = getattr(path, "typename", None) or "Query"
    return f"{parent}.{info.field_name}"


def draft(
    info: Any,
    *,
    kind: str,
    action: str,
    outcome: str,
    detail: str | None = None,
    objects: Iterable[tuple[str, int]] = (),
) -> AuditDraft:
    """An audit entry for this request's caller and operation (not yet written)."""
    viewer = getattr(info.context, "viewer", None)
    return AuditDraft(
        actor=viewer.subject if viewer else "anonymous",
        role=viewer.role.value if viewer else None,
        kind=kind,
        action=action,
        outcome=outcome,
        operation=operation_name(info),
        detail=detail,
        objects=list(objects),
    )


def deny(info: Any, message: str, *, objects: Iterable[tuple[str, int]] = ()) -> Forbidden:
    """A Forbidden error to raise, with the refusal queued for the audit log."""
    objects = list(objects)
    entry = draft(
        info,
        kind=ACCESS,
        action=field_action(info),
        outcome=DENIED,
        detail=message,
        objects=objects,
    )
    queue = getattr(info.context, "audit", None)
    if queue is not None and all(d.key() != entry.key() for d in queue):
        queue.append(entry)
    return Forbidden(message)


def require_role(info: Any, *roles: Role) -> Viewer:
    """The caller, if their role is one of ``roles`` (admins always are)."""
    viewer = viewer_of(info)
    if viewer.role is not Role.ADMIN and viewer.role not in roles:
        allowed = ", ".join(sorted({Role.ADMIN.value, *(r.value for r in roles)}))
        raise deny(info, f"Your role ({viewer.role.value}) may not do this; it needs: {allowed}.")
    return viewer


async def is_visible(info: Any, model: type[Any], ident: int) -> bool | None:
    """True if the caller may see row ``ident`` of ``model``, False if not, None if absent."""
    loader = info.context.loaders.by_id(model)
    row = await loader.load(ident)
    if row is not None:
        return True
    return False if ident in getattr(loader, "denied", ()) else None


async def require_visible(info: Any, model: type[Any], ident: int | None) -> None:
    """Refuse unless row ``ident`` of ``model`` is within the caller's scope (or absent)."""
    viewer_of(info)
    if ident is None or visible(model, info.context.viewer) is None:
        return
    if await is_visible(info, model, ident) is False:
        name = getattr(model, "__name__", str(model))
        raise deny(info, f"{name} {ident} is outside your scope.", objects=[(name, ident)])


async def require_scope(
    info: Any, *, organisation_id: int | None = None, volunteer_id: int | None = None
) -> Viewer:
    """Refuse unless the caller may act on this organisation's subtree or this volunteer.

    Volunteers act on their own record only, never on an organisation.
    """
    viewer = viewer_of(info)
    if viewer.whole_centre:
        return viewer
    if organisation_id is not None:
        if viewer.role is Role.VOLUNTEER:
            raise deny(
                info,
                "Volunteers may not act on an organisation.",
                objects=[("Organisation", organisation_id)],
            )
        await require_visible(info, m.Organisation, organisation_id)
    if volunteer_id is not None:
        await require_visible(info, m.Volunteer, volunteer_id)
    return viewer


async def may_read_private(info: Any, *, volunteer_id: int, organisation_id: int) -> bool:
    """Whether the caller may read this volunteer's phone, ID number and health reports:
    admins, schedulers, coordinators whose subtree holds the volunteer, the volunteer."""
    viewer = getattr(info.context, "viewer", None)
    if viewer is None:
        return False
    if viewer.whole_centre:
        return True
    if viewer.role is Role.VOLUNTEER:
        return viewer.volunteer_id == volunteer_id
    if viewer.role is Role.COORDINATOR:
        return await is_visible(info, m.Organisation, organisation_id) is True
    return False


async def private_value(info: Any, volunteer: Any, field: str, value: Any) -> Any:
    """``value`` if the caller may read ``volunteer``'s private data, else a Forbidden error."""
    if await may_read_private(
        info, volunteer_id=volunteer.id, organisation_id=volunteer.organisation_id
    ):
        return value
    raise deny(
        info,
        f"`{field}` is private: only admins, schedulers, the volunteer's coordinators and the "
        "volunteer may read it.",
        objects=[("Volunteer", volunteer.id)],
    )


async def check_write(info: Any, session: Any, result: Any) -> None:
    """Before a mutation commits: refuse a written row outside the caller's scope, and add the
    mutation's audit entry to the same transaction (so a change is never left untraced)."""
    from sqlalchemy import select

    from db.services.audit import add_entries

    viewer = getattr(info.context, "viewer", None)
    rows = [r for r in (result if isinstance(result, list) else [result]) if _is_row(r)]
    for row in rows:
        model = type(row)
        allowed = visible(model, viewer)
        if allowed is None:
            continue
        query = select(model.id).where(model.id == row.id, allowed)
        if await session.scalar(query) is None:
            raise deny(
                info,
                f"This change would leave {model.__name__} {row.id} outside your scope.",
                objects=[(model.__name__, row.id)],
            )
    entry = CURRENT_MUTATION.get()
    if entry is not None and not entry.written:
        entry.objects.extend((type(r).__name__, r.id) for r in rows)
        add_entries(session, [entry])


def _is_row(value: Any) -> bool:
    return isinstance(value, m.Base) and isinstance(getattr(value, "id", None), int)
