"""Roster runs: who asked, the solver process and its heartbeat, notes; gaps with reasons.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 23:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("roster_runs") as batch:
        batch.add_column(
            sa.Column("trigger", sa.String(length=32), server_default="ON_DEMAND", nullable=False)
        )
        batch.add_column(sa.Column("requested_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("unfilled_heads", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("notes", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("objective_terms", sa.JSON(), nullable=False, server_default="{}")
        )
        batch.add_column(sa.Column("bound_source", sa.Text(), nullable=True))
    op.create_table(
        "roster_gaps",
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("headcount_line_id", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("missing > 0", name=op.f("ck_roster_gaps_missing_positive")),
        sa.ForeignKeyConstraint(
            ["headcount_line_id"],
            ["headcount_lines.id"],
            name=op.f("fk_roster_gaps_headcount_line_id_headcount_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["rosters.id"],
            name=op.f("fk_roster_gaps_roster_id_rosters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_gaps")),
        sa.UniqueConstraint(
            "roster_id",
            "headcount_line_id",
            name=op.f("uq_roster_gaps_roster_id_headcount_line_id"),
        ),
    )
    op.create_index(op.f("ix_roster_gaps_headcount_line_id"), "roster_gaps", ["headcount_line_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_roster_gaps_headcount_line_id"), table_name="roster_gaps")
    op.drop_table("roster_gaps")
    with op.batch_alter_table("roster_runs") as batch:
        for column in (
            "bound_source",
            "objective_terms",
            "notes",
            "unfilled_heads",
            "heartbeat_at",
            "host",
            "pid",
            "requested_by",
            "trigger",
        ):
            batch.drop_column(column)
