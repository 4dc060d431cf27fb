"""Settings from PACEKEEPER_* environment variables, read and checked once at start-up.

- PACEKEEPER_HOME: where the SQLite database and the secret key live (default ./var).
- PACEKEEPER_DATABASE_URL: a SQLAlchemy URL; PostgreSQL for clinic mode. Default: SQLite in HOME.
- PACEKEEPER_SECRET_KEY: signs sessions and CSRF tokens. Never defaulted: when unset, a random key
  is made once and kept in HOME/secret_key, readable only by its owner.
- PACEKEEPER_NOW: an ISO instant with offset that fixes the clock (demos and browser tests only).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pacekeeper.clock import Clock, FixedClock, SystemClock
from pacekeeper.errors import ConfigError

MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    secret_key: str
    fixed_now: datetime | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def clock(self) -> Clock:
        return FixedClock(self.fixed_now) if self.fixed_now else SystemClock()


def _secret_from_home(home: Path) -> str:
    path = home / "secret_key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"{path}: the secret key is too short; delete the file to make a new one"
            )
        return key
    key = secrets.token_urlsafe(48)
    # Create with owner-only permissions from the start; never world-readable, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    return key


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    home = Path(env.get("PACEKEEPER_HOME") or "var").expanduser().resolve()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"PACEKEEPER_HOME: cannot use {home}: {exc.strerror}") from exc

    url = env.get("PACEKEEPER_DATABASE_URL") or f"sqlite:///{home / 'pacekeeper.db'}"
    if not (url.startswith("sqlite") or url.startswith("postgresql")):
        raise ConfigError(
            "PACEKEEPER_DATABASE_URL: only sqlite:/// and postgresql:// URLs are supported"
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")

    secret = env.get("PACEKEEPER_SECRET_KEY")
    if secret is not None and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"PACEKEEPER_SECRET_KEY: must be at least {MIN_SECRET_LENGTH} characters")
    if secret is None:
        secret = _secret_from_home(home)

    fixed_now = None
    if raw := env.get("PACEKEEPER_NOW"):
        try:
            fixed_now = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise ConfigError(f"PACEKEEPER_NOW: not an ISO date-time: {raw!r}") from exc
        if fixed_now.tzinfo is None:
            raise ConfigError(
                "PACEKEEPER_NOW: needs a UTC offset, for example 2026-05-01T09:00+02:00"
            )

    return Settings(home=home, database_url=url, secret_key=secret, fixed_now=fixed_now)
