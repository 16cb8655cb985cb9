"""The register: organisations, units, volunteers, posts, stocks, rosters and runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 13:22:12.776271
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "CENTRE",
                "SUB_CENTRE",
                "INSTITUTE",
                "STATION",
                "POINT",
                name="level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=512), nullable=False),
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
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_organisations_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisations.id"],
            name=op.f("fk_organisations_parent_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("code", name=op.f("uq_organisations_code")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_organisations_path", ["path"], unique=False)

    op.create_table(
        "protective_items",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protective_items")),
        sa.UniqueConstraint("code", name=op.f("uq_protective_items_code")),
    )
    op.create_table(
        "skills",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "PUBLICITY_GUIDANCE",
                "CARE_GUARDING",
                "MEASUREMENT_SCREENING",
                "SANITATION_DISINFECTION",
                "INFORMATION_SERVICE",
                "PSYCHOLOGICAL_COMFORT",
                name="service_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("code", name=op.f("uq_skills_code")),
    )
    op.create_table(
        "trainings",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=True),
        sa.Column("validity_days", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "validity_days IS NULL OR validity_days > 0",
            name=op.f("ck_trainings_validity_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainings")),
        sa.UniqueConstraint("code", name=op.f("uq_trainings_code")),
    )
    op.create_table(
        "roster_runs",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "QUEUED",
                "RUNNING",
                "SUCCEEDED",
                "FAILED",
                "CANCELLED",
                name="run_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("time_limit_seconds", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("problem_size", sa.JSON(), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("changed_assignments", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
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
        sa.CheckConstraint(
            "finished_at IS NULL OR finished_at >= started_at",
            name=op.f("ck_roster_runs_finish_after_start"),
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_roster_runs_period_ordered")
        ),
        sa.CheckConstraint(
            "time_limit_seconds > 0", name=op.f("ck_roster_runs_time_limit_positive")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_roster_runs_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_runs")),
    )
    with op.batch_alter_table("roster_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_roster_runs_organisation_id_status", ["organisation_id", "status"], unique=False
        )

    op.create_table(
        "units",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "AGENCY",
                "COMPANY",
                "PROFESSIONAL_TEAM",
                "COMMUNITY",
                name="unit_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_units_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("name", name=op.f("uq_units_name")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_units_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "grids",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("claimed_by_unit_id", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
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
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("ck_grids_latitude_range")),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name=op.f("ck_grids_longitude_range")),
        sa.ForeignKeyConstraint(
            ["claimed_by_unit_id"],
            ["units.id"],
            name=op.f("fk_grids_claimed_by_unit_id_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_grids_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grids")),
        sa.UniqueConstraint("code", name=op.f("uq_grids_code")),
    )
    with op.batch_alter_table("grids", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grids_claimed_by_unit_id"), ["claimed_by_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_grids_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "protective_stocks",
        sa.Column("owner_unit_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
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
        sa.CheckConstraint(
            "quantity >= 0", name=op.f("ck_protective_stocks_quantity_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["protective_items.id"],
            name=op.f("fk_protective_stocks_item_id_protective_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_unit_id"],
            ["units.id"],
            name=op.f("fk_protective_stocks_owner_unit_id_units"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protective_stocks")),
    )
    with op.batch_alter_table("protective_stocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_protective_stocks_owner_unit_id"), ["owner_unit_id"], unique=False
        )
        batch_op.create_index(
            "uq_protective_stocks_reserve_item_day",
            ["item_id", "day"],
            unique=True,
            sqlite_where=sa.text("owner_unit_id IS NULL"),
            postgresql_where=sa.text("owner_unit_id IS NULL"),
        )
        batch_op.create_index(
            "uq_protective_stocks_unit_item_day",
            ["owner_unit_id", "item_id", "day"],
            unique=True,
            sqlite_where=sa.text("owner_unit_id IS NOT NULL"),
            postgresql_where=sa.text("owner_unit_id IS NOT NULL"),
        )

    op.create_table(
        "rosters",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PROPOSED",
                "PUBLISHED",
                "ARCHIVED",
                name="roster_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_rosters_period_ordered")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_rosters_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["roster_runs.id"],
            name=op.f("fk_rosters_run_id_roster_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rosters")),
    )
    with op.batch_alter_table("rosters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rosters_organisation_id_status", ["organisation_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_rosters_run_id"), ["run_id"], unique=False)

    op.create_table(
        "checkpoints",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ROAD_CHECKPOINT",
                "GRID_GATE",
                "TESTING_STATION",
                "MARKET_PATROL",
                "HOTLINE",
                name="checkpoint_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("using_unit_id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column(
            "risk_level",
            sa.Enum(
                "LOW",
                "MEDIUM",
                "HIGH",
                name="risk_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("priority", sa.Integer(), nullable=False),
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
        sa.CheckConstraint(
            "latitude BETWEEN -90 AND 90", name=op.f("ck_checkpoints_latitude_range")
        ),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_checkpoints_longitude_range")
        ),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name=op.f("ck_checkpoints_priority_range")),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["grids.id"],
            name=op.f("fk_checkpoints_grid_id_grids"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_checkpoints_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["using_unit_id"],
            ["units.id"],
            name=op.f("fk_checkpoints_using_unit_id_units"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
        sa.UniqueConstraint("code", name=op.f("uq_checkpoints_code")),
    )
    with op.batch_alter_table("checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkpoints_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_checkpoints_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_checkpoints_using_unit_id"), ["using_unit_id"], unique=False
        )

    op.create_table(
        "volunteers",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "AGENCY",
                "SOCIAL",
                "PROFESSIONAL",
                name="volunteer_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("home_grid_id", sa.Integer(), nullable=True),
        sa.Column("home_latitude", sa.Float(), nullable=False),
        sa.Column("home_longitude", sa.Float(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("id_number", sa.String(length=32), nullable=False),
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
        sa.CheckConstraint(
            "kind <> 'AGENCY' OR unit_id IS NOT NULL", name=op.f("ck_volunteers_agency_has_unit")
        ),
        sa.CheckConstraint(
            "home_latitude BETWEEN -90 AND 90", name=op.f("ck_volunteers_latitude_range")
        ),
        sa.CheckConstraint(
            "home_longitude BETWEEN -180 AND 180", name=op.f("ck_volunteers_longitude_range")
        ),
        sa.ForeignKeyConstraint(
            ["home_grid_id"],
            ["grids.id"],
            name=op.f("fk_volunteers_home_grid_id_grids"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_volunteers_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_volunteers_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteers")),
        sa.UniqueConstraint("id_number", name=op.f("uq_volunteers_id_number")),
    )
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteers_home_grid_id"), ["home_grid_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteers_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_volunteers_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "availabilities",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_availabilities_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_availabilities_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availabilities")),
    )
    with op.batch_alter_table("availabilities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_availabilities_volunteer_id_starts_at", ["volunteer_id", "starts_at"], unique=False
        )

    op.create_table(
        "certificates",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("passed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
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
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on >= passed_on",
            name=op.f("ck_certificates_expiry_after_pass"),
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["trainings.id"],
            name=op.f("fk_certificates_training_id_trainings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_certificates_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint(
            "volunteer_id",
            "training_id",
            "passed_on",
            name=op.f("uq_certificates_volunteer_id_training_id_passed_on"),
        ),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificates_training_id"), ["training_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certificates_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "checkpoint_required_trainings",
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_checkpoint_required_trainings_checkpoint_id_checkpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["trainings.id"],
            name=op.f("fk_checkpoint_required_trainings_training_id_trainings"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "checkpoint_id", "training_id", name=op.f("pk_checkpoint_required_trainings")
        ),
    )
    with op.batch_alter_table("checkpoint_required_trainings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_checkpoint_required_trainings_training_id", ["training_id"], unique=False
        )

    op.create_table(
        "health_reports",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "WELL",
                "UNWELL",
                name="health_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
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
        sa.CheckConstraint(
            "temperature IS NULL OR temperature BETWEEN 30 AND 45",
            name=op.f("ck_health_reports_temperature_range"),
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_health_reports_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_reports")),
    )
    with op.batch_alter_table("health_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_health_reports_volunteer_id_day", ["volunteer_id", "day"], unique=False
        )

    op.create_table(
        "shifts",
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shift_type", sa.String(length=32), nullable=False),
        sa.Column("kit_item_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_shifts_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_shifts_checkpoint_id_checkpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kit_item_id"],
            ["protective_items.id"],
            name=op.f("fk_shifts_kit_item_id_protective_items"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
    )
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shifts_checkpoint_id_starts_at", ["checkpoint_id", "starts_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_shifts_kit_item_id"), ["kit_item_id"], unique=False)
        batch_op.create_index("ix_shifts_starts_at", ["starts_at"], unique=False)

    op.create_table(
        "volunteer_skills",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skills.id"],
            name=op.f("fk_volunteer_skills_skill_id_skills"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_volunteer_skills_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("volunteer_id", "skill_id", name=op.f("pk_volunteer_skills")),
    )
    with op.batch_alter_table("volunteer_skills", schema=None) as batch_op:
        batch_op.create_index("ix_volunteer_skills_skill_id", ["skill_id"], unique=False)

    op.create_table(
        "headcount_lines",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("max_over_cover", sa.Integer(), nullable=False),
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
        sa.CheckConstraint("headcount > 0", name=op.f("ck_headcount_lines_headcount_positive")),
        sa.CheckConstraint(
            "max_over_cover >= 0", name=op.f("ck_headcount_lines_over_cover_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_headcount_lines_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skills.id"],
            name=op.f("fk_headcount_lines_skill_id_skills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_headcount_lines")),
        sa.UniqueConstraint(
            "shift_id", "skill_id", name=op.f("uq_headcount_lines_shift_id_skill_id")
        ),
    )
    with op.batch_alter_table("headcount_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_headcount_lines_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_headcount_lines_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "assignments",
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("headcount_line_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PROPOSED",
                "CONFIRMED",
                "CANCELLED",
                name="assignment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("stock_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["headcount_line_id"],
            ["headcount_lines.id"],
            name=op.f("fk_assignments_headcount_line_id_headcount_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["rosters.id"],
            name=op.f("fk_assignments_roster_id_rosters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_assignments_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stock_id"],
            ["protective_stocks.id"],
            name=op.f("fk_assignments_stock_id_protective_stocks"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_assignments_volunteer_id_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "roster_id",
            "shift_id",
            "volunteer_id",
            name=op.f("uq_assignments_roster_id_shift_id_volunteer_id"),
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_headcount_line_id"), ["headcount_line_id"], unique=False
        )
        batch_op.create_index("ix_assignments_shift_id", ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_stock_id"), ["stock_id"], unique=False)
        batch_op.create_index("ix_assignments_volunteer_id", ["volunteer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_volunteer_id")
        batch_op.drop_index(batch_op.f("ix_assignments_stock_id"))
        batch_op.drop_index("ix_assignments_shift_id")
        batch_op.drop_index(batch_op.f("ix_assignments_headcount_line_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("headcount_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_headcount_lines_skill_id"))
        batch_op.drop_index(batch_op.f("ix_headcount_lines_shift_id"))

    op.drop_table("headcount_lines")
    with op.batch_alter_table("volunteer_skills", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_skills_skill_id")

    op.drop_table("volunteer_skills")
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_index("ix_shifts_starts_at")
        batch_op.drop_index(batch_op.f("ix_shifts_kit_item_id"))
        batch_op.drop_index("ix_shifts_checkpoint_id_starts_at")

    op.drop_table("shifts")
    with op.batch_alter_table("health_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_health_reports_volunteer_id_day")

    op.drop_table("health_reports")
    with op.batch_alter_table("checkpoint_required_trainings", schema=None) as batch_op:
        batch_op.drop_index("ix_checkpoint_required_trainings_training_id")

    op.drop_table("checkpoint_required_trainings")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_training_id"))

    op.drop_table("certificates")
    with op.batch_alter_table("availabilities", schema=None) as batch_op:
        batch_op.drop_index("ix_availabilities_volunteer_id_starts_at")

    op.drop_table("availabilities")
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteers_unit_id"))
        batch_op.drop_index(batch_op.f("ix_volunteers_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_volunteers_home_grid_id"))

    op.drop_table("volunteers")
    with op.batch_alter_table("checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkpoints_using_unit_id"))
        batch_op.drop_index(batch_op.f("ix_checkpoints_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_checkpoints_grid_id"))

    op.drop_table("checkpoints")
    with op.batch_alter_table("rosters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rosters_run_id"))
        batch_op.drop_index("ix_rosters_organisation_id_status")

    op.drop_table("rosters")
    with op.batch_alter_table("protective_stocks", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_protective_stocks_unit_item_day",
            sqlite_where=sa.text("owner_unit_id IS NOT NULL"),
            postgresql_where=sa.text("owner_unit_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_protective_stocks_reserve_item_day",
            sqlite_where=sa.text("owner_unit_id IS NULL"),
            postgresql_where=sa.text("owner_unit_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_protective_stocks_owner_unit_id"))

    op.drop_table("protective_stocks")
    with op.batch_alter_table("grids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grids_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_grids_claimed_by_unit_id"))

    op.drop_table("grids")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_organisation_id"))

    op.drop_table("units")
    with op.batch_alter_table("roster_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_runs_organisation_id_status")

    op.drop_table("roster_runs")
    op.drop_table("trainings")
    op.drop_table("skills")
    op.drop_table("protective_items")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_path")
        batch_op.drop_index(batch_op.f("ix_organisations_parent_id"))

    op.drop_table("organisations")
