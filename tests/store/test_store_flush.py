"""How the sample writer flushes: a month given in time order is written once, a month that
comes back within one import is rewritten without harm, and every part the import wrote is on
disk (fsynced) before its index rows are committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import event, select

from pacekeeper import store
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db.tables import SamplePart
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch
from pacekeeper.store import pending, writer

JAN = datetime(2026, 1, 1, tzinfo=UTC)


def hours(first: int, n: int, *, kind: str = "heart_rate", source: str = "Watch") -> SampleBatch:
    """`n` hourly samples from `first` hours after 1 January 2026."""
    starts = [JAN + timedelta(hours=first + i) for i in range(n)]
    return SampleBatch(
        pa.table(
            {
                "kind": [kind] * n,
                "start": starts,
                "utc_offset_minutes": pa.array([60] * n, pa.int16()),
                "end": pa.nulls(n, pa.timestamp("us", tz="UTC")),
                "value": [float(60 + (first + i) % 40) for i in range(n)],
                "source": [source] * n,
                "extra": pa.nulls(n, pa.string()),
            },
            schema=SAMPLE_SCHEMA,
        )
    )


def named(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {r.file: r.rows for r in s.execute(select(SamplePart.file, SamplePart.rows))}


def on_disk(db: Database) -> set[str]:
    root = store.store_root(db.url)
    return {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")}


def count_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    written: list[str] = []
    real = writer.write_part

    def counted(root: Path, name: str, frame: object) -> None:
        written.append(name)
        real(root, name, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "write_part", counted)
    return written


def test_months_in_time_order_are_each_written_once(
    db: Database, pid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = count_writes(monkeypatch)
    day = 24
    with db.write() as s:
        w = writer.SampleWriter(s, pid, flush_rows=3000)  # a month of both fits in half
        for first in range(0, 120 * day, 2 * day):  # four months, two days a batch
            w.add(hours(first, 2 * day))
            w.add(hours(first, 2 * day, kind="steps", source="Phone"))
        assert w.close() == 2 * 120 * day
    parts = named(db)
    assert len(written) == len(parts) == 2 * 4  # January to April, two kinds: no rewrites
    assert sum(parts.values()) == 2 * 120 * day
    assert on_disk(db) == set(parts)


def test_a_month_that_comes_back_is_merged_and_nothing_is_left_over(
    db: Database, pid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = count_writes(monkeypatch)
    monkeypatch.setattr(pending, "SETTLE_AT", 2)  # wait for syncs while parts are replaced
    with db.write() as s:
        w = writer.SampleWriter(s, pid, flush_rows=50)
        w.add(hours(0, 100))  # January
        w.add(hours(800, 100))  # February
        w.add(hours(1500, 100))  # March
        w.add(hours(50, 100))  # January again, half of it seen already
        assert w.close() == 350
    parts = named(db)
    assert len(written) > len(parts) == 3  # January was written, then rewritten
    assert sum(parts.values()) == 350
    assert on_disk(db) == set(parts)  # the replaced January of this import is gone
    with db.write() as s:
        assert store.add_samples(s, pid, [hours(0, 150), hours(1500, 100)]) == 0


def test_every_part_is_synced_before_the_index_is_committed(
    db: Database, pid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[Path] = []
    real = pending._fsync

    def recorded(path: Path) -> None:
        real(path)
        synced.append(path)

    monkeypatch.setattr(pending, "_fsync", recorded)
    monkeypatch.setattr(pending, "SETTLE_AT", 2)  # some waited for on the way, the rest at commit
    at_commit: list[set[Path]] = []
    with db.write() as s:
        store.add_samples(s, pid, [hours(0, 2000)])  # three months
        conn = s.connection()
        event.listen(conn, "commit", lambda _conn: at_commit.append(set(synced)))
    root = store.store_root(db.url)
    files = {root / name for name in named(db)}
    assert len(files) == 3
    assert at_commit and files <= at_commit[0]


@pytest.fixture
def pid(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    return make_profile(db, clock)
