"""Installable-app plumbing: manifest, service worker, the root redirect and a health check."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.web import context

router = APIRouter()
STATIC = Path(__file__).parent.parent / "static"

MANIFEST = {
    "name": "Pacekeeper",
    "short_name": "Pacekeeper",
    "description": "Pacing companion: daily check-in, energy budget, paced sessions.",
    "start_url": "/",
    "scope": "/",
    "display": "standalone",
    "background_color": "#f6f4ef",
    "theme_color": "#2f4a3a",
    "icons": [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": "/static/icons/icon-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ],
}


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return JSONResponse(MANIFEST, media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker() -> Response:
    # Served from the root so its scope covers every page.
    return FileResponse(
        STATIC / "js" / "sw.js",
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@router.get("/healthz")
def healthz() -> Response:
    return JSONResponse({"ok": True})


@router.get("/", dependencies=[Depends(context.require_user)])
def root(request: Request) -> Response:
    """Straight to the check-in if today has none yet, otherwise to today's page."""
    pid = context.current_profile_id(request)
    db, clock = context.db_of(request), context.clock_of(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        done = checkins_db.get_checkin(s, p, profiles_db.today_for(p, clock)) is not None
    return RedirectResponse("/today" if done else "/checkin", status_code=303)
