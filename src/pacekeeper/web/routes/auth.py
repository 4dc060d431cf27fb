"""Signing in and out. Accounts exist only when someone wants to reach Pacekeeper from another
device; on this computer alone, no account is needed."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from pacekeeper.db import accounts as accounts_db
from pacekeeper.web import context
from pacekeeper.web.templating import templates

router = APIRouter()

# Slow down guessing: at most 10 failed sign-ins per client address in 15 minutes.
_FAILS: dict[str, deque[float]] = defaultdict(deque)
MAX_FAILS, WINDOW_S = 10, 15 * 60


def _too_many(host: str) -> bool:
    q, now = _FAILS[host], time.monotonic()
    while q and now - q[0] > WINDOW_S:
        q.popleft()
    return len(q) >= MAX_FAILS


def _safe_next(raw: str | None) -> str:
    # Only same-site paths; never an absolute URL (open redirect).
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return templates.TemplateResponse(
        request,
        "login.html",
        {"next": _safe_next(next), "error": None, **context.base_context(request, None)},
    )


@router.post("/login")
async def login(request: Request, form: context.CsrfForm) -> Response:
    host = request.client.host if request.client else "?"
    username = str(form.get("username") or "").strip()
    passphrase = str(form.get("passphrase") or "")
    nxt = _safe_next(str(form.get("next") or "/"))
    db, clock = context.db_of(request), context.clock_of(request)

    def attempt() -> str | None:
        with db.write() as s:
            account = accounts_db.authenticate(s, username, passphrase)
            return accounts_db.start_session(s, account, clock.now()) if account else None

    token = None if _too_many(host) else await context.in_thread(attempt)
    if token is None:
        _FAILS[host].append(time.monotonic())
        error = (
            "Too many tries. Wait 15 minutes, then try again."
            if _too_many(host)
            else "That username and passphrase don't match."
        )
        return templates.TemplateResponse(
            request,
            "login.html",
            {
                "next": nxt,
                "error": error,
                "username": username,
                **context.base_context(request, None),
            },
            status_code=401,
        )
    _FAILS.pop(host, None)
    response = RedirectResponse(nxt, status_code=303)
    context.set_session_cookie(request, response, token)
    return response


@router.post("/logout")
async def logout(request: Request, form: context.CsrfForm) -> Response:
    token = request.cookies.get(context.SESSION_COOKIE)
    db = context.db_of(request)
    if token:

        def end() -> None:
            with db.write() as s:
                accounts_db.end_session(s, token)

        await context.in_thread(end)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(context.SESSION_COOKIE)
    return response
