"""Reading samples back: the index prunes parts by profile, kind and time range, and only those
files are opened. Frames have `SAMPLE_SCHEMA`'s columns."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import SamplePart
from pacekeeper.domain.samples import SampleKind
from pacekeeper.store.location import root_of
from pacekeeper.store.parts import PART_COLUMNS, read_part
from pacekeeper.store.rows import StoredSample

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

THREADED_FROM = 8  # parts; fewer are read in this thread
READERS = 4


def empty_frame(*, with_extra: bool = False) -> pl.DataFrame:
    schema = {k: v for k, v in FRAME_SCHEMA.items() if with_extra or k != "extra"}
    return pl.DataFrame(schema=schema)


def _frame(s: Session, part: SamplePart | object, with_extra: bool) -> pl.DataFrame:
    return _frame_at(root_of(s), part, with_extra)


def _frame_at(root: Path, part: SamplePart | object, with_extra: bool) -> pl.DataFrame:
    columns = [c for c in PART_COLUMNS if with_extra or c != "extra"]
    kind, source, file = (getattr(part, a) for a in ("kind", "source", "file"))
    frame = read_part(root, file, columns)
    return frame.with_columns(kind=pl.lit(kind), source=pl.lit(source))


def read_samples(
    s: Session,
    profile_id: int,
    kinds: Iterable[SampleKind | str],
    start: datetime,
    end: datetime,
    *,
    with_extra: bool = False,
) -> pl.DataFrame:
    """Samples of these kinds starting in [start, end), every source. Rows come part by part
    (kind, then month, then source), so within one kind and source they are in start order; a
    caller that needs one global order sorts (most charts and daily sums do not)."""
    wanted = [str(k) for k in kinds]
    parts = s.execute(
        select(SamplePart.kind, SamplePart.source, SamplePart.file)
        .where(SamplePart.profile_id == profile_id, SamplePart.kind.in_(wanted))
        .where(SamplePart.last_start >= start, SamplePart.first_start < end)
        .order_by(SamplePart.kind, SamplePart.month, SamplePart.source)
    ).all()
    order = list(empty_frame(with_extra=with_extra).columns)
    if not parts:
        return empty_frame(with_extra=with_extra)
    root = root_of(s)

    def one(part: object) -> pl.DataFrame:
        return _frame_at(root, part, with_extra).select(order)

    if len(parts) < THREADED_FROM:
        frames = [one(p) for p in parts]
    else:  # Parquet decoding releases the GIL: years of monthly parts read several at a time
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            frames = list(pool.map(one, parts))
    frame = pl.concat(frames, how="vertical")
    lo = pl.lit(start).cast(FRAME_SCHEMA["start"])
    hi = pl.lit(end).cast(FRAME_SCHEMA["start"])
    frame = frame.filter((pl.col("start") >= lo) & (pl.col("start") < hi))
    return frame


def samples_between(
    s: Session, profile_id: int, kind: SampleKind, start: datetime, end: datetime
) -> list[StoredSample]:
    """One kind's samples as small objects, for the few places that want rows, not frames."""
    frame = read_samples(s, profile_id, [kind], start, end, with_extra=True)
    return stored_samples(frame.sort("start", "source"))


def count_samples(s: Session, profile_id: int) -> int:
    total = s.scalar(select(func.sum(SamplePart.rows)).where(SamplePart.profile_id == profile_id))
    return int(total or 0)


def iter_samples(s: Session, profile_id: int) -> Iterator[StoredSample]:
    """Every sample of a profile, one part in memory at a time, ordered by kind, source, start."""
    parts = s.execute(
        select(SamplePart.kind, SamplePart.source, SamplePart.file)
        .where(SamplePart.profile_id == profile_id)
        .order_by(SamplePart.kind, SamplePart.source, SamplePart.month)
    ).all()
    for part in parts:
        order = list(FRAME_SCHEMA)
        yield from stored_samples(_frame(s, part, with_extra=True).select(order))


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
