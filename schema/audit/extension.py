"""Stores each operation's pending audit entries when it ends, over HTTP and WebSocket alike."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from db.services.audit import write_drafts


class AuditWriter(SchemaExtension):
    """Writes the refusals and unwritten mutation entries an operation left on its context."""

    async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
        try:
            yield
        finally:  # also when a subscription's stream is closed or cancelled early
            context = self.execution_context.context
            drafts = getattr(context, "audit", None)
            if drafts and any(not d.written for d in drafts):
                await asyncio.shield(write_drafts(context.sessionmaker, drafts))
