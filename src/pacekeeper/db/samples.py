"""Wearable samples, written in batches with the natural key making re-imports add nothing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pacekeeper.db.tables import Profile, Sample
from pacekeeper.domain.localday import utc_offset_minutes
from pacekeeper.domain.samples import SampleKind

BATCH = 2000


@dataclass(frozen=True)
class SampleData:
    kind: SampleKind
    start: datetime  # aware, in the source's offset
    value: float
    source: str
    end: datetime | None = None
    extra: dict[str, Any] | None = None


def _batches(rows: Iterable[SampleData], n: int) -> Iterator[list[SampleData]]:
    it = iter(rows)
    while chunk := list(islice(it, n)):
        yield chunk


def add_samples(s: Session, p: Profile, rows: Iterable[SampleData]) -> int:
    """Insert samples, skipping any whose natural key is already stored. Returns rows added."""
    dialect = s.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    added = 0
    for chunk in _batches(rows, BATCH):
        values = [
            {
                "profile_id": p.id,
                "kind": r.kind.value,
                "start": r.start,
                "end": r.end,
                "utc_offset_minutes": utc_offset_minutes(r.start),
                "value": r.value,
                "unit": r.kind.unit,
                "source": r.source,
                "extra": r.extra,
            }
            for r in chunk
        ]
        stmt = (
            insert(Sample)
            .on_conflict_do_nothing(index_elements=["profile_id", "kind", "source", "start"])
            .returning(Sample.id)
        )
        # RETURNING yields only the rows really inserted, on both SQLite and PostgreSQL.
        added += len(s.connection().execute(stmt, values).all())
    return added


def samples_between(
    s: Session, p: Profile, kind: SampleKind, start: datetime, end: datetime
) -> list[Sample]:
    return list(
        s.scalars(
            select(Sample)
            .where(Sample.profile_id == p.id, Sample.kind == kind.value)
            .where(Sample.start >= start, Sample.start < end)
            .order_by(Sample.start, Sample.source)
        )
    )


def count_samples(s: Session, p: Profile) -> int:
    return int(s.scalar(select(func.count()).where(Sample.profile_id == p.id)) or 0)
