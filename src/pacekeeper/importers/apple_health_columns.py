"""A block's converted Record lines (`apple_health_lines.convert`) to a `SampleBatch`, in Arrow.

The columns arrive as `array`s; numpy views them without a copy, a mask keeps the records the
scanner took and that converted cleanly, and kinds and sources become Arrow dictionaries. Rows
marked for the one-record path are handed to `one_by_one`, types not read are counted. No Polars
here: an Apple Health import loads only Arrow and numpy (docs/formats.md, "Speed and
memory").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch
from pacekeeper.domain.samples import INTERVAL_KINDS, SampleKind
from pacekeeper.importers.apple_health_lines import NOT_READ, ONE_BY_ONE, Tables
from pacekeeper.importers.apple_health_records import (
    QUANTITIES,
    SLEEP,
    SLEEP_PREFIX,
    SLEEP_TYPE,
    short,
)
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.context import ImportContext

# Kind codes: a kind's place in this list.
KIND_NAMES = sorted(
    {kind.value for kind, _ in QUANTITIES.values()} | {kind.value for kind in SLEEP.values()}
)
KIND_DICTIONARY = pa.array(KIND_NAMES, pa.string())
INTERVAL_CODES = np.array(
    [i for i, k in enumerate(KIND_NAMES) if SampleKind(k) in INTERVAL_KINDS], dtype=np.int8
)
TABLES = Tables(
    {
        (t.encode(), unit.encode()): (KIND_NAMES.index(kind.value), factor)
        for t, (kind, units) in QUANTITIES.items()
        for unit, factor in units.items()
    }
    | {
        (SLEEP_TYPE.encode(), (SLEEP_PREFIX + stage).encode()): (KIND_NAMES.index(kind.value), 0.0)
        for stage, kind in SLEEP.items()
    },
    KIND_NAMES.index(SampleKind.HRV_SDNN.value),
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TIMESTAMP = pa.timestamp("us", tz="UTC")


def spans(lines: dict[str, Any]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Each record's (start, end) in the block, as an n x 2 array."""
    return np.frombuffer(lines["spans"], dtype=np.int64).reshape(-1, 2)


def to_batch(
    lines: dict[str, Any],
    taken: np.ndarray[Any, np.dtype[np.bool_]],
    report: ImportReport,
    ctx: ImportContext,
    unread: Counter[str],
    one_by_one: Callable[[int, dict[str, str], list[tuple[str, str]]], None],
) -> SampleBatch | None:
    """The records in `taken` as a batch (None if none converted); the others are left to the
    caller, who gave them to expat."""
    kinds = np.frombuffer(lines["kind"], dtype=np.int8)
    aux = np.frombuffer(lines["aux"], dtype=np.int32)
    at = spans(lines)[:, 0]
    for i in np.flatnonzero(taken & (kinds == ONE_BY_ONE)):
        attributes, beats = lines["attrs"][int(i)]
        one_by_one(int(at[i]), attributes, beats)
    not_read = taken & (kinds == NOT_READ)
    if not_read.any():
        whats = lines["whats"]
        for which, n in zip(*np.unique(aux[not_read], return_counts=True), strict=True):
            unread[_what(*whats[int(which)])] += int(n)
    keep = taken & (kinds >= 0)
    rows = np.flatnonzero(keep)
    if rows.size == 0:
        return None
    kind = kinds[rows]
    start = np.frombuffer(lines["start"], dtype=np.int64)[rows]
    end = np.frombuffer(lines["end"], dtype=np.int64)[rows]
    source = aux[rows]
    extra = _extra(lines["extra"], rows)
    sources = pa.array(lines["sources"], pa.string())
    columns = [
        pa.DictionaryArray.from_arrays(pa.array(kind), KIND_DICTIONARY).cast(pa.string()),
        pa.array(start).cast(TIMESTAMP),
        pa.array(np.frombuffer(lines["offset"], dtype=np.int16)[rows]),
        pa.array(end, mask=~np.isin(kind, INTERVAL_CODES)).cast(TIMESTAMP),
        pa.array(np.frombuffer(lines["value"], dtype=np.float64)[rows]),
        pa.DictionaryArray.from_arrays(pa.array(source), sources).cast(pa.string()),
        extra,
    ]
    report.sources.update(lines["sources"][int(i)] for i in np.unique(source))
    report.saw_day(ctx.day_of(_instant(int(start.min()))))
    report.saw_day(ctx.day_of(_instant(int(start.max()))))
    return SampleBatch(pa.Table.from_arrays(columns, schema=SAMPLE_SCHEMA))


def _extra(extras: dict[int, str], rows: np.ndarray[Any, np.dtype[np.int64]]) -> pa.Array:
    """The `extra` column of the rows kept: HRV beat lists are few, so placed by search."""
    if not extras:
        return pa.nulls(rows.size, pa.string())
    column: list[str | None] = [None] * rows.size
    records = np.fromiter(extras, dtype=np.int64, count=len(extras))
    for at, record in zip(np.searchsorted(rows, records).tolist(), records.tolist(), strict=True):
        if at < rows.size and rows[at] == record:
            column[at] = extras[record]
    return pa.array(column, pa.string())


def _instant(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _what(type_name: str, unit: str, is_sleep: bool) -> str:
    if is_sleep:
        return f"{short(type_name)} value {unit.removeprefix(SLEEP_PREFIX)}"
    if type_name in QUANTITIES:
        return f"{short(type_name)} in {unit or 'no unit'}"
    return short(type_name)
