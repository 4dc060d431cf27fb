"""Shared fixtures: every storage and web test runs on a SQLite file AND a real PostgreSQL server.

- `postgres_server` (session): a PostgreSQL server from Debian's package, started in a private
  temporary folder on a free loopback port; one per pytest-xdist worker. Trust authentication for
  loopback and its own socket folder only; durability off for speed. Tests run as root in CI and
  initdb refuses root, so the server then runs as the `postgres` user.
- `database_url`: a SQLite file, then a fresh PostgreSQL database (ids `sqlite`, `postgresql`;
  the second carries the `postgres` marker, so `-m "not postgres"` leaves it out).
- `db` (either database, migrated), `sqlite_db` (SQLite only, migrated), `clock` (fixed at
  2026-03-15T10:00Z), `make_profile(db, clock, **fields) -> profile id`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from psycopg import sql

from pacekeeper.clock import FixedClock
from pacekeeper.config import Settings, load_settings
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import parse_profile

PG_ROOT = Path("/usr/lib/postgresql")
MAKE_TEST = (
    "Run `make test` (it installs Debian's postgresql package through "
    "scripts/install-test-deps.sh), or install it with `apt-get install postgresql`."
)

# Written over initdb's pg_hba.conf: trust, but only on the server's own socket folder (inside
# the private temporary folder) and on 127.0.0.1. No ::1, no replication.
PG_HBA = """\
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
"""


class PostgresServer(str):
    """The running test server. As a string it is the base URL,
    postgresql+psycopg://postgres@127.0.0.1:PORT/postgres; `url(name)` is another database on it
    and `admin()` an autocommit psycopg connection to the `postgres` database."""

    host: str
    port: int
    data_dir: Path

    def __new__(cls, host: str, port: int, data_dir: Path) -> PostgresServer:
        server = super().__new__(cls, f"postgresql+psycopg://postgres@{host}:{port}/postgres")
        server.host, server.port, server.data_dir = host, port, data_dir
        return server

    @property
    def base_url(self) -> str:
        return str(self)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )


def _pg_bin_dir() -> Path:
    """The newest installed server's bin folder (15 beats 9.6: compared as numbers)."""

    def version(initdb: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", initdb.parent.parent.name))

    found = sorted(PG_ROOT.glob("*/bin/initdb"), key=version)
    if not found:
        pytest.fail(
            f"PostgreSQL's server is not installed (no {PG_ROOT}/*/bin/initdb); the storage and "
            f"web tests need a real one. {MAKE_TEST}",
            pytrace=False,
        )
    return found[-1].parent


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        pytest.fail(
            "running as root needs `runuser` (util-linux) to start PostgreSQL", pytrace=False
        )
    return ["runuser", "-u", "postgres", "--", *cmd]


def _scratch_dir() -> str | None:
    """Where the server's files go: tmpfs when there is room (CREATE DATABASE is ~15x faster there
    than on a disk, even with fsync off), else the usual temporary folder.

    Not pytest's tmp_path_factory: when running as root that folder is private to root
    (/tmp/pytest-of-root is 0700) and the server runs as `postgres`. Each xdist worker still gets
    its own folder and server, and the folder is removed at the end of the session.
    """
    shm = "/dev/shm"
    try:
        st = os.statvfs(shm)
    except OSError:
        return None
    roomy = st.f_bavail * st.f_frsize >= 1 << 30
    return shm if roomy and os.access(shm, os.W_OK | os.X_OK) else None


def _remove_stale(base: str | None) -> None:
    """Remove server folders that a killed test run left behind (tmpfs holds them in memory):
    only those older than an hour whose server is not running, so another run's are untouched."""
    for folder in Path(base or tempfile.gettempdir()).glob("pacekeeper-pg-*"):
        try:
            pid = int((folder / "data" / "postmaster.pid").read_text().split()[0])
            running = Path(f"/proc/{pid}").exists()
        except (OSError, ValueError, IndexError):
            running = False
        try:
            old = time.time() - folder.stat().st_mtime > 3600
        except OSError:
            continue
        if old and not running:
            shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], what: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            _as_server_user(cmd),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"{what}: {exc}", pytrace=False)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _pg_bin_dir()
    as_root = os.geteuid() == 0
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    scratch = _scratch_dir()
    _remove_stale(scratch)
    root = Path(tempfile.mkdtemp(prefix=f"pacekeeper-pg-{worker}-", dir=scratch))
    data, sock, log = root / "data", root / "sock", root / "server.log"
    started = False
    try:
        sock.mkdir()
        if as_root:
            try:
                for path in (root, sock):
                    shutil.chown(path, "postgres", "postgres")
            except LookupError:
                pytest.fail(
                    f"there is no `postgres` user to run the server as. {MAKE_TEST}", pytrace=False
                )
        done = _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            "initdb",
        )
        if done.returncode != 0:
            pytest.fail(f"initdb failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
        # Our settings (the folder is the server user's; when root writes, ownership is kept).
        (data / "pg_hba.conf").write_text(PG_HBA)
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# pacekeeper tests\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{sock}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "timezone = 'UTC'\nmax_connections = 100\n"
            )
        if as_root:
            for path in (data / "pg_hba.conf", data / "postgresql.conf"):
                shutil.chown(path, "postgres", "postgres")

        # Another worker may take the free port between choosing it and binding it: retry.
        for _attempt in range(5):
            port = _free_port()
            done = _run(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    f"-p {port}",
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                "pg_ctl start",
            )
            if done.returncode == 0:
                started = True
                break
            if "already in use" not in _tail(log, 10):
                break
        if not started:
            pytest.fail(
                f"PostgreSQL did not start:\n{done.stdout}\n{done.stderr}\n{_tail(log)}",
                pytrace=False,
            )
        server = PostgresServer("127.0.0.1", port, data)
        deadline = time.monotonic() + 30
        while True:
            try:
                with server.admin():
                    break
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    pytest.fail(f"PostgreSQL is not answering: {exc}\n{_tail(log)}", pytrace=False)
                time.sleep(0.05)
        yield server
    finally:
        try:
            # Stop it even when start-up half failed (pg_ctl timed out but the server came up).
            if started or (data / "postmaster.pid").exists():
                stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
                _run(stop, "pg_ctl stop")
        finally:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "postgresql"],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new database on the PostgreSQL test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/pacekeeper.db"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    # The sample store's files for a PostgreSQL database live under PACEKEEPER_HOME.
    request.getfixturevalue("monkeypatch").setenv("PACEKEEPER_HOME", str(tmp_path))
    name = f"t_{uuid.uuid4().hex[:20]}"
    with server.admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server.url(name)
    finally:
        with server.admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _migrated(url: str) -> Iterator[Database]:
    database = Database(url)
    try:
        database.upgrade()
        yield database
    finally:
        database.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The store at the newest migration, on SQLite and on PostgreSQL."""
    yield from _migrated(database_url)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """The store at the newest migration, SQLite only."""
    yield from _migrated(f"sqlite:///{tmp_path}/pacekeeper.db")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 15, 10, 0, tzinfo=UTC))


@pytest.fixture
def make_profile() -> Callable[..., int]:
    """make_profile(db, clock, **fields) -> id of a new profile with the built-in trackers."""

    def make(database: Database, clk: FixedClock, **fields: Any) -> int:
        raw = {"name": "Test person", "conditions": "me_cfs", "time_zone": "Europe/Oslo", **fields}
        data = parse_profile(raw, clk.now().date())
        with database.write() as s:
            return profiles_db.create_profile(s, data, clk.now()).id

    return make


# -- the web app on the shared `db` fixture, for every folder that tests pages -----------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {"PACEKEEPER_HOME": str(tmp_path / "home"), "PACEKEEPER_SECRET_KEY": "k" * 40}
    )


@pytest.fixture
def app(settings: Settings, db: Database, clock: FixedClock) -> FastAPI:
    from pacekeeper.web import create_app

    return create_app(settings, db, clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    from tests.web.helpers import LOCAL

    with TestClient(app, follow_redirects=False, client=LOCAL) as c:
        yield c
