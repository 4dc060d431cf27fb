"""Where a database's sample files live.

SQLite: beside the database file (`pacekeeper.db` -> `pacekeeper-samples/`), which by default is
inside PACEKEEPER_HOME. PostgreSQL: `<home>/samples/<host>-<port>-<database>/`, so two
databases served from one home never share (or sweep) each other's files. The home is the one
the settings chose (`Database(url, home=...)`); only a Database made without one falls back to
$PACEKEEPER_HOME, as the settings would.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session


def _home() -> Path:
    # The same default as config.load_settings: the store must agree with the settings.
    return Path(os.environ.get("PACEKEEPER_HOME") or "var").expanduser().resolve()


def store_root(url: URL | str, home: Path | None = None) -> Path:
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        db_file = Path(str(parsed.database)).expanduser().resolve()
        return db_file.parent / f"{db_file.stem}-samples"
    label = f"{parsed.host or 'local'}-{parsed.port or 'default'}-{parsed.database or 'memory'}"
    return (home or _home()) / "samples" / re.sub(r"[^A-Za-z0-9_.-]", "_", label)


def root_of(s: Session) -> Path:
    root = s.info.get(ROOT_KEY)
    return root if isinstance(root, Path) else store_root(s.get_bind().engine.url)


ROOT_KEY = "pacekeeper_samples_root"  # set by Database on every session it makes
