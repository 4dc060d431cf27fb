"""The public side of a share link: /shared/{token} (the report page) and /shared/{token}/pdf.

No sign-in, no cookie, nothing cached by the browser or indexed. An unknown, revoked or expired
token all get the same plain page, which says nothing of any report. Failed look-ups are counted
per client address and slowed down as sign-ins are (routes/auth.py). Drawing a report takes
seconds, so it runs in a worker thread and each link's page and PDF are kept in memory for a few
minutes; the link itself is checked in the database on every request, so a revoked or expired
link is never served from that memory, and revoking also drops it.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from pacekeeper.db import shares as shares_db
from pacekeeper.reports.clinician import Period, make_report, render_pdf
from pacekeeper.web import context
from pacekeeper.web.routes.clinician import REPORT_CSP
from pacekeeper.web.templating import templates

router = APIRouter()  # deliberately without context.require_user: the token is the key
PREFIX = "/shared/"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": REPORT_CSP,
}
MAX_FAILS, WINDOW_S = 20, 15 * 60  # failed look-ups per client address
KEEP_S, KEEP_MAX = 5 * 60, 16  # rendered reports kept: seconds, and links at most
T = TypeVar("T", str, bytes)


@dataclass
class RenderCache:
    """Each link's rendered page and PDF, for a few minutes (a clinician clicks twice)."""

    made: dict[tuple[int, str], tuple[float, str | bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get_or_make(self, link_id: int, kind: str, make: Callable[[], T]) -> T:
        now = time.monotonic()
        with self.lock:
            hit = self.made.get((link_id, kind))
        if hit is not None and now - hit[0] < KEEP_S:
            return hit[1]  # type: ignore[return-value]  # stored under its own kind
        value = make()
        with self.lock:
            self.made = {k: v for k, v in self.made.items() if now - v[0] < KEEP_S}
            while len(self.made) >= KEEP_MAX * 2:
                self.made.pop(min(self.made, key=lambda k: self.made[k][0]))
            self.made[(link_id, kind)] = (now, value)
        return value

    def forget(self, link_id: int) -> None:
        with self.lock:
            for kind in ("html", "pdf"):
                self.made.pop((link_id, kind), None)


@dataclass
class ShareState:
    cache: RenderCache = field(default_factory=RenderCache)
    fails: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def too_many(self, host: str) -> bool:
        q, now = self.fails[host], time.monotonic()
        while q and now - q[0] > WINDOW_S:
            q.popleft()
        return len(q) >= MAX_FAILS


def state_of(request: Request) -> ShareState:
    return context.app_state(request, "shares", ShareState)


def _plain(request: Request, title: str, text: str, status: int) -> Response:
    return templates.TemplateResponse(
        request, "shared_gone.html", {"title": title, "text": text}, status_code=status,
        headers=HEADERS,
    )  # fmt: skip


def _gone(request: Request) -> Response:
    return _plain(
        request,
        "This link does not work",
        "It may have expired or been stopped. Ask the person who sent it for a new one.",
        404,
    )


async def _open(request: Request, token: str) -> shares_db.LinkView | Response:
    """The open link for the token, or the response to send instead."""
    host = request.client.host if request.client else "?"
    state = state_of(request)
    if state.too_many(host):
        return _plain(request, "Too many tries", "Wait 15 minutes, then try again.", 429)
    db, clock = context.db_of(request), context.clock_of(request)

    def find() -> shares_db.LinkView | None:
        with db.read() as s:
            return shares_db.find_open(s, token, clock.now())

    link = await context.in_thread(find)
    if link is None:
        state.fails[host].append(time.monotonic())
        return _gone(request)
    return link


def _html(request: Request, link: shares_db.LinkView) -> str:
    db, clock = context.db_of(request), context.clock_of(request)

    def make() -> str:
        period = Period(link.first_day, link.last_day)
        return make_report(
            db, link.profile_id, clock, period=period, sections=link.sections, pdf=False
        ).html

    return state_of(request).cache.get_or_make(link.id, "html", make)


def _seen(request: Request, link: shares_db.LinkView) -> None:
    db, clock = context.db_of(request), context.clock_of(request)
    with db.write() as s:
        shares_db.record_view(s, link.id, clock.now())


@router.get("/shared/{token}")
async def shared_page(request: Request, token: str) -> Response:
    link = await _open(request, token)
    if isinstance(link, Response):
        return link
    html = await context.in_thread(_html, request, link)
    await context.in_thread(_seen, request, link)
    return HTMLResponse(html, headers=HEADERS)


@router.get("/shared/{token}/pdf")
async def shared_pdf(request: Request, token: str) -> Response:
    link = await _open(request, token)
    if isinstance(link, Response):
        return link

    def pdf() -> bytes:
        html = _html(request, link)
        return state_of(request).cache.get_or_make(link.id, "pdf", lambda: render_pdf(html))

    made = await context.in_thread(pdf)
    await context.in_thread(_seen, request, link)
    name = f"pacekeeper-report-{link.last_day.isoformat()}.pdf"
    return Response(
        made,
        media_type="application/pdf",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
