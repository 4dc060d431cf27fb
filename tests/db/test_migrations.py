"""Migrations go up and down on both databases, and the migrated schema is exactly the tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from pacekeeper.db import Database
from pacekeeper.db.migrate import downgrade, upgrade
from pacekeeper.db.tables import Base

TABLES = {"profiles", "trackers", "checkins", "checkin_values", "activities", "rests", "samples",
          "accounts", "auth_sessions"}  # fmt: skip


def tables(db: Database) -> set[str]:
    with db.write_engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade(db)
        assert tables(db) == TABLES
        downgrade(db, "base")
        assert tables(db) == set()
        upgrade(db)
        assert tables(db) == TABLES
    finally:
        db.dispose()


def test_migrated_schema_matches_the_tables(db: Database) -> None:
    with db.write_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db: Database) -> None:
    db.upgrade()  # already at head: a no-op, not an error
    assert tables(db) == TABLES
