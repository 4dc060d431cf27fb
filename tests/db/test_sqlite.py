"""SQLite specifics: WAL, foreign keys, busy timeout, and one writer at a time."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select, text

from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Sample
from pacekeeper.domain import SampleKind


def test_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_threads_writing_at_once_are_serialised(sqlite_db, clock, make_profile) -> None:
    pid = make_profile(sqlite_db, clock)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with sqlite_db.write() as s:
                    p = profiles_db.get_profile(s, pid)
                    start = clock.now().replace(minute=n, second=i)
                    samples_db.add_samples(
                        s, p, [samples_db.SampleData(SampleKind.STEPS, start, i, f"w{n}")]
                    )
        except BaseException as exc:  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Sample)) == 80


HOLD_LOCK = """
import sys, time
from sqlalchemy import text
from pacekeeper.db import Database
db = Database(sys.argv[1])
with db.write() as s:
    s.execute(text("UPDATE profiles SET name = 'held'"))
    print("locked", flush=True)
    time.sleep(1.5)
"""


def test_a_writer_in_another_process_waits_instead_of_failing(
    sqlite_db, clock, make_profile, tmp_path: Path
) -> None:
    pid = make_profile(sqlite_db, clock)
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, sqlite_db.url], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        # The other process holds the write lock: this write waits for it instead of failing
        # with "database is locked", and lands after the other one.
        with sqlite_db.write() as s:
            profiles_db.get_profile(s, pid).name = "mine"
        assert holder.wait(10) == 0
    with sqlite_db.read() as s:
        assert profiles_db.get_profile(s, pid).name == "mine"
