"""Parse worker processes: blocks come back in file order, errors arrive where they happened,
a worker that dies is a clear error, stopping early leaves no process behind; the line
converter agrees with the one-record path on every time stamp; and an Apple Health import
loads neither Polars nor Arrow's own allocator (what keeps its memory under 200 MB)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacekeeper.importers import apple_health_workers as workers
from pacekeeper.importers.apple_health_columns import KIND_NAMES, TABLES
from pacekeeper.importers.apple_health_lines import NOT_READ, ONE_BY_ONE, _stamp, convert
from pacekeeper.importers.apple_health_records import parse_time

HR = "HKQuantityTypeIdentifierHeartRate"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def record(value: str, start: str = "2024-05-01 10:00:00 +0200", kind: str = HR) -> bytes:
    return (
        f' <Record type="{kind}" sourceName="Watch" unit="count/min" startDate="{start}"'
        f' endDate="{start}" value="{value}"/>\n'
    ).encode()


def blocks(n: int) -> Iterator[workers.Block]:
    for i in range(n):
        yield record(str(60 + i % 50)) * (i + 1), i * 1000


def test_blocks_come_back_in_order_with_their_own_columns() -> None:
    got = list(workers.converted(blocks(12), TABLES, 2))
    assert [b for b, _ in got] == list(blocks(12))
    for i, (_, lines) in enumerate(got):
        assert len(lines["kind"]) == i + 1
        assert set(lines["value"]) == {60.0 + i % 50}
    # and the same as converting here
    assert [r for _, r in got] == [r for _, r in workers.converted(blocks(12), TABLES, 0)]


def test_a_read_error_arrives_after_the_blocks_before_it() -> None:
    def failing() -> Iterator[workers.Block]:
        yield from blocks(3)
        raise OSError("the disk went away")

    out = workers.converted(failing(), TABLES, 2)
    assert [next(out)[0] for _ in range(3)] == list(blocks(3))
    with pytest.raises(OSError, match="the disk went away"):
        next(out)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[workers._Worker]:
    """The workers the test starts, as they start."""
    seen: list[workers._Worker] = []
    real = workers._Worker.__init__

    def remember(self: workers._Worker, tables: object) -> None:
        real(self, tables)
        seen.append(self)

    monkeypatch.setattr(workers._Worker, "__init__", remember)
    return seen


def test_a_worker_that_dies_is_a_clear_error(started: list[workers._Worker]) -> None:
    out = workers.converted(blocks(50), TABLES, 2)
    next(out)
    for w in started:
        w.process.kill()
    with pytest.raises(
        workers.WorkerStopped, match=r"one of its reading processes ended.*Nothing was stored"
    ):
        list(out)


def test_stopping_early_leaves_no_worker_running(started: list[workers._Worker]) -> None:
    out = workers.converted(blocks(200), TABLES, 2)
    next(out)
    out.close()
    assert len(started) == 2
    assert all(w.process.poll() is not None for w in started)


def test_workers_by_size() -> None:
    assert workers.worker_count(3 << 20, 1 << 20) == 0  # a few blocks: not worth a process
    many = workers.worker_count(1 << 30, 1 << 20)
    cores = len(os.sched_getaffinity(0))
    assert many == (0 if cores < 2 else min(workers.MOST_WORKERS, cores))


def test_lines_that_do_not_convert_are_marked_not_guessed() -> None:
    block = (
        record("61")
        + record("x")  # not a number: the one-record path reports it
        + record("62", start="2024-05-01 10:00:61 +0200")  # no such second
        + record("63", start="2024-05-01T10:00:00+0200")  # written another way
        + record("7", kind="HKQuantityTypeIdentifierBasalEnergyBurned")  # not read
    )
    lines = convert(block, TABLES)
    assert lines is not None
    kinds = list(lines["kind"])
    assert kinds[0] == KIND_NAMES.index("heart_rate")
    assert kinds[1:4] == [ONE_BY_ONE] * 3
    assert kinds[4] == NOT_READ
    assert lines["whats"][lines["aux"][4]] == (
        "HKQuantityTypeIdentifierBasalEnergyBurned",
        "count/min",
        False,
    )
    assert lines["attrs"][1][0]["value"] == "x"
    assert convert(b"\xff" + block, TABLES) == {"text": False, "lines": 5}  # expat reports it


offsets = st.integers(min_value=-14 * 60, max_value=14 * 60)
NAIVE_EPOCH = EPOCH.replace(tzinfo=None)
wall_times = st.datetimes(
    min_value=NAIVE_EPOCH + timedelta(days=366), max_value=NAIVE_EPOCH + timedelta(days=47_000)
)


@settings(max_examples=300, deadline=None)
@given(
    wall_times,
    offsets,
)
def test_a_stamp_reads_as_the_one_record_path_reads_it(when: datetime, offset: int) -> None:
    zone = timezone(timedelta(minutes=offset))
    text = when.replace(microsecond=0, tzinfo=zone).strftime("%Y-%m-%d %H:%M:%S %z")
    got = _stamp(text.encode(), {})
    want = parse_time(text)
    assert got is not None
    assert got == ((want - EPOCH) // timedelta(microseconds=1), offset)


@settings(max_examples=1000, deadline=None)
@given(
    wall_times,
    offsets,
    st.integers(min_value=0, max_value=24),
    st.sampled_from(list(b"0123456789 :+-T.x9")),
)
def test_a_stamp_is_read_right_or_left_to_the_one_record_path(
    when: datetime, offset: int, at: int, byte: int
) -> None:
    """One byte of a good stamp changed: the converter reads it as the one-record path does,
    or leaves it to that path; it never reads it differently."""
    zone = timezone(timedelta(minutes=offset))
    good = when.replace(microsecond=0, tzinfo=zone).strftime("%Y-%m-%d %H:%M:%S %z").encode()
    text = good[:at] + bytes([byte]) + good[at + 1 :]
    got = _stamp(text, {})
    if got is None:
        return
    want = parse_time(text.decode())
    offset_minutes = want.utcoffset() // timedelta(minutes=1)
    assert got == ((want - EPOCH) // timedelta(microseconds=1), offset_minutes)


def test_an_import_loads_no_polars_and_uses_the_system_allocator(tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en">\n'
        + record("61") * 10
        + b"</HealthData>\n"
    )
    script = (
        "import sys\n"
        "from pacekeeper.cli import main\n"
        "main(['profile', 'create', '--name', 'A', '--time-zone', 'UTC'], standalone_mode=False)\n"
        "main(['import', sys.argv[1]], standalone_mode=False)\n"
        "import pyarrow\n"
        "print(sorted(m for m in ('polars', 'pyarrow') if m in sys.modules))\n"
        "print(pyarrow.default_memory_pool().backend_name)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    env["PACEKEEPER_HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-c", script, str(export)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    *_, modules, pool = done.stdout.strip().splitlines()
    assert modules == "['pyarrow']"
    assert pool == "system"


def test_the_text_between_records_comes_with_its_line() -> None:
    workout = b' <Workout workoutActivityType="HKWorkoutActivityTypeWalking"\n  duration="5"/>\n'
    block = record("61") + workout + record("62") + record("63") + b" <Me/>\n"
    lines = convert(block, TABLES)
    assert lines["lines"] == 6
    assert list(lines["gaps"]) == [1, 3]  # before the second record, after the last
    assert list(lines["gap_lines"]) == [1, 5]  # newlines before each
    assert convert(record("61"), TABLES)["gaps"].tolist() == []


def test_when_no_worker_can_start_the_blocks_are_converted_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(workers.subprocess, "Popen", refuse)
    got = list(workers.converted(blocks(5), TABLES, 2))
    assert got == list(workers.converted(blocks(5), TABLES, 0))
