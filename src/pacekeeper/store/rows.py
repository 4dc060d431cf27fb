"""Samples as importers hand them over one at a time (`SampleData`, turned into columns) and as
the store gives them back, in one Polars frame shape (`SAMPLE_SCHEMA`'s columns)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from pacekeeper.domain.localday import utc_offset_minutes
from pacekeeper.domain.samples import SampleKind

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
UTC_US = pl.Datetime("us", "UTC")
FRAME_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "start": UTC_US,
    "utc_offset_minutes": pl.Int16(),
    "end": UTC_US,
    "value": pl.Float64(),
    "source": pl.String(),
    "extra": pl.String(),
}
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


def frame_of_rows(rows: Sequence[SampleData]) -> pl.DataFrame:
    """Columns in one pass; timestamps go in as integers (exact, no time-zone guessing)."""
    starts = [_micros(r.start) for r in rows]
    ends = [None if r.end is None else _micros(r.end) for r in rows]
    return pl.DataFrame(
        {
            "kind": [r.kind.value for r in rows],
            "start": pl.Series(starts, dtype=pl.Int64).cast(pl.Datetime("us")),
            "utc_offset_minutes": [utc_offset_minutes(r.start) for r in rows],
            "end": pl.Series(ends, dtype=pl.Int64).cast(pl.Datetime("us")),
            "value": [float(r.value) for r in rows],
            "source": [r.source for r in rows],
            "extra": [None if r.extra is None else json.dumps(r.extra) for r in rows],
        },
        schema_overrides={"utc_offset_minutes": pl.Int16},
    ).with_columns(pl.col("start", "end").dt.replace_time_zone("UTC"))


def stored_samples(frame: pl.DataFrame) -> list[StoredSample]:
    return [
        StoredSample(
            kind=r["kind"],
            start=r["start"].replace(tzinfo=UTC),
            end=None if r["end"] is None else r["end"].replace(tzinfo=UTC),
            utc_offset_minutes=r["utc_offset_minutes"],
            value=r["value"],
            unit=SampleKind(r["kind"]).unit,
            source=r["source"],
            extra=None if r.get("extra") is None else json.loads(r["extra"]),
        )
        for r in frame.iter_rows(named=True)
    ]
