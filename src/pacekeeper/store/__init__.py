"""The wearable sample store: Parquet part files per (profile, kind, source, UTC month) under
the store's folder, indexed by the `sample_parts` table and swapped in the caller's transaction.
docs/data-model.md ("Where samples are stored, and why") explains the choice."""

from pacekeeper.domain.source_priority import (
    ADDITIVE,
    additive_per_minute,
    daily_by_source,
    hourly,
    prefer_per_minute,
)
from pacekeeper.store.location import store_root
from pacekeeper.store.reader import count_samples, iter_samples, read_samples, samples_between
from pacekeeper.store.rows import SampleData, StoredSample
from pacekeeper.store.sweep import sweep
from pacekeeper.store.writer import SampleWriter, add_samples

__all__ = [
    "ADDITIVE",
    "SampleData",
    "SampleWriter",
    "StoredSample",
    "add_samples",
    "additive_per_minute",
    "count_samples",
    "daily_by_source",
    "hourly",
    "iter_samples",
    "prefer_per_minute",
    "read_samples",
    "samples_between",
    "store_root",
    "sweep",
]
