"""Filter and order inputs of the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry import relay

from resolvers.audit import AuditCriteria
from schema.audit.types import AuditKind, AuditOutcome
from schema.base import OrderDirection


@strawberry.input(description="Audit entries matching every given criterion.")
class AuditEntryFilter:
    actor: str | None = strawberry.field(default=None, description="The subject, exactly.")
    actions: list[str] | None = strawberry.field(
        default=None, description="Mutation names or refused fields, e.g. createShift."
    )
    kinds: list[AuditKind] | None = None
    outcomes: list[AuditOutcome] | None = None
    object_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Entries concerning this object."
    )
    since: datetime | None = strawberry.field(default=None, description="At or after.")
    until: datetime | None = strawberry.field(default=None, description="Before.")

    def criteria(self) -> AuditCriteria:
        oid = self.object_id
        return AuditCriteria(
            actor=self.actor,
            actions=self.actions,
            kinds=[k.value for k in self.kinds] if self.kinds else None,
            outcomes=[o.value for o in self.outcomes] if self.outcomes else None,
            object_type=oid.type_name if oid else None,
            object_id=int(oid.node_id) if oid and oid.node_id.isdigit() else (-1 if oid else None),
            since=self.since,
            until=self.until,
        )


@strawberry.enum
class AuditEntryOrderField(enum.Enum):
    AT = "AT"
    ID = "ID"


@strawberry.input
class AuditEntryOrder:
    field: AuditEntryOrderField = AuditEntryOrderField.AT
    direction: OrderDirection = OrderDirection.DESC
