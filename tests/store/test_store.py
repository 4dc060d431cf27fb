"""The Parquet sample store: idempotent merges, a staged swap that a rollback undoes, a sweep
that removes only unnamed files, and reads that open only the parts in range."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from sqlalchemy import select

from pacekeeper import store
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.tables import SamplePart
from pacekeeper.domain import SampleKind
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch
from pacekeeper.store import SampleData

T0 = datetime(2026, 1, 31, 23, 0, tzinfo=UTC)  # an hour before February: two months
HR = SampleKind.HEART_RATE


def batch(n: int, *, source: str = "Apple Watch", first: int = 0) -> SampleBatch:
    starts = [T0 + timedelta(minutes=i) for i in range(first, n)]
    return SampleBatch(
        pa.table(
            {
                "kind": ["heart_rate"] * len(starts),
                "start": starts,
                "utc_offset_minutes": pa.array([60] * len(starts), pa.int16()),
                "end": pa.nulls(len(starts), pa.timestamp("us", tz="UTC")),
                "value": [60.0 + i for i in range(first, n)],
                "source": [source] * len(starts),
                "extra": pa.nulls(len(starts), pa.string()),
            },
            schema=SAMPLE_SCHEMA,
        )
    )


def files_on_disk(db: Database) -> set[str]:
    root = store.store_root(db.url)
    return {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")}


def files_named(db: Database) -> set[str]:
    with db.read() as s:
        return set(s.scalars(select(SamplePart.file)))


def write(db: Database, pid: int, *items: SampleData | SampleBatch) -> int:
    with db.write() as s:
        return store.add_samples(s, pid, items)


def test_batches_and_single_samples_merge_without_repeats(db: Database, pid: int) -> None:
    assert write(db, pid, batch(120)) == 120
    single = SampleData(HR, T0 + timedelta(minutes=200), 77, "Apple Watch")
    # 60-179 overlap the stored 0-119 for 60 minutes; the single one is new.
    assert write(db, pid, batch(180, first=60), single) == 61
    assert write(db, pid, batch(180), single) == 0
    with db.read() as s:
        assert store.count_samples(s, pid) == 181
        got = store.read_samples(s, pid, [HR], T0, T0 + timedelta(days=1))
    assert got.height == 181
    assert got.sort("start")["value"].head(3).to_list() == [60.0, 61.0, 62.0]
    # One part per UTC month: January's hour and February's rest.
    assert len(files_named(db)) == 2


def test_a_replaced_part_is_deleted_after_commit(db: Database, pid: int) -> None:
    write(db, pid, batch(30))
    before = files_named(db)
    write(db, pid, batch(90, first=30))
    after = files_named(db)
    assert before.isdisjoint(after)  # new names: a part is never changed in place
    assert files_on_disk(db) == after


def test_a_rollback_leaves_the_store_as_it_was(db: Database, pid: int) -> None:
    write(db, pid, batch(30))
    files = files_named(db)

    class PowerCut(Exception):
        pass

    def write_then_fail() -> None:
        with db.write() as s:
            assert store.add_samples(s, pid, [batch(300)]) == 270
            assert len(files_on_disk(db)) > len(files)  # really written, not yet named
            raise PowerCut

    with pytest.raises(PowerCut):
        write_then_fail()
    assert files_named(db) == files == files_on_disk(db)
    with db.read() as s:
        assert store.count_samples(s, pid) == 30


def test_the_sweep_removes_only_files_no_part_names(db: Database, pid: int) -> None:
    write(db, pid, batch(30))
    kept = files_named(db)
    root = store.store_root(db.url)
    stray = root / f"p{pid}" / "heart_rate" / "2026-01" / "0123abcd.parquet"
    stray.write_bytes(b"half a file from a killed import")
    assert store.sweep(db) == 1
    assert files_on_disk(db) == kept
    with db.read() as s:
        assert store.count_samples(s, pid) == 30


def test_a_deleted_profiles_files_go_at_the_next_sweep(
    db: Database, clock: FixedClock, make_profile: Callable[..., int]
) -> None:
    ann, bob = make_profile(db, clock, name="Ann"), make_profile(db, clock, name="Bob")
    write(db, ann, batch(10))
    write(db, bob, batch(10))
    with db.write() as s:
        profiles_db.delete_profile(s, ann)
    store.sweep(db)
    assert files_on_disk(db) == files_named(db)
    assert all(f.startswith(f"p{bob}/") for f in files_on_disk(db))


def test_reads_open_only_the_parts_in_range(db: Database, pid: int) -> None:
    write(db, pid, batch(180))  # 23:00 on 31 January to 02:00 on 1 February
    write(db, pid, SampleData(HR, datetime(2026, 3, 5, tzinfo=UTC), 50, "Apple Watch"))
    root = store.store_root(db.url)
    (march,) = [f for f in files_named(db) if "/2026-03/" in f]
    (root / march).write_bytes(b"not parquet")  # would fail if it were opened
    with db.read() as s:
        got = store.read_samples(s, pid, [HR], T0, T0 + timedelta(hours=1))
        assert got.height == 60
        assert got.columns == list(SAMPLE_SCHEMA.names)[:-1]  # `extra` only when asked
        assert store.read_samples(s, pid, [SampleKind.STEPS], T0, T0 + timedelta(1)).height == 0


def test_an_unknown_kind_is_refused(db: Database, pid: int) -> None:
    bad = batch(3)
    table = bad.table.set_column(0, SAMPLE_SCHEMA.field("kind"), pa.array(["mood"] * 3))
    with db.write() as s, pytest.raises(ValueError, match="mood"):
        store.add_samples(s, pid, [SampleBatch(table)])


@pytest.fixture
def pid(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    return make_profile(db, clock)
