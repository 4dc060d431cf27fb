"""Settings refuse unsafe or malformed values, and the secret key is made once, private."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pacekeeper.clock import FixedClock, SystemClock
from pacekeeper.config import MIN_SECRET_LENGTH, load_settings
from pacekeeper.errors import ConfigError


def test_a_secret_key_is_made_once_private_and_reused(tmp_path: Path) -> None:
    home = tmp_path / "home"  # does not exist yet: it is made
    env = {"PACEKEEPER_HOME": str(home)}
    old_umask = os.umask(0)  # even a permissive umask must not make the key readable by others
    try:
        first = load_settings(env)
    finally:
        os.umask(old_umask)
    key_file = home / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= MIN_SECRET_LENGTH
    assert key_file.read_text().strip() == first.secret_key
    second = load_settings(env)
    assert second.secret_key == first.secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Another home gets another key.
    assert (
        load_settings({"PACEKEEPER_HOME": str(tmp_path / "other")}).secret_key != first.secret_key
    )


def test_defaults(tmp_path: Path) -> None:
    s = load_settings({"PACEKEEPER_HOME": str(tmp_path)})
    assert s.home == tmp_path.resolve()
    assert s.database_url == f"sqlite:///{tmp_path.resolve() / 'pacekeeper.db'}"
    assert s.is_sqlite
    assert s.fixed_now is None
    assert isinstance(s.clock(), SystemClock)


def test_a_secret_key_from_the_environment_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    key = "k" * MIN_SECRET_LENGTH
    s = load_settings({"PACEKEEPER_HOME": str(tmp_path), "PACEKEEPER_SECRET_KEY": key})
    assert s.secret_key == key
    assert not (tmp_path / "secret_key").exists()


def test_a_too_short_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ConfigError, match="secret key is too short; delete the file"):
        load_settings({"PACEKEEPER_HOME": str(tmp_path)})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PACEKEEPER_SECRET_KEY": "short"}, "PACEKEEPER_SECRET_KEY: must be at least 32"),
        ({"PACEKEEPER_SECRET_KEY": "k" * 31}, "PACEKEEPER_SECRET_KEY: must be at least 32"),
        ({"PACEKEEPER_SECRET_KEY": ""}, "PACEKEEPER_SECRET_KEY: must be at least 32"),
        ({"PACEKEEPER_DATABASE_URL": "mysql://x"}, "PACEKEEPER_DATABASE_URL: only sqlite"),
        ({"PACEKEEPER_DATABASE_URL": "/var/db.sqlite"}, "PACEKEEPER_DATABASE_URL: only sqlite"),
        ({"PACEKEEPER_NOW": "2026-03-15T10:00"}, "PACEKEEPER_NOW: needs a UTC offset"),
        ({"PACEKEEPER_NOW": "soon"}, "PACEKEEPER_NOW: not an ISO date-time"),
    ],
)
def test_unsafe_or_malformed_settings_are_refused(tmp_path: Path, env, message) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({"PACEKEEPER_HOME": str(tmp_path), **env})
    if "PACEKEEPER_SECRET_KEY" in env:
        # A refused secret never falls back to a generated one.
        assert not (tmp_path / "secret_key").exists()


def test_a_home_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="PACEKEEPER_HOME: cannot use"):
        load_settings({"PACEKEEPER_HOME": str(blocker / "home")})


def test_postgresql_urls_use_psycopg(tmp_path: Path) -> None:
    def url(raw: str) -> str:
        s = load_settings({"PACEKEEPER_HOME": str(tmp_path), "PACEKEEPER_DATABASE_URL": raw})
        assert not s.is_sqlite
        return s.database_url

    assert url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert url("postgresql+psycopg://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"


def test_the_clock_can_be_fixed(tmp_path: Path) -> None:
    s = load_settings(
        {"PACEKEEPER_HOME": str(tmp_path), "PACEKEEPER_NOW": "2026-03-15T11:00+01:00"}
    )
    clock = s.clock()
    assert isinstance(clock, FixedClock)
    assert clock.now() == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_settings_come_from_the_process_environment_by_default(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PACEKEEPER_HOME", str(tmp_path / "from-env"))
    monkeypatch.setenv("PACEKEEPER_SECRET_KEY", "e" * 40)
    monkeypatch.delenv("PACEKEEPER_DATABASE_URL", raising=False)
    monkeypatch.delenv("PACEKEEPER_NOW", raising=False)
    s = load_settings()
    assert s.home == (tmp_path / "from-env").resolve()
    assert s.secret_key == "e" * 40
