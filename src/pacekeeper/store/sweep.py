"""Removing files the index does not name: what a killed import or a deleted profile left.

Runs in its own transaction. SQLite's BEGIN IMMEDIATE and, on PostgreSQL, a table lock that
conflicts with every sample writer's lock make sure no writer is between writing a file and
committing its index row while the folder is listed.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select, text

from pacekeeper.db.engine import Database
from pacekeeper.db.tables import SamplePart
from pacekeeper.store.parts import SUFFIX


def _files(root: Path) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if name.endswith(SUFFIX):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return found


def sweep(db: Database) -> int:
    """Delete unnamed part files and empty folders; returns how many files were removed."""
    root = db.samples_root
    if not root.exists():
        return 0
    removed = 0
    with db.write() as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("LOCK TABLE sample_parts IN SHARE ROW EXCLUSIVE MODE"))
        named = set(s.scalars(select(SamplePart.file)))
        for name in _files(root):
            if name.replace(os.sep, "/") not in named:
                (root / name).unlink(missing_ok=True)
                removed += 1
        # Still under the lock: no writer can be between mkdir and writing its file.
        for folder, dirs, names in os.walk(root, topdown=False):
            if not dirs and not names and Path(folder) != root:
                os.rmdir(folder)
    return removed
