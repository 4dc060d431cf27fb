"""Per-request context: who is asking, for which profile, and the CSRF check on every form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from pacekeeper import security
from pacekeeper.clock import Clock
from pacekeeper.config import Settings
from pacekeeper.db import Database
from pacekeeper.db import accounts as accounts_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.tables import Profile
from pacekeeper.security import is_loopback

SESSION_COOKIE = "pk_session"
BROWSER_COOKIE = "pk_browser"
PROFILE_COOKIE = "pk_profile"
T = TypeVar("T")


class LoginRequired(Exception):
    pass


class NoProfile(Exception):
    pass


class CsrfFailed(Exception):
    pass


def settings_of(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def db_of(request: Request) -> Database:
    d: Database = request.app.state.db
    return d


def clock_of(request: Request) -> Clock:
    c: Clock = request.app.state.clock
    return c


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking database work off the event loop."""
    return await run_in_threadpool(fn, *args)


# -- the browser token: a signed-in session, or an anonymous one for CSRF before sign-in ---------


def ensure_browser_token(request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE) or request.cookies.get(BROWSER_COOKIE)
    request.state.new_browser_token = None
    if not token:
        token = security.new_token()
        request.state.new_browser_token = token
    request.state.browser_token = token


def cookie_secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_browser_cookie(request: Request, response: Response) -> None:
    token = getattr(request.state, "new_browser_token", None)
    if token and BROWSER_COOKIE not in response.headers.get("set-cookie", ""):
        response.set_cookie(
            BROWSER_COOKIE,
            token,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=cookie_secure(request),
        )


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Sign this browser in: HttpOnly, SameSite=Lax, and Secure whenever served over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts_db.SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
    )


def csrf_token(request: Request) -> str:
    return security.csrf_token(settings_of(request).secret_key, request.state.browser_token)


def _check_csrf(request: Request, presented: str | None) -> None:
    if not security.csrf_ok(
        settings_of(request).secret_key, request.state.browser_token, presented
    ):
        raise CsrfFailed()


async def csrf_form(request: Request) -> FormData:
    """Dependency for every form POST: the form, once its CSRF token has been checked."""
    form = await request.form()
    presented = request.headers.get("X-CSRF-Token") or form.get("csrf_token")
    _check_csrf(request, presented if isinstance(presented, str) else None)
    return form


# -- per-app state made on first use --------------------------------------------------------------


def app_state(request: Request, name: str, kind: type[T]) -> T:
    """`request.app.state.<name>`, a `kind()` made on first use (each test app gets its own)."""
    found = getattr(request.app.state, name, None)
    if not isinstance(found, kind):
        found = kind()
        setattr(request.app.state, name, found)
    return found


# -- who is asking -------------------------------------------------------------------------------


def signed_in_username(request: Request) -> str | None:
    """The signed-in account's name, or None. Raises LoginRequired when an account is needed."""
    db, clock = db_of(request), clock_of(request)
    with db.read() as s:
        if not accounts_db.has_accounts(s):
            # No accounts: only this computer may use the app (serve refuses other addresses).
            if not is_loopback(request.client.host if request.client else None):
                raise LoginRequired()
            return None
        token = request.cookies.get(SESSION_COOKIE)
        account = accounts_db.session_account(s, token, clock.now()) if token else None
        if account is None:
            raise LoginRequired()
        return account.username


def require_user(request: Request) -> None:
    """Router dependency: every page but sign-in needs this."""
    request.state.username = signed_in_username(request)


# -- which profile ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRef:
    id: int
    name: str
    is_generated: bool
    theme: str
    today: date


def current_profile_id(request: Request) -> int:
    db = db_of(request)
    wanted = request.cookies.get(PROFILE_COOKIE)
    with db.read() as s:
        profiles = profiles_db.list_profiles(s)
        if not profiles:
            raise NoProfile()
        for p in profiles:
            if wanted and str(p.id) == wanted:
                return p.id
        return profiles_db.find_profile(s, None).id


def profile_ref(request: Request, p: Profile) -> ProfileRef:
    return ProfileRef(
        p.id, p.name, p.is_generated, p.theme, profiles_db.today_for(p, clock_of(request))
    )


def base_context(request: Request, profile: ProfileRef | None) -> dict[str, Any]:
    return {
        "csrf_token": csrf_token(request),
        "profile": profile,
        "theme": profile.theme if profile else "system",
        "username": getattr(request.state, "username", None),
        "path": request.url.path,
    }


CsrfForm = Annotated[FormData, Depends(csrf_form)]
