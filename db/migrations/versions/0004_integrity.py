"""Integrity: row versions, idempotency keys and no overlapping active assignments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_OVERLAP = "ex_assignments_no_overlap"


def _register_tables(*, with_version: bool) -> list[str]:
    """Tables with the register's common columns (``updated_at``), with or without ``version``."""
    inspector = sa.inspect(op.get_bind())
    found = []
    for table in inspector.get_table_names():
        columns = {c["name"] for c in inspector.get_columns(table)}
        if "updated_at" in columns and ("version" in columns) == with_version:
            found.append(table)
    return sorted(found)


def upgrade() -> None:
    # Every register table (those of earlier revisions too) gets a row version.
    for table in _register_tables(with_version=False):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
            )

    # The shift's window and whether the assignment counts, copied onto each assignment.
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE assignments SET"
        " starts_at = (SELECT starts_at FROM shifts WHERE shifts.id = assignments.shift_id),"
        " ends_at = (SELECT ends_at FROM shifts WHERE shifts.id = assignments.shift_id),"
        " active = (status <> 'CANCELLED' AND EXISTS (SELECT 1 FROM rosters"
        " WHERE rosters.id = assignments.roster_id AND rosters.status = 'PUBLISHED'))"
    )
    with op.batch_alter_table("assignments") as batch:
        batch.alter_column("starts_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("ends_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE assignments ADD CONSTRAINT {NO_OVERLAP} EXCLUDE USING gist"
            " (volunteer_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (active)"
            " DEFERRABLE INITIALLY DEFERRED"
        )

    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caller", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint("caller", "key", name=op.f("uq_idempotency_records_caller_key")),
    )
    op.create_index(
        "ix_idempotency_records_expires_at", "idempotency_records", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_idempotency_records_expires_at", table_name="idempotency_records")
    op.drop_table("idempotency_records")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE assignments DROP CONSTRAINT IF EXISTS {NO_OVERLAP}")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("active")
        batch.drop_column("ends_at")
        batch.drop_column("starts_at")
    for table in _register_tables(with_version=True):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
