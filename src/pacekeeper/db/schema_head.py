"""Whether the database is already at the newest migration, without loading Alembic.

Every command checks the schema at start. Loading Alembic and every migration script for that
took 0.27 s and 12 MiB in the Apple Health probe's "schema check" stage (bench/README.md);
reading one row says the same, in 0.00 s, when nothing is to do. `HEAD` must name the newest
migration (tests/db/test_migrations.py checks it against Alembic's own answer).
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

HEAD = "0007"


def at_head(engine: Engine) -> bool:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return list(versions) == [HEAD]
