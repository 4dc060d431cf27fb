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

from pacekeeper.db import Database
from pacekeeper.db.tables import CheckIn, Sample
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
from pacekeeper.importers import import_paths
db = Database(sys.argv[1])
print("start", flush=True)
import_paths(db, int(sys.argv[2]), [Path(sys.argv[3])], now=datetime.now(UTC))
print("done", flush=True)
"""


def counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (
            int(s.scalar(select(func.count()).select_from(Sample)) or 0),
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
