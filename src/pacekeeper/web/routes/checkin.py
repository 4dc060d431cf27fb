"""The daily check-in: one page, one tap per tracker, 'same as last time' in two taps."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db.checkins import SaveOutcome
from pacekeeper.domain.entries import parse_checkin
from pacekeeper.errors import ValidationError
from pacekeeper.planner.safety import RedFlag, red_flags
from pacekeeper.web import context
from pacekeeper.web.planner_view import crisis_for
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])


def form_fields(form: FormData) -> dict[str, Any]:
    """Form values without the CSRF token; empty strings mean 'left out'."""
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def save_from_fields(request: Request, fields: Mapping[str, Any]) -> tuple[SaveOutcome, date]:
    """Validate and store a check-in for the current profile; raises ValidationError."""
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        data = parse_checkin(fields, profiles_db.trackers(p), profiles_db.today_for(p, clock))
        _, outcome = checkins_db.save_checkin(s, p, data, clock.now())
        return outcome, data.day


def _render(
    request: Request,
    day: date | None,
    *,
    values: Mapping[str, Any] | None = None,
    note: str | None = None,
    errors: dict[str, str] | None = None,
    copied_from: date | None = None,
    copy: bool = False,
    status: int = 200,
) -> Response:
    db = context.db_of(request)
    pid = context.current_profile_id(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        ref = context.profile_ref(request, p)
        day = day or ref.today
        if day > ref.today:
            day = ref.today
        trackers = profiles_db.trackers(p, enabled_only=True)
        stored = checkins_db.get_checkin(s, p, day)
        previous = checkins_db.latest_checkin_before(s, p, day)
    if values is None:
        if copy and previous is not None:
            values, copied_from = previous.values, previous.day
            note = ""
        elif stored is not None:
            values, note = stored.values, stored.note
        else:
            values = {}
    on_page = {t.key for t in trackers} | {"day", "note"}
    elsewhere = {k: r for k, r in (errors or {}).items() if k not in on_page}
    shown = {k: (int(v) if float(v).is_integer() else v) for k, v in values.items() if v != ""}
    return templates.TemplateResponse(
        request,
        "checkin.html",
        {
            **context.base_context(request, ref),
            "day": day,
            "is_today": day == ref.today,
            "trackers": trackers,
            "values": {k: str(v) for k, v in shown.items()},
            "note": note or "",
            "errors": errors or {},
            "other_errors": elsewhere,
            "already_saved": stored is not None,
            "previous_day": previous.day if previous else None,
            "copied_from": copied_from,
            "client_id": str(uuid.uuid4()),
        },
        status_code=status,
    )


@router.get("/checkin")
def checkin_page(request: Request, day: date | None = None, copy: str | None = None) -> Response:
    return _render(request, day, copy=copy == "last")


@router.post("/checkin")
async def checkin_submit(request: Request, form: context.CsrfForm) -> Response:
    fields = form_fields(form)
    try:
        _, day = await context.in_thread(save_from_fields, request, fields)
    except ValidationError as exc:
        values = {k: v for k, v in fields.items() if k not in {"day", "note", "client_id"}}
        raw_day = fields.get("day")
        try:
            shown_day = date.fromisoformat(raw_day) if raw_day else None
        except ValueError:
            shown_day = None
        return _render(
            request,
            shown_day,
            values=values,
            note=fields.get("note", ""),
            errors=exc.by_field(),
            status=422,
        )
    flags, crisis = await context.in_thread(_red_flags_for, request, day)
    if flags:
        # A red flag: say "seek care now" here, and suggest nothing else.
        with context.db_of(request).read() as s:
            ref = context.profile_ref(
                request, profiles_db.get_profile(s, context.current_profile_id(request))
            )
        return templates.TemplateResponse(
            request,
            "checkin_seek_care.html",
            {**context.base_context(request, ref), "flags": flags, "crisis": crisis},
        )
    return RedirectResponse(f"/today?saved={day.isoformat()}", status_code=303)


def _red_flags_for(request: Request, day: date) -> tuple[list[RedFlag], str | None]:
    """Red flags in the check-in just saved (answers and note), and the crisis line if needed."""
    with context.db_of(request).read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        stored = checkins_db.get_checkin(s, p, day)
        if stored is None:
            return [], None
        flags = red_flags(stored.values, stored.note, profiles_db.trackers(p))
        return flags, crisis_for(flags, progression_db.settings(s, p))
