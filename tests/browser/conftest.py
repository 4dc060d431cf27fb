"""A real server and a real browser: uvicorn on a free loopback port, Debian's Chromium driven
by Playwright (never a downloaded browser)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Playwright, sync_playwright

from pacekeeper.clock import FixedClock
from pacekeeper.config import load_settings
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import parse_profile
from pacekeeper.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# Chromium must not try to reach the network on its own (updates, sync, safe browsing).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One worker runs all browser tests: one Chromium at a time on a 2-core machine.
            item.add_marker(pytest.mark.xdist_group("browser"))


@dataclass
class LiveServer:
    url: str
    db: Database
    clock: FixedClock

    def add_profile(self, **fields: str) -> int:
        """A profile made as the setup page would (Ann, ME/CFS, Oslo unless told otherwise)."""
        raw = {"name": "Ann", "conditions": "me_cfs", "time_zone": "Europe/Oslo", **fields}
        with self.db.write() as s:
            data = parse_profile(raw, self.clock.now().date())
            return profiles_db.create_profile(s, data, self.clock.now()).id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = load_settings(
        {"PACEKEEPER_HOME": str(tmp_path / "home"), "PACEKEEPER_SECRET_KEY": "b" * 40}
    )
    db = Database(settings.database_url)
    db.upgrade()
    clock = FixedClock(datetime(2026, 3, 15, 10, 0, tzinfo=UTC))
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, db, clock), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", db, clock)
    server.should_exit = True
    thread.join(10)
    db.dispose()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing: run `make test`, which installs Debian's chromium package"
        )
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield b
    b.close()
