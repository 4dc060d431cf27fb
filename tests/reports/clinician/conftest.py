"""Shared for the report tests: one demo report made once per test process (a fixed clock and seed),
and a web app on the `db` fixture for the job flow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pacekeeper.clock import FixedClock
from pacekeeper.config import Settings, load_settings
from pacekeeper.db import Database
from pacekeeper.demo import install_demo
from pacekeeper.reports.clinician import Report, make_report
from pacekeeper.web import create_app
from tests.reports.clinician.report_helpers import DEMO_DAYS, DEMO_NOW, DEMO_SEED
from tests.web.helpers import LOCAL


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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {"PACEKEEPER_HOME": str(tmp_path / "home"), "PACEKEEPER_SECRET_KEY": "k" * 40}
    )


@pytest.fixture
def app(settings: Settings, db: Database, clock: FixedClock) -> FastAPI:
    return create_app(settings, db, clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, client=LOCAL) as c:
        yield c
