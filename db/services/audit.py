"""Writing the audit log: drafts gathered during a request, stored in one go."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models.audit import AuditEntry, AuditObject
from db.session import transaction

log = structlog.get_logger("muster.audit")

MUTATION = "MUTATION"
ACCESS = "ACCESS"

OK = "OK"
REJECTED = "REJECTED"  # the mutation ran and refused its input (user errors); nothing written
DENIED = "DENIED"  # the caller may not do or see this
ERROR = "ERROR"  # the mutation failed with an error


@dataclass(slots=True)
class AuditDraft:
    """One entry to write: ids and codes only, never a private value."""

    actor: str
    role: str | None
    kind: str
    action: str
    outcome: str
    operation: str | None = None
    detail: str | None = None
    objects: list[tuple[str, int]] = field(default_factory=list)
    written: bool = False

    def key(self) -> tuple[object, ...]:
        """Identity within one request, so a denial repeated by aliases is written once."""
        return (self.kind, self.action, self.outcome, self.detail, tuple(self.objects))


def add_entries(session: AsyncSession, drafts: Iterable[AuditDraft]) -> list[AuditEntry]:
    """Add the drafts to ``session`` (the caller commits) and mark them written."""
    entries = []
    for draft in drafts:
        entry = AuditEntry(
            actor=draft.actor[:200],
            role=draft.role,
            kind=draft.kind,
            action=draft.action[:200],
            operation=(draft.operation or None) and draft.operation[:200],
            outcome=draft.outcome,
            detail=draft.detail,
            objects=[
                AuditObject(position=i, type_name=type_name[:64], object_id=object_id)
                for i, (type_name, object_id) in enumerate(dict.fromkeys(draft.objects))
            ],
        )
        session.add(entry)
        entries.append(entry)
        draft.written = True
    return entries


async def write_drafts(
    sessionmaker: async_sessionmaker[AsyncSession], drafts: Iterable[AuditDraft]
) -> None:
    """Store the drafts not yet written, in one transaction of their own.

    A failure is logged loudly and does not change the caller's answer.
    """
    pending = [d for d in drafts if not d.written]
    if not pending:
        return
    for draft in pending:  # claimed first, so two operations never store one draft twice
        draft.written = True
    try:
        async with transaction(sessionmaker) as session:
            add_entries(session, pending)
    except Exception:
        log.exception("audit write failed", entries=len(pending))
