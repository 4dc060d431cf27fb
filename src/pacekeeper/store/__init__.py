"""The wearable sample store: Parquet part files per (profile, kind, source, UTC month) under
the store's folder, indexed by the `sample_parts` table and swapped in the caller's transaction.
docs/data-model.md ("Where samples are stored, and why") explains the choice.

The writing side loads only Arrow. The reading side (frames, source priority) needs Polars and
is loaded on first use, so an import does not carry Polars' memory (docs/formats.md, "Speed
and memory").
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from pacekeeper.store.location import store_root
from pacekeeper.store.rows import SampleData, StoredSample
from pacekeeper.store.sweep import sweep
from pacekeeper.store.writer import SampleWriter, add_samples

if TYPE_CHECKING:
    from pacekeeper.domain.source_priority import (
        ADDITIVE,
        additive_per_minute,
        daily_by_source,
        hourly,
        prefer_per_minute,
    )
    from pacekeeper.store.reader import (
        count_samples,
        iter_samples,
        read_samples,
        samples_between,
    )

_LAZY = {
    "ADDITIVE": "pacekeeper.domain.source_priority",
    "additive_per_minute": "pacekeeper.domain.source_priority",
    "daily_by_source": "pacekeeper.domain.source_priority",
    "hourly": "pacekeeper.domain.source_priority",
    "prefer_per_minute": "pacekeeper.domain.source_priority",
    "count_samples": "pacekeeper.store.reader",
    "iter_samples": "pacekeeper.store.reader",
    "read_samples": "pacekeeper.store.reader",
    "samples_between": "pacekeeper.store.reader",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


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
