"""Migrations go up, down and up again on both databases, and the migrated schema is exactly the
SQLAlchemy tables (no differences at all, types and server defaults included)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from pacekeeper.db import Database
from pacekeeper.db.migrate import alembic_config, downgrade, upgrade
from pacekeeper.db.schema_head import HEAD, at_head
from pacekeeper.db.tables import Base

TABLES = {
    "profiles",
    "trackers",
    "checkins",
    "checkin_values",
    "activities",
    "rests",
    "sample_parts",
    "accounts",
    "auth_sessions",
    "planner_settings",
    "progression_movements",
    "progression_steps",
    "progression_days",
    "chapter_reads",
    "program_goals",
    "goal_ticks",
    "questionnaire_responses",
    "questionnaire_schedules",
    "treatments",
    "share_links",
}


def tables(db: Database) -> set[str]:
    with db.write_engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def current_revision(db: Database) -> str | None:
    with db.write_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head(db: Database) -> str:
    heads = ScriptDirectory.from_config(alembic_config(db)).get_heads()
    assert len(heads) == 1, f"migrations have branched: {heads}"
    return heads[0]


def test_metadata_lists_the_expected_tables() -> None:
    assert set(Base.metadata.tables) == TABLES


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert tables(db) == set()
        upgrade(db)
        assert tables(db) - {"alembic_version"} == TABLES
        assert current_revision(db) == head(db)

        downgrade(db, "base")
        assert tables(db) - {"alembic_version"} == set()
        assert current_revision(db) is None

        upgrade(db)
        assert tables(db) - {"alembic_version"} == TABLES
        assert current_revision(db) == head(db)
    finally:
        db.dispose()


def test_migrated_schema_matches_the_tables(db: Database) -> None:
    with db.write_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_at_head_is_a_no_op(db: Database) -> None:
    before = current_revision(db)
    db.upgrade()
    assert current_revision(db) == before == head(db)
    assert tables(db) - {"alembic_version"} == TABLES


def test_schema_head_names_alembics_head(db: Database) -> None:
    """The start-up check (`schema_head`) skips Alembic only while HEAD is the newest one."""
    assert head(db) == HEAD
    assert at_head(db.write_engine)


def test_an_older_schema_is_not_taken_for_the_newest(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert not at_head(db.write_engine)  # nothing there yet
        upgrade(db, "0006")
        assert not at_head(db.write_engine)
        db.upgrade()  # the check sends it to Alembic, which brings it up
        assert current_revision(db) == head(db)
        assert at_head(db.write_engine)
    finally:
        db.dispose()
