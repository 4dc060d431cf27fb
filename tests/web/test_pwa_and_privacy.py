from __future__ import annotations

import re
import struct
from pathlib import Path

import pacekeeper.web

WEB = Path(pacekeeper.web.__file__).parent
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_manifest_makes_the_app_installable(client):
    m = client.get("/manifest.webmanifest")
    assert m.headers["content-type"].startswith("application/manifest+json")
    data = m.json()
    assert data["display"] == "standalone" and data["start_url"] == "/"
    sizes = set()
    for icon in data["icons"]:
        resp = client.get(icon["src"])
        assert resp.status_code == 200
        w, h = png_size(WEB / icon["src"].removeprefix("/").replace("static/", "static/", 1))
        assert icon["sizes"] == f"{w}x{h}"
        sizes.add(w)
    assert {192, 512} <= sizes


def test_service_worker_is_served_from_the_root(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200
    assert sw.headers["content-type"].startswith("text/javascript")
    assert sw.headers["service-worker-allowed"] == "/"
    for path in re.findall(r'"(/static/[^"]+)"', sw.text):
        assert client.get(path).status_code == 200, path


def test_no_asset_is_loaded_from_another_site():
    for path in list((WEB / "templates").rglob("*.html")) + list((WEB / "static").rglob("*.js")):
        if "vendor" in path.parts:
            continue
        hits = EXTERNAL.findall(path.read_text(encoding="utf-8"))
        assert not hits, f"{path} loads from elsewhere: {hits}"


def test_pages_carry_a_strict_content_security_policy(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/checkin")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"  # health data is not cached by proxies
    assert "<script>" not in page.text  # no inline script, so the CSP can forbid it


def test_every_form_post_needs_the_csrf_token(app, client, db, clock, make_profile):
    from fastapi.routing import APIRoute

    from pacekeeper.web.routes import api, auth, checkin, history, profile, pwa, settings, today

    make_profile(db, clock)
    client.get("/checkin")  # the browser has a token cookie, but sends no CSRF token
    modules = (api, auth, checkin, history, profile, pwa, settings, today)
    posts = [
        r
        for m in modules
        for r in m.router.routes
        if isinstance(r, APIRoute) and "POST" in r.methods
    ]
    assert len(posts) >= 12
    for route in posts:
        path = (
            route.path.replace("{kind}", "activity")
            .replace("{entry_id}", "1")
            .replace("{key}", "fatigue")
        )
        resp = client.post(path, data={"day": "2026-03-15", "fatigue": "3", "username": "x"})
        assert resp.status_code == 403, f"{route.path} accepted a form without a CSRF token"
