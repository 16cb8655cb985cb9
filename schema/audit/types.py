"""GraphQL type of audit entries."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay

from db import models as m
from schema.base import RegisterNode


@strawberry.enum(description="What an entry records.")
class AuditKind(enum.Enum):
    MUTATION = "MUTATION"
    ACCESS = "ACCESS"


@strawberry.enum(description="How it ended.")
class AuditOutcome(enum.Enum):
    OK = "OK"
    REJECTED = "REJECTED"
    DENIED = "DENIED"
    ERROR = "ERROR"


@strawberry.type(
    description="A mutation or a refused access: who, what, when, the outcome and the ids "
    "concerned (never the values sent or refused)."
)
class AuditEntry(RegisterNode):
    model = m.AuditEntry

    id: relay.NodeID[int]
    at: datetime
    actor: str = strawberry.field(description="The credential's subject, e.g. api-key:nightly.")
    role: str | None
    kind: AuditKind
    action: str = strawberry.field(
        description="The mutation's name, or the field refused (e.g. Volunteer.phone)."
    )
    operation: str | None = strawberry.field(description="The GraphQL operation's name.")
    outcome: AuditOutcome
    detail: str | None = strawberry.field(description="Error codes, input fields, reasons.")
    object_ids: list[relay.GlobalID] = strawberry.field(description="The objects concerned.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=row.id,
            at=row.created_at,
            actor=row.actor,
            role=row.role,
            kind=AuditKind(row.kind),
            action=row.action,
            operation=row.operation,
            outcome=AuditOutcome(row.outcome),
            detail=row.detail,
            object_ids=[relay.GlobalID(o.type_name, str(o.object_id)) for o in row.objects],
        )
