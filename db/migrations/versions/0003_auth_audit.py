"""Authentication and audit: API keys for machine callers and the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool, default: bool = False) -> sa.Column:
    server_default = sa.text("(CURRENT_TIMESTAMP)") if default else None
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=server_default, nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("created_at", nullable=False, default=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_actor_created_at", ["actor", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_entries_action_created_at", ["action", "created_at"], unique=False
        )

    op.create_table(
        "audit_objects",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type_name", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["audit_entries.id"],
            name=op.f("fk_audit_objects_entry_id_audit_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "position", name=op.f("pk_audit_objects")),
    )
    with op.batch_alter_table("audit_objects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_objects_type_name_object_id", ["type_name", "object_id"], unique=False
        )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("created_at", nullable=False, default=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        _timestamp("expires_at", nullable=True),
        _timestamp("revoked_at", nullable=True),
        sa.CheckConstraint(
            "role <> 'coordinator' OR organisation_id IS NOT NULL",
            name=op.f("ck_api_keys_org_scope"),
        ),
        sa.CheckConstraint(
            "role <> 'volunteer' OR volunteer_id IS NOT NULL",
            name=op.f("ck_api_keys_volunteer_scope"),
        ),
        sa.CheckConstraint(
            "role IN ('admin', 'scheduler', 'coordinator', 'volunteer')",
            name=op.f("ck_api_keys_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_api_keys_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_api_keys_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("name", name=op.f("uq_api_keys_name")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_keys_prefix")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_keys_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_keys_volunteer_id"), ["volunteer_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("api_keys")
    op.drop_table("audit_objects")
    op.drop_table("audit_entries")
