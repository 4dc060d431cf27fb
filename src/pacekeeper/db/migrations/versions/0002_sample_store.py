"""Samples move from the `samples` table into Parquet part files indexed by `sample_parts`.

Every stored sample is carried over (upgrade writes the parts, downgrade puts the rows back), so
an existing installation keeps its history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from pacekeeper.db.types import UTCDateTime
from pacekeeper.domain.samples import SampleKind
from pacekeeper.store.location import store_root
from pacekeeper.store.parts import new_part_name, read_part, write_part

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHUNK = 100_000

# Frozen views of the two tables as this migration knows them.
samples = sa.table(
    "samples",
    sa.column("profile_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("start", UTCDateTime()),
    sa.column("end", UTCDateTime()),
    sa.column("utc_offset_minutes", sa.SmallInteger()),
    sa.column("value", sa.Float()),
    sa.column("unit", sa.String()),
    sa.column("source", sa.String()),
    sa.column("extra", sa.JSON()),
)
parts = sa.table(
    "sample_parts",
    sa.column("profile_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("source", sa.String()),
    sa.column("month", sa.Date()),
    sa.column("file", sa.String()),
    sa.column("rows", sa.Integer()),
    sa.column("first_start", UTCDateTime()),
    sa.column("last_start", UTCDateTime()),
)


def _create_parts_table() -> None:
    op.create_table(
        "sample_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("file", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("first_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_start", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_sample_parts_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_parts")),
        sa.UniqueConstraint(
            "profile_id", "kind", "source", "month", name=op.f("uq_sample_parts_profile_id")
        ),
        sa.UniqueConstraint("file", name="uq_sample_parts_file"),
    )


def _old_rows(conn: sa.Connection) -> Iterator[list[Any]]:
    query = (
        sa.select(
            samples.c.profile_id, samples.c.kind, samples.c.source, samples.c.start,
            samples.c.utc_offset_minutes, samples.c["end"], samples.c.value, samples.c.extra,
        )
        .order_by(samples.c.profile_id, samples.c.kind, samples.c.source, samples.c.start)
        .execution_options(yield_per=CHUNK)
    )  # fmt: skip
    result = conn.execute(query)
    while chunk := result.fetchmany(CHUNK):
        yield [list(r) for r in chunk]


def _root(conn: sa.Connection) -> Path:
    """The Database's sample folder (db/migrate.py hands it over), else the URL's default."""
    root = op.get_context().config.attributes.get("samples_root")  # type: ignore[union-attr]
    return root if isinstance(root, Path) else store_root(conn.engine.url)


def _write_month(conn: sa.Connection, key: tuple[int, str, str, date], rows: list[Any]) -> None:
    import polars as pl  # here, not at the top: Alembic loads every migration at each start

    profile_id, kind, source, month = key
    frame = pl.DataFrame(
        {
            "start": [r[3] for r in rows],
            "utc_offset_minutes": [r[4] for r in rows],
            "end": [r[5] for r in rows],
            "value": [float(r[6]) for r in rows],
            "extra": [None if r[7] is None else json.dumps(r[7]) for r in rows],
        },
        schema={
            "start": pl.Datetime("us", "UTC"),
            "utc_offset_minutes": pl.Int16,
            "end": pl.Datetime("us", "UTC"),
            "value": pl.Float64,
            "extra": pl.String,
        },
    )
    name = new_part_name(profile_id, kind, month)
    write_part(_root(conn), name, frame)
    conn.execute(
        parts.insert().values(
            profile_id=profile_id, kind=kind, source=source, month=month, file=name,
            rows=len(rows), first_start=rows[0][3], last_start=rows[-1][3],
        )
    )  # fmt: skip


def upgrade() -> None:
    _create_parts_table()
    conn = op.get_bind()
    key: tuple[int, str, str, date] | None = None
    month_rows: list[Any] = []
    for chunk in _old_rows(conn):
        for r in chunk:
            here = (r[0], r[1], r[2], r[3].date().replace(day=1))
            if here != key and month_rows:
                assert key is not None
                _write_month(conn, key, month_rows)
                month_rows = []
            key = here
            month_rows.append(r)
    if month_rows and key is not None:
        _write_month(conn, key, month_rows)
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.drop_index("ix_samples_profile_kind_start")
    op.drop_table("samples")


def downgrade() -> None:
    op.create_table(
        "samples",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("utc_offset_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_samples_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_samples")),
        sa.UniqueConstraint(
            "profile_id", "kind", "source", "start", name=op.f("uq_samples_profile_id")
        ),
    )
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.create_index(
            "ix_samples_profile_kind_start", ["profile_id", "kind", "start"], unique=False
        )
    conn = op.get_bind()
    root = store_root(conn.engine.url)
    index = conn.execute(sa.select(parts.c.profile_id, parts.c.kind, parts.c.source, parts.c.file))
    for profile_id, kind, source, file in index.all():
        frame = read_part(root, file)
        rows = [
            {
                "profile_id": profile_id, "kind": kind, "source": source,
                "unit": SampleKind(kind).unit,
                "start": r["start"], "end": r["end"], "utc_offset_minutes": r["utc_offset_minutes"],
                "value": r["value"],
                "extra": None if r["extra"] is None else json.loads(r["extra"]),
            }
            for r in frame.iter_rows(named=True)
        ]  # fmt: skip
        for i in range(0, len(rows), CHUNK):
            conn.execute(samples.insert(), rows[i : i + CHUNK])
    op.drop_table("sample_parts")
