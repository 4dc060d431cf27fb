"""No byte sequence makes an import raise anything but ImportFileError, and a killed import
leaves the store exactly as it was."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pacekeeper import store
from pacekeeper.db import Database
from pacekeeper.db.tables import CheckIn, SamplePart
from pacekeeper.errors import ImportFileError
from pacekeeper.importers import import_paths
from tests.importers.conftest import VISIBLE

SEEDS = [
    VISIBLE.encode(),
    b"date,metric,value\n2026-03-10,fatigue,5\n",
    b"date;fatigue\n2026-03-10;4\n",
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    base = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(base) - 1))
        base[i] = draw(st.integers(0, 255))
    return bytes(base[: draw(st.integers(0, len(base)))])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.binary(max_size=300), damaged()))
def test_any_bytes_import_or_fail_cleanly(sqlite_db, clock, make_profile, tmp_path, data):
    with sqlite_db.read() as s:
        from pacekeeper.db.profiles import list_profiles

        profiles = list_profiles(s)
    pid = profiles[0].id if profiles else make_profile(sqlite_db, clock)
    path = tmp_path / "input.csv"
    path.write_bytes(data)
    try:
        reports = import_paths(sqlite_db, pid, [path], now=clock.now())
    except ImportFileError as exc:
        refused: ImportFileError | None = exc
    else:
        refused = None
        assert len(reports) == 1
        assert all(s.where.startswith("line ") for s in reports[0].skipped)
    if refused is not None:
        assert str(path) in str(refused)


IMPORT = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from pacekeeper.db import Database
from pacekeeper import store
from pacekeeper.importers import import_paths
db = Database(sys.argv[1])
print("start", flush=True)
import_paths(db, int(sys.argv[2]), [Path(sys.argv[3])], now=datetime.now(UTC))
print("done", flush=True)
"""


def counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (
            int(s.scalar(select(func.sum(SamplePart.rows))) or 0),
            int(s.scalar(select(func.count()).select_from(CheckIn)) or 0),
        )


def test_killing_an_import_anywhere_leaves_the_store_as_it_was(
    sqlite_db, clock, make_profile, tmp_path: Path
):
    pid = make_profile(sqlite_db, clock)
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as f:
        f.write("time,metric,value,unit\n")
        for i in range(60_000):
            f.write(
                f"2026-03-{1 + i // 5000:02d}T{(i // 60) % 24:02d}:{i % 60:02d}:00+01:00,heart_rate,{60 + i % 40},bpm\n"
            )
        for d in range(1, 13):
            f.write(f"2026-03-{d:02d}T20:00:00+01:00,fatigue,{d % 10},\n")
    rng = random.Random(4)
    outcomes = set()
    for _ in range(5):
        before = counts(sqlite_db)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        proc = subprocess.Popen(
            [sys.executable, "-c", IMPORT, sqlite_db.url, str(pid), str(big)],
            stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0.05, 1.5))  # somewhere in the middle, or after it finished
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        after = counts(sqlite_db)
        # All or nothing: either exactly as before, or the whole file is in.
        assert after in (before, (60_000, 12)), (before, after)
        outcomes.add("nothing" if after == before else "all")
    assert "nothing" in outcomes  # at least one kill really landed mid-import


# The import above, with every part file write announced and slowed, so the kill can be timed
# to land between (or inside) the writes of a flush.
IMPORT_ANNOUNCING_PARTS = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from pacekeeper.db import Database
from pacekeeper import store
from pacekeeper.importers import import_paths
from pacekeeper.store import writer
real = writer.write_part
def announced(root, name, frame):
    print("part", flush=True)
    real(root, name, frame)
    time.sleep(0.02)
writer.write_part = announced
db = Database(sys.argv[1])
import_paths(db, int(sys.argv[2]), [Path(sys.argv[3])], now=datetime.now(UTC))
print("done", flush=True)
"""


def store_state(db: Database) -> tuple[int, set[str]]:
    with db.read() as s:
        total = int(s.scalar(select(func.sum(SamplePart.rows))) or 0)
        return total, set(s.scalars(select(SamplePart.file)))


def test_killing_an_import_while_it_writes_parts_leaves_the_store_as_it_was(
    sqlite_db, clock, make_profile, tmp_path: Path
):
    from datetime import UTC, datetime, timedelta

    pid = make_profile(sqlite_db, clock)
    first = tmp_path / "first.csv"
    first.write_text(
        "time,metric,value,unit,source\n2023-01-05T10:00:00+00:00,heart_rate,61,bpm,Watch\n"
    )
    import_paths(sqlite_db, pid, [first], now=clock.now())
    big = tmp_path / "three_years.csv"
    t0 = datetime(2023, 1, 1, tzinfo=UTC)
    with big.open("w", encoding="utf-8") as f:
        f.write("time,metric,value,unit,source\n")
        for i in range(3 * 365 * 12):  # every two hours for three years: 36 monthly parts
            at = (t0 + timedelta(hours=2 * i)).isoformat()
            f.write(f"{at},heart_rate,{60 + i % 40},bpm,Watch\n")
    root = store.store_root(sqlite_db.url)
    rng = random.Random(11)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(4):
        before = store_state(sqlite_db)
        proc = subprocess.Popen(
            [sys.executable, "-c", IMPORT_ANNOUNCING_PARTS, sqlite_db.url, str(pid), str(big)],
            stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 30)):  # some parts are written, others are not yet
            assert proc.stdout.readline().strip() == "part"
        time.sleep(rng.uniform(0, 0.02))  # inside a write, or between two
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        assert store_state(sqlite_db) == before  # nothing of the killed import is named
        on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")}
        assert on_disk > before[1]  # it did write files: they are left over, unnamed
        store.sweep(sqlite_db)
        on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")}
        assert on_disk == before[1]
    # The store still works: the whole file goes in, the sample already stored is a duplicate.
    (report,) = import_paths(sqlite_db, pid, [big], now=clock.now())
    n = 3 * 365 * 12
    assert (report.added["samples"], report.duplicates["samples"]) == (n - 1, 1)
    assert store_state(sqlite_db)[0] == n


# The import above with two parse workers whatever the machine's cores.
IMPORT_WITH_WORKERS = IMPORT.replace(
    "db = Database",
    "from pacekeeper.importers import apple_health_scan\n"
    "apple_health_scan.worker_count = lambda size, block: 2\n"
    "db = Database",
)


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from each process's stat, which every Linux has)."""
    kids: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:  # ended meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            kids.append(int(entry))
    return kids


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return any(line.split()[1] == "Z" for line in f if line.startswith("State:"))
    except FileNotFoundError:
        return True


def test_killing_an_apple_health_import_leaves_the_store_and_no_worker_behind(
    sqlite_db, clock, make_profile, tmp_path: Path
):
    """A 12 MB export is converted by parse worker processes; killing the import anywhere
    leaves the store as it was (or complete), and its workers end with it."""
    import io

    from tests.importers.test_apple_health_scan import GEN

    out = io.StringIO()
    GEN.write_export(out, 12 << 20, seed=5)
    export = tmp_path / "export.xml"
    export.write_text(out.getvalue(), encoding="utf-8")
    reference = Database(f"sqlite:///{tmp_path}/reference.db")
    reference.upgrade()
    import_paths(reference, make_profile(reference, clock), [export], now=clock.now())
    complete = store_state(reference)[0]
    reference.dispose()

    pid = make_profile(sqlite_db, clock)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    rng = random.Random(7)
    outcomes = set()
    for _ in range(4):
        before = store_state(sqlite_db)
        proc = subprocess.Popen(
            [sys.executable, "-c", IMPORT_WITH_WORKERS, sqlite_db.url, str(pid), str(export)],
            stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
        workers: list[int] = []
        while len(workers) < 2 and proc.poll() is None:  # wait until both workers run
            workers = _children(proc.pid)
        time.sleep(rng.uniform(0, 0.1))  # then kill it while they work, or a little after
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        after = store_state(sqlite_db)[0]
        assert after in (before[0], complete), (before[0], after, complete)
        outcomes.add("nothing" if after == before[0] else "all")
        deadline = time.monotonic() + 10
        while not all(_gone(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) == 2
        assert all(_gone(w) for w in workers)  # they saw their input close and ended
        store.sweep(sqlite_db)
    assert "nothing" in outcomes
