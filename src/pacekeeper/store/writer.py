"""Writing samples: buffered, merged into month parts, swapped in the caller's transaction.

A flush groups the buffer by (kind, source, UTC month). For each group the month's current part
(if any) is read, samples whose natural key (kind, source, start) is already there are dropped,
and the union is written as a new part sorted by start; the index rows of the flush are then
inserted or pointed at the new files in two statements, inside the caller's transaction
(`pending` keeps the files and syncs them before the commit). Importers hand samples over
mostly in time order, so a flush that is not the last keeps each (kind, source)'s latest month
buffered: the next block usually continues it, and the month is written once, not rewritten.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Table, bindparam, insert, text, update
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import SamplePart
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch
from pacekeeper.store import groups, parts
from pacekeeper.store.parts import PART_COLUMNS, PART_SCHEMA, new_part_name, read_table, remove_part
from pacekeeper.store.pending import pending
from pacekeeper.store.rows import SampleData, table_of_rows

# Rows held before a flush (~70 bytes a row in Arrow): small enough that the buffer and the
# copies a flush makes stay a few tens of MB, large enough that parts are seldom rewritten.
FLUSH_ROWS = 40_000
ROW_CHUNK = 50_000  # single SampleData objects are turned into columns this many at a time

PartKey = groups.Key  # kind, source, month


@dataclass
class _Part:
    id: int
    file: str


def write_part(root: Path, name: str, table: pa.Table) -> None:
    """A part written without waiting for the disk: `pending` syncs it before the commit."""
    parts.write_table(root, name, table, sync=False)


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

    def __init__(self, s: Session, profile_id: int, *, flush_rows: int | None = None) -> None:
        self.s = s
        self.profile_id = profile_id
        self.flush_rows = FLUSH_ROWS if flush_rows is None else flush_rows
        self.added = 0
        self.seen = 0
        self._pending = pending(s)
        if profile_id not in self._pending.locked:
            lock_profile(s, profile_id)
            self._pending.locked.add(profile_id)
        self._rows: list[SampleData] = []
        self._tables: list[pa.Table] = []  # compact Arrow columns, SAMPLE_SCHEMA
        self._buffered = 0
        self._index: dict[PartKey, _Part] | None = None
        self._inserts: list[tuple[PartKey, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []

    def add(self, item: SampleData | SampleBatch) -> None:
        if isinstance(item, SampleBatch):
            if len(item):
                self._take(item.table)
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
            table = table_of_rows(self._rows)
            self._rows = []
            self._take(table)

    def _take(self, table: pa.Table) -> None:
        if not table.schema.equals(SAMPLE_SCHEMA):
            table = table.select(SAMPLE_SCHEMA.names).cast(SAMPLE_SCHEMA)
        self._tables.append(table)
        self._buffered += table.num_rows
        if self._buffered >= self.flush_rows:
            self.flush(last=False)

    def flush(self, *, last: bool = True) -> None:
        """Merge the buffer into the store; unless `last`, each (kind, source)'s latest month
        stays buffered while that is at most half a flush."""
        self._take_rows()
        if not self._tables:
            return
        table = groups.grouped(self._tables)
        self._tables, self._buffered = [], 0
        keys, bounds = groups.runs(table)
        held = set() if last else groups.latest_months(keys, bounds, self.flush_rows // 2)
        for i, key in enumerate(keys):
            run = table.slice(bounds[i], bounds[i + 1] - bounds[i])  # no copy
            if i in held:
                self._tables.append(groups.copied(run))
                self._buffered += run.num_rows
                continue
            self.seen += run.num_rows
            self._merge(key, groups.first_of_each_start(run))
        del table
        self._write_index()
        _trim_memory()

    def _load_index(self) -> dict[PartKey, _Part]:
        if self._index is None:
            rows = self.s.execute(
                sql_select(
                    SamplePart.id,
                    SamplePart.kind,
                    SamplePart.source,
                    SamplePart.month,
                    SamplePart.file,
                ).where(SamplePart.profile_id == self.profile_id)
            )
            self._index = {(r.kind, r.source, r.month): _Part(r.id, r.file) for r in rows}
        return self._index

    def _merge(self, key: PartKey, new: pa.Table) -> None:
        """`new` is sorted by start without repeats; merge it into the month's part."""
        root = self._pending.root
        part = self._load_index().get(key)
        if part is None:
            merged = new.select(PART_COLUMNS).cast(PART_SCHEMA)
        else:
            old = read_table(root, part.file)
            old_starts = groups.micros(old)
            new = new.filter(pa.array(~groups.found_in(old_starts, groups.micros(new))))
            if new.num_rows == 0:
                return
            merged = pa.concat_tables([old, new.select(PART_COLUMNS).cast(PART_SCHEMA)])
            if groups.micros(new.slice(0, 1))[0] <= old_starts[-1]:  # interleave
                merged = merged.take(pc.sort_indices(merged, sort_keys=[("start", "ascending")]))
        fresh = new.num_rows
        kind, _, month = key
        name = new_part_name(self.profile_id, kind, month)
        write_part(root, name, merged)
        self._pending.wrote(name)
        values: dict[str, Any] = {
            "file": name,
            "rows": merged.num_rows,
            "first_start": merged["start"][0].as_py(),
            "last_start": merged["start"][-1].as_py(),
        }
        if part is None:
            self._inserts.append((key, values))
        else:
            self._updates.append({"part_id": part.id, **values})
            if part.file in self._pending.written:
                # Written earlier in this same transaction: nothing committed names it.
                remove_part(root, part.file)
                self._pending.written.discard(part.file)
            else:
                self._pending.replaced.add(part.file)
            part.file = name
        self.added += fresh

    def _write_index(self) -> None:
        """The flush's index rows: new parts inserted in one statement, moved parts updated in
        another."""
        index = self._load_index()
        if self._inserts:
            params = [
                {"profile_id": self.profile_id, "kind": k, "source": src, "month": m, **values}
                for (k, src, m), values in self._inserts
            ]
            stmt = insert(SamplePart).returning(SamplePart.id, sort_by_parameter_order=True)
            ids = self.s.scalars(stmt, params).all()
            for (key, values), new_id in zip(self._inserts, ids, strict=True):
                index[key] = _Part(new_id, values["file"])
            self._inserts = []
        if self._updates:
            table = SamplePart.__table__
            assert isinstance(table, Table)
            moved = (
                update(table)
                .where(table.c.id == bindparam("part_id"))
                .values({c: bindparam(c) for c in ("file", "rows", "first_start", "last_start")})
            )
            self.s.connection().execute(moved, self._updates)
            self._updates = []


def _trim_memory() -> None:
    """Hand the flush's freed copies back to the system (glibc keeps freed heap otherwise)."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return None


_LIBC = _libc()


def add_samples(s: Session, profile_id: int, items: Iterable[SampleData | SampleBatch]) -> int:
    """Add samples to a profile, skipping any whose natural key is stored. Returns rows added."""
    writer = SampleWriter(s, profile_id)
    writer.add_all(items)
    return writer.close()
