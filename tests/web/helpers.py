"""Helpers for web tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_of(client: TestClient, path: str = "/checkin") -> str:
    """The CSRF token a page gives this client's browser."""
    page = client.get(path, follow_redirects=True)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


# The address the test client connects from: this computer, as a browser on it would.
LOCAL = ("127.0.0.1", 50000)
