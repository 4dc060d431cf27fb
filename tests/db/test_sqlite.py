"""SQLite specifics: WAL, foreign keys, a busy timeout, and one writer at a time, whether the
other writer is a thread of this process or another process."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.engine import BUSY_TIMEOUT_MS
from pacekeeper.db.tables import Tracker
from pacekeeper.domain import SampleKind


def test_pragmas_on_every_connection(sqlite_db: Database) -> None:
    for session in (sqlite_db.read, sqlite_db.write):
        with session() as s:
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert s.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS
    assert BUSY_TIMEOUT_MS >= 1000


def test_foreign_keys_are_enforced(sqlite_db: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), sqlite_db.write() as s:
        s.add(Tracker(profile_id=4242, key="k", label="K", kind="scale", min_value=0, max_value=10))


def test_threads_writing_at_once_are_serialised(sqlite_db: Database, clock, make_profile):
    pid = make_profile(sqlite_db, clock)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait(10)
            for i in range(20):
                with sqlite_db.write() as s:
                    p = profiles_db.get_profile(s, pid)
                    at = clock.now() + timedelta(minutes=n, seconds=i)
                    sample = samples_db.SampleData(SampleKind.STEPS, at, i, f"thread {n}")
                    assert samples_db.add_samples(s, p, [sample]) == 1
                    p.name = f"written by {n}"
        except BaseException as exc:  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert not any(t.is_alive() for t in threads)
    with sqlite_db.read() as s:
        assert s.scalar(text("SELECT sum(rows) FROM sample_parts")) == 80
        assert profiles_db.get_profile(s, pid).name.startswith("written by ")


# Another process takes SQLite's write lock, says so, and holds it for a moment.
HOLD_LOCK = """
import sys, time
from sqlalchemy import text
from pacekeeper.db import Database
db = Database(sys.argv[1])
with db.write() as s:
    s.execute(text("UPDATE profiles SET name = 'held'"))
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
db.dispose()
"""


def test_a_writer_in_another_process_waits_instead_of_failing(
    sqlite_db: Database, clock, make_profile
) -> None:
    pid = make_profile(sqlite_db, clock)
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, sqlite_db.url, "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        line = holder.stdout.readline().strip()
        assert line == "locked", holder.stderr.read() if holder.stderr else line
        # WAL: reading goes on while the other process writes, and sees only committed data.
        with sqlite_db.read() as s:
            assert profiles_db.get_profile(s, pid).name == "Test person"
        # This write waits for the lock (busy timeout) instead of failing with "database is
        # locked", and so lands after the other process's write.
        with sqlite_db.write() as s:
            profiles_db.get_profile(s, pid).name = "mine"
        assert holder.wait(30) == 0, holder.stderr.read() if holder.stderr else ""
    with sqlite_db.read() as s:
        assert profiles_db.get_profile(s, pid).name == "mine"
