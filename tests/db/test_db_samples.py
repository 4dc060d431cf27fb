"""Wearable samples: the natural key (profile, kind, source, start) makes every import
idempotent, and batches larger than one insert are handled the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.samples import SampleData
from pacekeeper.domain import SampleKind
from pacekeeper.store.writer import ROW_CHUNK

PLUS2 = timezone(timedelta(hours=2))
START = datetime(2026, 3, 15, 8, 0, tzinfo=PLUS2)
HR = SampleKind.HEART_RATE


def minutes(n: int, *, source: str = "Watch", first: int = 0) -> list[SampleData]:
    return [SampleData(HR, START + timedelta(minutes=i), 60 + i, source) for i in range(first, n)]


def stored(db: Database, pid: int) -> int:
    with db.read() as s:
        return samples_db.count_samples(s, profiles_db.get_profile(s, pid))


def add(db: Database, pid: int, rows: object) -> int:
    with db.write() as s:
        return samples_db.add_samples(s, profiles_db.get_profile(s, pid), rows)  # type: ignore[arg-type]


def test_adding_the_same_samples_again_adds_nothing(db, pid) -> None:
    assert add(db, pid, minutes(50)) == 50
    assert add(db, pid, minutes(50)) == 0
    assert stored(db, pid) == 50


def test_an_overlapping_batch_adds_only_the_new_samples(db, pid) -> None:
    assert add(db, pid, minutes(30)) == 30
    # Minutes 20-44: 20-29 are stored already, 30-44 are new.
    assert add(db, pid, minutes(45, first=20)) == 15
    assert stored(db, pid) == 45
    with db.read() as s:
        got = samples_db.samples_between(
            s, profiles_db.get_profile(s, pid), HR, START, START + timedelta(hours=1)
        )
    assert [x.value for x in got] == [60 + i for i in range(45)]


def test_the_natural_key_is_per_source_and_kind(db, pid) -> None:
    assert add(db, pid, [SampleData(HR, START, 61, "Watch")]) == 1
    # The same minute from another device, or another kind of reading, is a different sample.
    assert add(db, pid, [SampleData(HR, START, 64, "Phone")]) == 1
    assert add(db, pid, [SampleData(SampleKind.SPO2, START, 97, "Watch")]) == 1
    # Same kind, source and start: the one stored first stays, whatever the new value.
    assert add(db, pid, [SampleData(HR, START, 99, "Watch")]) == 0
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        got = samples_db.samples_between(s, p, HR, START, START + timedelta(minutes=1))
        assert [(x.source, x.value, x.unit) for x in got] == [
            ("Phone", 64, "bpm"),
            ("Watch", 61, "bpm"),
        ]
        (spo2,) = samples_db.samples_between(s, p, SampleKind.SPO2, START, START + timedelta(1))
        assert (spo2.value, spo2.unit) == (97, "%")
        assert samples_db.count_samples(s, p) == 3


def test_the_same_instant_in_another_offset_is_the_same_sample(db, pid) -> None:
    assert add(db, pid, [SampleData(HR, START, 61, "Watch")]) == 1
    assert add(db, pid, [SampleData(HR, START.astimezone(UTC), 61, "Watch")]) == 0


def test_samples_of_another_profile_are_separate(db, clock, make_profile) -> None:
    ann, bob = make_profile(db, clock, name="Ann"), make_profile(db, clock, name="Bob")
    assert add(db, ann, minutes(10)) == 10
    assert add(db, bob, minutes(10)) == 10
    with db.read() as s:
        assert samples_db.count_samples(s, profiles_db.get_profile(s, ann)) == 10
        assert samples_db.count_samples(s, profiles_db.get_profile(s, bob)) == 10


def test_batches_larger_than_one_chunk_are_counted_right(db, pid) -> None:
    n = ROW_CHUNK * 2 + 123

    def stream() -> Iterator[SampleData]:  # importers stream: a generator, not a list
        for i in range(n):
            yield SampleData(SampleKind.STEPS, START + timedelta(seconds=30 * i), i % 40, "Band")

    assert add(db, pid, stream()) == n
    assert add(db, pid, stream()) == 0
    assert stored(db, pid) == n


def test_fields_and_offset_are_kept(db, pid) -> None:
    end = START + timedelta(minutes=5)
    sample = SampleData(
        SampleKind.STEPS,
        START,
        420,
        "Garmin Venu",
        end=end,
        extra={"device": "venu", "confidence": 0.5},
    )
    assert add(db, pid, [sample]) == 1
    with db.read() as s:
        (got,) = samples_db.samples_between(
            s, profiles_db.get_profile(s, pid), SampleKind.STEPS, START, end
        )
        assert got.start == datetime(2026, 3, 15, 6, 0, tzinfo=UTC)
        assert got.end == datetime(2026, 3, 15, 6, 5, tzinfo=UTC)
        assert got.start.tzinfo is UTC and got.end.tzinfo is UTC
        assert got.utc_offset_minutes == 120
        assert (got.kind, got.value, got.unit, got.source) == ("steps", 420, "count", "Garmin Venu")
        assert got.extra == {"device": "venu", "confidence": 0.5}


def test_samples_between_is_start_inclusive_end_exclusive(db, pid) -> None:
    add(db, pid, minutes(10))
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        got = samples_db.samples_between(
            s, p, HR, START + timedelta(minutes=2), START + timedelta(minutes=5)
        )
        assert [x.value for x in got] == [62, 63, 64]
        assert samples_db.samples_between(s, p, SampleKind.STEPS, START, START + timedelta(1)) == []


def test_an_empty_batch_adds_nothing(db, pid) -> None:
    assert add(db, pid, []) == 0
    assert add(db, pid, iter(())) == 0
