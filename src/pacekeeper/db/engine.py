"""Connecting to the store: SQLite by default, PostgreSQL when a URL says so.

SQLite runs in WAL mode with a busy timeout and foreign keys on. Writes go through one
connection (a pool of exactly one) and open with BEGIN IMMEDIATE, so there is a single writer in
this process and a writer from another process waits instead of failing half-way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000


def _sqlite_engine(url: str, *, writer: bool) -> Engine:
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=1 if writer else 4,
        max_overflow=0 if writer else 4,
        pool_timeout=60,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


class Database:
    """The store's connections. Use `write()` for anything that changes data, `read()` otherwise."""

    def __init__(self, url: str, *, home: Path | None = None) -> None:
        """`home`: the settings' PACEKEEPER_HOME, where a PostgreSQL store keeps its sample
        files (SQLite keeps them beside the database file)."""
        from pacekeeper.store.location import ROOT_KEY, store_root

        self.url = url
        self.samples_root = store_root(url, home)
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, writer=True)
            self.read_engine = _sqlite_engine(url, writer=False)
        else:
            self.write_engine = create_engine(url, pool_pre_ping=True, pool_size=5)
            self.read_engine = self.write_engine
        info = {ROOT_KEY: self.samples_root}
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False, info=info)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False, info=info)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: everything in the block is committed together or not at all."""
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (Alembic is loaded only if there is one to
        run)."""
        from pacekeeper.db.schema_head import at_head

        if at_head(self.write_engine):
            return
        from pacekeeper.db.migrate import upgrade

        upgrade(self)

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
