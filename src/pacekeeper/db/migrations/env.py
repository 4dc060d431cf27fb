"""Alembic environment: uses the connection Pacekeeper hands it (see db/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pacekeeper.db.tables import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.connect() as own:
            _migrate(own)
            own.commit()
        return
    _migrate(conn)


def _migrate(conn: object) -> None:
    context.configure(
        connection=conn,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
