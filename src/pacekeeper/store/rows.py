"""Samples as importers hand them over one at a time (`SampleData`) and as the store gives them
back one at a time (`StoredSample`). Single samples become Arrow columns (`SAMPLE_SCHEMA`) here,
without Polars, so an import loads only Arrow (docs/formats.md, "Speed and memory")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from pacekeeper.domain.localday import utc_offset_minutes
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA
from pacekeeper.domain.samples import SampleKind

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
KINDS = frozenset(k.value for k in SampleKind)


@dataclass(frozen=True)
class SampleData:
    kind: SampleKind
    start: datetime  # aware, in the source's offset
    value: float
    source: str
    end: datetime | None = None
    extra: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoredSample:
    """A sample read back: times in UTC with the source's offset kept beside them."""

    kind: str
    start: datetime
    end: datetime | None
    utc_offset_minutes: int
    value: float
    unit: str
    source: str
    extra: dict[str, Any] | None


def _micros(t: datetime) -> int:
    return (t - EPOCH) // MICRO


def table_of_rows(rows: Sequence[SampleData]) -> pa.Table:
    """Columns in one pass; timestamps go in as integers (exact, no time-zone guessing)."""
    columns = [
        pa.array([r.kind.value for r in rows], pa.string()),
        pa.array([_micros(r.start) for r in rows], pa.int64()),
        pa.array([utc_offset_minutes(r.start) for r in rows], pa.int16()),
        pa.array([None if r.end is None else _micros(r.end) for r in rows], pa.int64()),
        pa.array([float(r.value) for r in rows], pa.float64()),
        pa.array([r.source for r in rows], pa.string()),
        pa.array([None if r.extra is None else json.dumps(r.extra) for r in rows], pa.string()),
    ]
    return pa.Table.from_arrays(
        [c.cast(f.type) for c, f in zip(columns, SAMPLE_SCHEMA, strict=True)],
        schema=SAMPLE_SCHEMA,
    )
