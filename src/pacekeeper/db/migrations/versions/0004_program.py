"""The daily program: chapters a profile has read, the steps it made goals, and daily ticks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chapter_reads",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.String(length=80), nullable=False),
        sa.Column("first_read_on", sa.Date(), nullable=False),
        sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_chapter_reads_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "chapter_id", name=op.f("pk_chapter_reads")),
    )
    op.create_table(
        "program_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_program_goals_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_goals")),
        sa.UniqueConstraint("profile_id", "chapter_id", name=op.f("uq_program_goals_profile_id")),
    )
    op.create_table(
        "goal_ticks",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["program_goals.id"],
            name=op.f("fk_goal_ticks_goal_id_program_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("goal_id", "day", name=op.f("pk_goal_ticks")),
    )


def downgrade() -> None:
    op.drop_table("goal_ticks")
    op.drop_table("program_goals")
    op.drop_table("chapter_reads")
