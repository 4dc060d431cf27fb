"""The writer's buffer cut into (kind, source, UTC month) runs, in Arrow: one concatenation and
one stable sort per flush, then zero-copy slices, so a flush holds about two copies of the
buffer at most (Arrow's memory pool hands them back when the flush is done)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA
from pacekeeper.store.rows import KINDS

Key = tuple[str, str, date]  # kind, source, month
Bools = np.ndarray[Any, np.dtype[np.bool_]]
Ints = np.ndarray[Any, np.dtype[np.int64]]
RUN_COLUMNS = ("kind", "source", "month")


def grouped(tables: list[pa.Table]) -> pa.Table:
    """The buffer as one table with a `month` column (date), sorted by kind, source, month and
    start; stable, so of samples with the same start the first given comes first. Kinds and
    sources are sorted by their codes in the buffer (first seen first), not by their text:
    numbers sort without comparing text, and runs only need to be contiguous."""
    table = pa.concat_tables(tables)
    unknown = set(pc.unique(table["kind"]).to_pylist()) - KINDS
    if unknown:
        raise ValueError(f"unknown sample kinds: {sorted(unknown)}")
    month = pc.floor_temporal(table["start"], unit="month").cast(pa.date32())
    table = table.append_column("month", month)
    codes = pa.table(
        {
            "kind": pc.dictionary_encode(table["kind"].combine_chunks()).indices,
            "source": pc.dictionary_encode(table["source"].combine_chunks()).indices,
            "month": month,
            "start": table["start"],
        }
    )
    order = pc.sort_indices(codes, sort_keys=[(c, "ascending") for c in codes.column_names])
    return table.take(order)


def runs(table: pa.Table) -> tuple[list[Key], list[int]]:
    """Each (kind, source, month) run's key, and where the runs start (plus the table's end)."""
    n = table.num_rows
    changed = np.zeros(n, dtype=bool)
    if n:
        changed[0] = True
    for column in RUN_COLUMNS:
        values = table[column]
        if n > 1:
            differs = pc.not_equal(values.slice(1), values.slice(0, n - 1))
            changed[1:] |= np.asarray(differs.to_numpy(zero_copy_only=False), dtype=bool)
    starts = np.flatnonzero(changed)
    firsts = table.select(list(RUN_COLUMNS)).take(pa.array(starts))
    keys = list(zip(*(firsts[c].to_pylist() for c in RUN_COLUMNS), strict=True))
    return keys, [*(int(i) for i in starts), n]


def latest_months(keys: list[Key], bounds: list[int], limit: int) -> set[int]:
    """The runs holding each (kind, source)'s latest month (its last run), smallest first, as
    many as fit in `limit` rows."""
    last = {(kind, source): i for i, (kind, source, _) in enumerate(keys)}
    held: set[int] = set()
    rows = 0
    for i in sorted(last.values(), key=lambda i: bounds[i + 1] - bounds[i]):
        rows += bounds[i + 1] - bounds[i]
        if rows > limit:
            break
        held.add(i)
    return held


def copied(run: pa.Table) -> pa.Table:
    """A run as a table of its own (SAMPLE_SCHEMA), so it does not keep the flush's alive."""
    return run.drop_columns(["month"]).take(pa.array(np.arange(run.num_rows))).cast(SAMPLE_SCHEMA)


def micros(table: pa.Table) -> Ints:
    return np.asarray(table["start"].cast(pa.int64()).to_numpy(), dtype=np.int64)


def first_of_each_start(run: pa.Table) -> pa.Table:
    """`run` is sorted by start (stably); keep the first of any repeated start."""
    starts = micros(run)
    if starts.size < 2:
        return run
    first = np.r_[True, np.diff(starts) > 0]
    return run if bool(first.all()) else run.filter(pa.array(first))


def found_in(sorted_keys: Ints, keys: Ints) -> Bools:
    """For each of `keys`, whether it is in `sorted_keys` (binary search, no hashing)."""
    if sorted_keys.size == 0:
        return np.zeros(keys.size, dtype=bool)
    at = np.searchsorted(sorted_keys, keys).clip(max=sorted_keys.size - 1)
    return np.asarray(sorted_keys[at] == keys)
