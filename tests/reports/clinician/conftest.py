"""Shared for the report tests: one demo report made once per test process (a fixed clock and
seed). The web app and client come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.demo import install_demo
from pacekeeper.reports.clinician import Report, make_report
from tests.reports.clinician.report_helpers import DEMO_DAYS, DEMO_NOW, DEMO_SEED


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int]]:
    """A SQLite store holding the demo history (120 days, seed 7, ending 15 Mar 2026)."""
    folder = tmp_path_factory.mktemp("report-demo")
    database = Database(f"sqlite:///{folder}/pacekeeper.db")
    database.upgrade()
    try:
        pid = install_demo(database, FixedClock(DEMO_NOW), days=DEMO_DAYS, seed=DEMO_SEED)
        yield database, pid
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def demo_report(demo_store: tuple[Database, int]) -> Report:
    """The 90-day report of the demo profile, HTML and PDF."""
    database, pid = demo_store
    return make_report(database, pid, FixedClock(DEMO_NOW), 90)
