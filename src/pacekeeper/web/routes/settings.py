"""Settings: which trackers the check-in asks, theme, profiles, account, and a full backup."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from pacekeeper.backup import export_profile
from pacekeeper.db import accounts as accounts_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain.profile import THEMES
from pacekeeper.domain.trackers import TrackerKind, parse_custom_tracker
from pacekeeper.errors import ValidationError
from pacekeeper.web import context
from pacekeeper.web.routes.checkin import form_fields
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])


def _context(request: Request, **extra: Any) -> dict[str, Any]:
    db = context.db_of(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        ref = context.profile_ref(request, p)
        trackers = profiles_db.trackers(p)
        profiles = [(x.id, x.name, x.is_generated) for x in profiles_db.list_profiles(s)]
        has_accounts = accounts_db.has_accounts(s)
    return {
        **context.base_context(request, ref),
        "trackers": trackers,
        "kinds": list(TrackerKind),
        "themes": THEMES,
        "profiles": profiles,
        "has_accounts": has_accounts,
        "errors": {},
        "form": {},
        "notice": None,
        **extra,
    }


@router.get("/settings")
def settings_page(request: Request, notice: str | None = None) -> Response:
    notices = {
        "account": "Account created. Other devices can now sign in.",
        "passphrase": "Passphrase changed. Other devices were signed out.",
        "theme": "Theme saved.",
    }
    ctx = _context(request, notice=notices.get(notice or ""))
    return templates.TemplateResponse(request, "settings.html", ctx)


def _trackers_partial(request: Request, status: int = 200, **extra: Any) -> Response:
    return templates.TemplateResponse(
        request, "settings_trackers.html", _context(request, **extra), status_code=status
    )


async def _tracker_change(request: Request, change: Any) -> Response:
    db = context.db_of(request)
    pid = context.current_profile_id(request)

    def run() -> None:
        with db.write() as s:
            change(s, profiles_db.get_profile(s, pid))

    await context.in_thread(run)
    if request.headers.get("HX-Request"):
        return _trackers_partial(request)
    return RedirectResponse("/settings#trackers", status_code=303)


@router.post("/settings/trackers/{key}/toggle")
async def toggle_tracker(request: Request, key: str, form: context.CsrfForm) -> Response:
    enabled = form.get("enabled") == "1"
    return await _tracker_change(
        request, lambda s, p: profiles_db.set_tracker_enabled(s, p, key, enabled)
    )


@router.post("/settings/trackers/{key}/move")
async def move_tracker(request: Request, key: str, form: context.CsrfForm) -> Response:
    step = -1 if form.get("direction") == "up" else 1
    return await _tracker_change(request, lambda s, p: profiles_db.move_tracker(s, p, key, step))


@router.post("/settings/trackers")
async def add_tracker(request: Request, form: context.CsrfForm) -> Response:
    fields = form_fields(form)
    db = context.db_of(request)
    pid = context.current_profile_id(request)

    def add() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            taken = {t.key for t in p.trackers}
            profiles_db.add_tracker(s, p, parse_custom_tracker(fields, taken))

    try:
        await context.in_thread(add)
    except ValidationError as exc:
        return _trackers_partial(request, 422, errors=exc.by_field(), form=fields)
    if request.headers.get("HX-Request"):
        return _trackers_partial(request, added=True)
    return RedirectResponse("/settings#trackers", status_code=303)


@router.post("/settings/theme")
async def set_theme(request: Request, form: context.CsrfForm) -> Response:
    theme = str(form.get("theme") or "")
    if theme not in THEMES:
        ctx = _context(request, errors={"theme": f"must be one of {', '.join(THEMES)}"})
        return templates.TemplateResponse(request, "settings.html", ctx, status_code=422)
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)

    def save() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            p.theme = theme
            p.updated_at = clock.now()

    await context.in_thread(save)
    return RedirectResponse("/settings?notice=theme", status_code=303)


@router.post("/settings/profile")
async def switch_profile(request: Request, form: context.CsrfForm) -> Response:
    wanted = str(form.get("profile_id") or "")
    db = context.db_of(request)
    with db.read() as s:
        ids = {str(p.id) for p in profiles_db.list_profiles(s)}
    if wanted not in ids:
        ctx = _context(request, errors={"profile_id": "choose one of the profiles listed"})
        return templates.TemplateResponse(request, "settings.html", ctx, status_code=422)
    response = RedirectResponse("/today", status_code=303)
    response.set_cookie(
        context.PROFILE_COOKIE, wanted, max_age=10 * 365 * 24 * 3600, samesite="lax"
    )
    return response


@router.post("/settings/account")
async def save_account(request: Request, form: context.CsrfForm) -> Response:
    """Create the first account, or change the signed-in account's passphrase."""
    username = str(form.get("username") or "").strip()
    passphrase = str(form.get("passphrase") or "")
    repeat = str(form.get("repeat") or "")
    db, clock = context.db_of(request), context.clock_of(request)
    signed_in = getattr(request.state, "username", None)

    def save() -> tuple[str, str | None]:
        if passphrase != repeat:
            raise ValidationError.single("repeat", "the two passphrases are not the same")
        with db.write() as s:
            if signed_in:
                accounts_db.set_passphrase(s, signed_in, passphrase)
            elif accounts_db.has_accounts(s):
                raise ValidationError.single("username", "sign in to change the account")
            else:
                accounts_db.create_account(s, username, passphrase, clock.now())
            # Keep this browser signed in; the new passphrase signed out all the others.
            account = accounts_db.authenticate(s, signed_in or username, passphrase)
            assert account is not None
            token = accounts_db.start_session(s, account, clock.now())
            return ("passphrase" if signed_in else "account"), token

    try:
        notice, token = await context.in_thread(save)
    except ValidationError as exc:
        ctx = _context(request, errors=exc.by_field(), form={"username": username})
        return templates.TemplateResponse(request, "settings.html", ctx, status_code=422)
    response = RedirectResponse(f"/settings?notice={notice}#account", status_code=303)
    if token:
        context.set_session_cookie(request, response, token)
    return response


@router.get("/export.json")
def download_backup(request: Request) -> Response:
    """The full backup, written to a spooled file (memory stays flat for long histories)."""
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")  # noqa: SIM115
    export_profile(db, pid, spool, clock=clock)
    spool.seek(0)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        day = profiles_db.today_for(p, clock)

    def chunks() -> Iterator[str]:
        with spool:
            while chunk := spool.read(1 << 16):
                yield chunk

    filename = f"pacekeeper-backup-{day.isoformat()}.json"
    return StreamingResponse(
        chunks(),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
