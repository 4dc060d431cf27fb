"""Helpers for the storage tests: a profile to write to and row counts that read the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database


@pytest.fixture
def pid(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    """A profile (Europe/Oslo, built-in trackers) on the `db` under test."""
    return make_profile(db, clock)


@pytest.fixture
def rows(db: Database) -> Callable[[Any], int]:
    """rows(Table) -> how many rows the table holds, read in a new transaction."""

    def count(table: Any) -> int:
        with db.read() as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)

    return count
