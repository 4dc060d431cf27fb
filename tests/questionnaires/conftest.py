"""An app on the shared `db` fixture (SQLite and PostgreSQL) and a client, for questionnaires."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pacekeeper.clock import FixedClock
from pacekeeper.config import Settings, load_settings
from pacekeeper.db import Database
from pacekeeper.web import create_app
from tests.web.helpers import LOCAL


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
