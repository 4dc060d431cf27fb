"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import RequestResponseEndpoint

from pacekeeper.clock import Clock
from pacekeeper.config import Settings
from pacekeeper.db import Database
from pacekeeper.errors import NotFoundError, PacekeeperError
from pacekeeper.jobs import JobRunner
from pacekeeper.web import context
from pacekeeper.web.routes import (
    api,
    auth,
    checkin,
    clinician,
    history,
    imports,
    insights,
    profile,
    program,
    pwa,
    questionnaires,
    sessions,
    share,
    today,
    treatments,
)
from pacekeeper.web.routes import settings as settings_routes
from pacekeeper.web.templating import templates

STATIC = Path(__file__).parent / "static"

# Everything is served from this origin; nothing may be fetched from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def create_app(
    settings: Settings, db: Database | None = None, clock: Clock | None = None
) -> FastAPI:
    """Build the app. Tests pass their own database and clock; `serve` passes none."""
    if db is None:
        db = Database(settings.database_url, home=settings.home)
        db.upgrade()
    jobs = JobRunner()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()  # let a running import finish its transaction

    app = FastAPI(
        title="Pacekeeper", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.jobs = jobs
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock or settings.clock()

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    routers = (
        pwa,
        auth,
        checkin,
        today,
        sessions,
        program,
        history,
        insights,
        profile,
        settings_routes,
        imports,
        api,
        questionnaires,
        clinician,
        share,  # /share (signed in) and the public /shared/{token}
        treatments,
    )
    for module in routers:
        app.include_router(module.router)

    @app.middleware("http")
    async def browser_and_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
        context.ensure_browser_token(request)
        response = await call_next(request)
        if not request.url.path.startswith("/shared/"):  # a clinician's link sets no cookie
            context.set_browser_cookie(request, response)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.url.path.startswith(("/static/", "/sw.js", "/manifest")):
            response.headers.setdefault("Cache-Control", "no-cache")
        else:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(context.LoginRequired)
    async def _login(request: Request, exc: context.LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(context.NoProfile)
    async def _no_profile(request: Request, exc: context.NoProfile) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "create a profile first"}, status_code=409)
        return RedirectResponse("/welcome", status_code=303)

    @app.exception_handler(context.CsrfFailed)
    async def _csrf(request: Request, exc: context.CsrfFailed) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "form expired; reload the page"}, status_code=403)
        return _message(request, "This form has expired", "Reload the page and try again.", 403)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return _message(request, "Not found", exc.message, 404)

    @app.exception_handler(PacekeeperError)
    async def _user_error(request: Request, exc: PacekeeperError) -> Response:
        return _message(request, "That didn't work", exc.message, 400)

    return app


def _message(request: Request, title: str, text: str, status: int) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "message.html",
        {"title": title, "text": text, **context.base_context(request, profile=None)},
        status_code=status,
    )
