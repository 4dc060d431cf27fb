"""Questionnaires: filled-in responses with their scores, and a per-profile schedule.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_questionnaire_responses_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_responses")),
    )
    op.create_index(
        "ix_questionnaire_responses_profile",
        "questionnaire_responses",
        ["profile_id", "instrument", "taken_at"],
        unique=False,
    )
    op.create_table(
        "questionnaire_schedules",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("every_days", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "every_days BETWEEN 1 AND 730",
            name=op.f("ck_questionnaire_schedules_every_days_range"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_questionnaire_schedules_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "profile_id", "instrument", name=op.f("pk_questionnaire_schedules")
        ),
    )


def downgrade() -> None:
    op.drop_table("questionnaire_schedules")
    op.drop_index("ix_questionnaire_responses_profile", table_name="questionnaire_responses")
    op.drop_table("questionnaire_responses")
