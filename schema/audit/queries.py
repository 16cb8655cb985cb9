"""The root field listing the audit log (admins only)."""

from __future__ import annotations

import strawberry

from resolvers.audit import AUDIT_ORDER, AuditCriteria, audit_entries_query
from resolvers.permissions import require_role
from schema.audit.filters import AuditEntryFilter, AuditEntryOrder
from schema.audit.types import AuditEntry
from schema.lists import list_field


@strawberry.type
class AuditQueries:
    audit_entries = list_field(
        AuditEntry,
        filter_type=AuditEntryFilter,
        order_type=AuditEntryOrder,
        criteria=AuditCriteria,
        query=audit_entries_query,
        orders=AUDIT_ORDER,
        description="The audit log, newest first: mutations and refused accesses (admins only).",
        check=require_role,  # with no role named, admins only
    )
