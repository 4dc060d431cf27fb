from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest

from pacekeeper.config import load_settings
from pacekeeper.errors import ConfigError


def test_secret_key_is_made_once_private_and_reused(tmp_path):
    env = {"PACEKEEPER_HOME": str(tmp_path / "home")}
    first = load_settings(env)
    key_file = tmp_path / "home" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    assert load_settings(env).secret_key == first.secret_key
    assert first.database_url == f"sqlite:///{tmp_path / 'home' / 'pacekeeper.db'}"
    assert first.clock().now().tzinfo is not None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PACEKEEPER_SECRET_KEY": "short"}, "PACEKEEPER_SECRET_KEY: must be at least 32"),
        ({"PACEKEEPER_DATABASE_URL": "mysql://x"}, "PACEKEEPER_DATABASE_URL: only sqlite"),
        ({"PACEKEEPER_NOW": "2026-03-15T10:00"}, "PACEKEEPER_NOW: needs a UTC offset"),
        ({"PACEKEEPER_NOW": "soon"}, "PACEKEEPER_NOW: not an ISO date-time"),
    ],
)
def test_unsafe_or_malformed_settings_are_refused(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings({"PACEKEEPER_HOME": str(tmp_path), **env})


def test_postgresql_urls_use_psycopg_and_the_clock_can_be_fixed(tmp_path):
    s = load_settings({"PACEKEEPER_HOME": str(tmp_path), "PACEKEEPER_DATABASE_URL": "postgresql://u@h/db",
                       "PACEKEEPER_NOW": "2026-03-15T11:00+01:00"})  # fmt: skip
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert s.clock().now() == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
