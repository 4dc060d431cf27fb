"""The planner's tables: settings without a profile column, and the rule-of-two movement with
its steps and the days it was done.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planner_settings",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_planner_settings_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_planner_settings")),
    )
    op.create_table(
        "progression_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("baseline_minutes", sa.Float(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "baseline_minutes > 0", name=op.f("ck_progression_movements_baseline_positive")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_progression_movements_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progression_movements")),
    )
    op.create_index(
        "ix_progression_movements_profile", "progression_movements", ["profile_id"], unique=False
    )
    op.create_table(
        "progression_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("level_minutes", sa.Float(), nullable=False),
        sa.CheckConstraint("level_minutes > 0", name=op.f("ck_progression_steps_level_positive")),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["progression_movements.id"],
            name=op.f("fk_progression_steps_movement_id_progression_movements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progression_steps")),
        sa.UniqueConstraint("movement_id", "day", name=op.f("uq_progression_steps_movement_id")),
    )
    op.create_table(
        "progression_days",
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["progression_movements.id"],
            name=op.f("fk_progression_days_movement_id_progression_movements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("movement_id", "day", name=op.f("pk_progression_days")),
    )


def downgrade() -> None:
    op.drop_table("progression_days")
    op.drop_table("progression_steps")
    op.drop_index("ix_progression_movements_profile", table_name="progression_movements")
    op.drop_table("progression_movements")
    op.drop_table("planner_settings")
