"""Wearable samples, kept by `pacekeeper.store` (Parquet parts indexed in the database).

This module keeps the names the rest of the code has used since samples were table rows:
functions take a Profile, the store takes its id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from pacekeeper import store
from pacekeeper.db.tables import Profile
from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.domain.samples import SampleKind
from pacekeeper.store import SampleData, SampleWriter, StoredSample

__all__ = [
    "SampleData",
    "SampleWriter",
    "StoredSample",
    "add_samples",
    "count_samples",
    "samples_between",
]


def add_samples(s: Session, p: Profile, rows: Iterable[SampleData | SampleBatch]) -> int:
    """Store samples, skipping any whose natural key is already stored. Returns rows added."""
    return store.add_samples(s, p.id, rows)


def samples_between(
    s: Session, p: Profile, kind: SampleKind, start: datetime, end: datetime
) -> list[StoredSample]:
    return store.samples_between(s, p.id, kind, start, end)


def count_samples(s: Session, p: Profile) -> int:
    return store.count_samples(s, p.id)
