"""Engine results kept while the data they came from are unchanged.

The insights page fits the PEM model and runs the trigger permutations (bench/triggers_bench.py,
docs/model.md: about 0.2 s for a year of data, 0.6 s for three). Opening the page again with
nothing new logged would redo all of it, so the results are kept, keyed by the content of the
frames they were computed from: any new or changed check-in, activity, sample day or treatment
changes the key.
Kept in memory only (a restart recomputes) and only for a few profiles at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import polars as pl

T = TypeVar("T")
KEEP = 16  # results kept at most (a household has a few profiles)


def frames_key(*frames: pl.DataFrame) -> tuple[Hashable, ...]:
    """A key that changes whenever any row, column or type of the frames changes."""
    parts: list[Hashable] = []
    for f in frames:
        digest = int(f.hash_rows(seed=7).sum()) if f.height else 0
        parts.append((f.height, tuple(f.schema.items()), digest))
    return tuple(parts)


class ResultsCache:
    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]  # type: ignore[return-value]  # stored by make() below
        value = make()  # outside the lock: other profiles' pages need not wait
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self._keep:
                self._kept.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._kept)
