"""Writing samples: buffered, merged into month parts, swapped in the caller's transaction.

A flush groups the buffer by (kind, source, UTC month). For each group the month's current part
(if any) is read, samples whose natural key (kind, source, start) is already there are dropped,
and the union is written as a new part sorted by start. The index row is pointed at the new file
inside the caller's transaction. After commit the replaced files are deleted; after a rollback
the new ones are. A kill leaves only unnamed files, which `sweep` removes: the store as seen
through the index is exactly what it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import event, insert, select, text, update
from sqlalchemy.orm import Session

from pacekeeper.db.tables import SamplePart
from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.store.location import root_of
from pacekeeper.store.parts import new_part_name, read_part, remove_part, write_part
from pacekeeper.store.rows import SampleData, check_kinds, frame_of_batch, frame_of_rows

# Rows held before a flush: large blocks keep the number of part rewrites low, and at ~50 bytes a
# row the buffer stays far under the import's memory budget.
FLUSH_ROWS = 300_000
ROW_CHUNK = 50_000  # single SampleData objects are turned into columns this many at a time

PartKey = tuple[str, str, date]  # kind, source, month


@dataclass
class _Part:
    id: int
    file: str


@dataclass
class _Pending:
    """Files written or replaced in the session's open transaction, shared by its writers."""

    root: Path
    written: set[str] = field(default_factory=set)
    replaced: set[str] = field(default_factory=set)
    locked: set[int] = field(default_factory=set)


def _finish(s: Session, committed: bool) -> None:
    """After the transaction: drop what it replaced (commit) or what it wrote (rollback)."""
    pending = s.info.pop("sample_store", None)
    if isinstance(pending, _Pending):
        drop = pending.replaced - pending.written if committed else pending.written
        for name in drop:
            remove_part(pending.root, name)


def _on_commit(s: Session) -> None:
    _finish(s, committed=True)


def _on_rollback(s: Session) -> None:
    _finish(s, committed=False)


def _pending(s: Session) -> _Pending:
    found = s.info.get("sample_store")
    if isinstance(found, _Pending):
        return found
    pending = _Pending(root_of(s))
    s.info["sample_store"] = pending
    if not event.contains(s, "after_commit", _on_commit):
        event.listen(s, "after_commit", _on_commit)
        event.listen(s, "after_rollback", _on_rollback)
    return pending


def lock_profile(s: Session, profile_id: int) -> None:
    """PostgreSQL: one sample writer per profile (merges read-modify-write a month's part) and
    none while a sweep runs. SQLite's single writer already gives both."""
    if s.get_bind().dialect.name != "postgresql":
        return
    s.execute(text("LOCK TABLE sample_parts IN ROW EXCLUSIVE MODE"))
    s.execute(text("SELECT id FROM profiles WHERE id = :id FOR UPDATE"), {"id": profile_id})


class SampleWriter:
    """Collects samples for one profile and merges them into the store in large blocks.

    `added` counts samples new to the store, `seen` every sample given; the difference are
    duplicates (already stored, or repeated within the input).
    """

    def __init__(self, s: Session, profile_id: int, *, flush_rows: int = FLUSH_ROWS) -> None:
        self.s = s
        self.profile_id = profile_id
        self.flush_rows = flush_rows
        self.added = 0
        self.seen = 0
        self._pending = _pending(s)
        if profile_id not in self._pending.locked:
            lock_profile(s, profile_id)
            self._pending.locked.add(profile_id)
        self._rows: list[SampleData] = []
        self._frames: list[pl.DataFrame] = []
        self._buffered = 0
        self._index: dict[PartKey, _Part] | None = None

    def add(self, item: SampleData | SampleBatch) -> None:
        if isinstance(item, SampleBatch):
            if len(item):
                self._take(frame_of_batch(item))
            return
        self._rows.append(item)
        if len(self._rows) >= ROW_CHUNK:
            self._take_rows()

    def add_all(self, items: Iterable[SampleData | SampleBatch]) -> None:
        for item in items:
            self.add(item)

    def close(self) -> int:
        """Flush what is buffered; returns the samples added by this writer."""
        self.flush()
        return self.added

    def _take_rows(self) -> None:
        if self._rows:
            frame = frame_of_rows(self._rows)
            self._rows = []
            self._take(frame)

    def _take(self, frame: pl.DataFrame) -> None:
        check_kinds(frame)
        self._frames.append(frame)
        self._buffered += frame.height
        if self._buffered >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        self._take_rows()
        if not self._frames:
            return
        frame = pl.concat(self._frames, how="vertical")
        self._frames, self._buffered = [], 0
        self.seen += frame.height
        frame = frame.with_columns(month=pl.col("start").dt.truncate("1mo").dt.date())
        groups = frame.partition_by(["kind", "source", "month"], as_dict=True, include_key=False)
        for key, group in groups.items():
            kind, source, month = key
            assert isinstance(kind, str) and isinstance(source, str) and isinstance(month, date)
            self._merge((kind, source, month), _sorted_unique(group))

    def _load_index(self) -> dict[PartKey, _Part]:
        if self._index is None:
            rows = self.s.execute(
                select(
                    SamplePart.id,
                    SamplePart.kind,
                    SamplePart.source,
                    SamplePart.month,
                    SamplePart.file,
                ).where(SamplePart.profile_id == self.profile_id)
            )
            self._index = {(r.kind, r.source, r.month): _Part(r.id, r.file) for r in rows}
        return self._index

    def _merge(self, key: PartKey, new: pl.DataFrame) -> None:
        """`new` is sorted by start without repeats; merge it into the month's part."""
        root = self._pending.root
        part = self._load_index().get(key)
        if part is None:
            merged = new
        else:
            old = read_part(root, part.file)
            new = new.filter(~_found_in(_micros(old), _micros(new)))
            if new.height == 0:
                return
            merged = pl.concat([old, new.select(old.columns)], how="vertical")
            if new["start"][0] <= old["start"][-1]:  # not a plain append: interleave
                merged = merged.sort("start", maintain_order=True)
        fresh = new.height
        kind, source, month = key
        name = new_part_name(self.profile_id, kind, month)
        write_part(root, name, merged)
        self._pending.written.add(name)
        first: datetime = merged["start"][0].replace(tzinfo=UTC)
        last: datetime = merged["start"][-1].replace(tzinfo=UTC)
        values: dict[str, Any] = {
            "file": name,
            "rows": merged.height,
            "first_start": first,
            "last_start": last,
        }
        if part is None:
            new_id = self.s.execute(
                insert(SamplePart)
                .values(profile_id=self.profile_id, kind=kind, source=source, month=month, **values)
                .returning(SamplePart.id)
            ).scalar_one()
            self._load_index()[key] = _Part(new_id, name)
        else:
            self.s.execute(update(SamplePart).where(SamplePart.id == part.id).values(**values))
            if part.file in self._pending.written:
                # Written earlier in this same transaction: nothing committed names it.
                remove_part(root, part.file)
                self._pending.written.discard(part.file)
            else:
                self._pending.replaced.add(part.file)
            part.file = name
        self.added += fresh


def _micros(frame: pl.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]]:
    return frame["start"].dt.epoch("us").to_numpy()


def _sorted_unique(group: pl.DataFrame) -> pl.DataFrame:
    """Sorted by start with the first of any repeated start kept. Importers mostly hand samples
    over in time order, so the common case is one O(n) check and no sort or hashing."""
    starts = _micros(group)
    if starts.size < 2 or bool((np.diff(starts) > 0).all()):
        return group
    return group.sort("start", maintain_order=True).unique(
        "start", keep="first", maintain_order=True
    )


def _found_in(sorted_keys: np.ndarray[Any, Any], keys: np.ndarray[Any, Any]) -> pl.Series:
    """For each of `keys`, whether it is in `sorted_keys` (binary search, no hashing)."""
    if sorted_keys.size == 0:
        return pl.Series(np.zeros(keys.size, dtype=bool))
    at = np.searchsorted(sorted_keys, keys).clip(max=sorted_keys.size - 1)
    return pl.Series(sorted_keys[at] == keys)


def add_samples(s: Session, profile_id: int, items: Iterable[SampleData | SampleBatch]) -> int:
    """Add samples to a profile, skipping any whose natural key is stored. Returns rows added."""
    writer = SampleWriter(s, profile_id)
    writer.add_all(items)
    return writer.close()
