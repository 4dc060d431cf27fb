"""Part files: one immutable Parquet file per (profile, kind, source, UTC month), sorted by start.

A part is never changed in place. Adding samples to a month writes a new file under a new name;
the index row in the database is switched to it in the writing transaction.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:  # only the readers use Polars; an import writes Arrow and never loads it
    import polars as pl

# What a part file holds; kind and source are the partition's, kept in the index row.
PART_SCHEMA = pa.schema(
    [
        pa.field("start", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("utc_offset_minutes", pa.int16(), nullable=False),
        pa.field("end", pa.timestamp("us", tz="UTC")),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("extra", pa.string()),
    ]
)
PART_COLUMNS = tuple(PART_SCHEMA.names)
SUFFIX = ".parquet"


def new_part_name(profile_id: int, kind: str, month: date) -> str:
    """A fresh relative path: new writes never reuse a name, so readers never see half a file."""
    return f"p{profile_id}/{kind}/{month:%Y-%m}/{uuid.uuid4().hex}{SUFFIX}"


def write_part(root: Path, name: str, frame: pl.DataFrame) -> None:
    """Write and fsync a part, so a committed index row never names a file still in the cache."""
    write_table(root, name, frame.select(PART_COLUMNS).to_arrow())


def write_table(root: Path, name: str, table: pa.Table, *, sync: bool = True) -> None:
    """Write a part from Arrow columns (PART_COLUMNS, others ignored) and fsync it;
    `sync=False` when the caller syncs it before committing (`pending`)."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    table = table.select(PART_COLUMNS).cast(PART_SCHEMA)
    with open(path, "wb") as f:
        pq.write_table(table, f, compression="lz4", write_statistics=["start"])
        if sync:
            f.flush()
            os.fsync(f.fileno())


def read_part(root: Path, name: str, columns: list[str] | None = None) -> pl.DataFrame:
    import polars as pl

    table = pq.read_table(root / name, columns=columns)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def read_table(root: Path, name: str) -> pa.Table:
    """A part as Arrow columns, PART_SCHEMA."""
    return pq.read_table(root / name).select(PART_COLUMNS).cast(PART_SCHEMA)


def remove_part(root: Path, name: str) -> None:
    (root / name).unlink(missing_ok=True)
