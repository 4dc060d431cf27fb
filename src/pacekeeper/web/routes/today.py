"""Today: the day's budget and shape (or "seek care now"), the check-in at a glance, the
rule-of-two card where the condition allows it, and what was done and rested so far."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.domain import validate as v
from pacekeeper.domain.entries import (
    LOAD_KINDS,
    LOAD_WORDS,
    Posture,
    RestKind,
    parse_activity,
    parse_rest,
)
from pacekeeper.domain.localday import day_bounds, instant_on_day, with_offset
from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.web import context
from pacekeeper.web.planner_view import TodayView, today_flags, today_view
from pacekeeper.web.routes.checkin import form_fields
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])

ACTIVITY_SUGGESTIONS = (
    "Shower", "Cooking", "Short walk", "Screen work", "Reading", "Phone call",
    "Visitors", "Appointment", "Shopping", "Housework", "Driving",
)  # fmt: skip


def _entries_context(request: Request, **extra: Any) -> dict[str, Any]:
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        ref = context.profile_ref(request, p)
        tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
        start, end = day_bounds(ref.today, tz, boundary)
        activities = [
            (a.id, entries_db.activity_data(a))
            for a in entries_db.activities_between(s, p, start, end)
        ]
        rests = [
            (r.id, entries_db.rest_data(r)) for r in entries_db.rests_between(s, p, start, end)
        ]
        checkin = checkins_db.get_checkin(s, p, ref.today)
        trackers = profiles_db.trackers(p)
        flagged = bool(today_flags(s, p, ref.today))
        now_local = clock.now().astimezone(tz)
    return {
        **context.base_context(request, ref),
        "activities": activities,
        "rests": rests,
        "active_minutes": sum(a.minutes for _, a in activities),
        "rest_minutes": sum(r.minutes for _, r in rests),
        "checkin": checkin,
        "trackers": {t.key: t for t in trackers},
        "now_time": f"{now_local:%H:%M}",
        "load_kinds": LOAD_KINDS,
        "load_words": LOAD_WORDS,
        "postures": list(Posture),
        "rest_kinds": list(RestKind),
        # A red flag today: no activity suggestion anywhere, not even in the name list.
        "suggestions": () if flagged else ACTIVITY_SUGGESTIONS,
        "errors": {},
        "form": {},
        "with_offset": with_offset,
        **extra,
    }


def _view(request: Request) -> TodayView:
    db, clock = context.db_of(request), context.clock_of(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        return today_view(s, p, clock)


def _page_context(request: Request, **extra: Any) -> dict[str, Any]:
    return _entries_context(request, view=_view(request), **extra)


@router.get("/today")
def today_page(request: Request, saved: date | None = None) -> Response:
    return templates.TemplateResponse(request, "today.html", _page_context(request, saved=saved))


def _movement_form(fields: dict[str, Any]) -> tuple[str, float]:
    errors: list[FieldError] = []
    name = v.text(errors, "name", fields.get("name"), 80, required=True)
    minutes = v.number(errors, "minutes", fields.get("minutes"), 1, 600, required=True)
    if errors:
        raise ValidationError(errors)
    assert name is not None and minutes is not None
    return name, minutes


async def _progress_change(request: Request, form: FormData, what: str) -> Response:
    fields = form_fields(form)
    db, clock = context.db_of(request), context.clock_of(request)

    def change() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, context.current_profile_id(request))
            today = profiles_db.today_for(p, clock)
            if what == "start":
                name, minutes = _movement_form(fields)
                progression_db.start_movement(s, p, name, minutes, today, clock.now())
                return
            movement = progression_db.active_movement(s, p)
            if movement is None:
                raise ValidationError([FieldError("movement", "choose a movement first")])
            if what == "done":
                progression_db.mark_done(s, movement, today)
            else:
                errors: list[FieldError] = []
                level = v.number(errors, "minutes", fields.get("minutes"), 1, 600, required=True)
                if errors or level is None:
                    raise ValidationError(errors)
                progression_db.set_level(s, movement, today, level)

    try:
        await context.in_thread(change)
    except ValidationError as exc:
        ctx = _page_context(request, progress_errors=exc.by_field())
        return templates.TemplateResponse(request, "today.html", ctx, status_code=422)
    return RedirectResponse("/today#h-progress", status_code=303)


@router.post("/today/movement")
async def start_movement(request: Request, form: context.CsrfForm) -> Response:
    return await _progress_change(request, form, "start")


@router.post("/today/movement/done")
async def movement_done(request: Request, form: context.CsrfForm) -> Response:
    return await _progress_change(request, form, "done")


@router.post("/today/movement/level")
async def movement_level(request: Request, form: context.CsrfForm) -> Response:
    return await _progress_change(request, form, "level")


def _start_from_form(request: Request, fields: dict[str, Any], errors: list[FieldError]) -> str:
    """The form gives a clock time on today's local day; make it an aware ISO instant."""
    db, clock = context.db_of(request), context.clock_of(request)
    at = v.clock_time(errors, "start", fields.get("start"), required=True)
    if at is None:
        return ""
    with db.read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
        day = profiles_db.today_for(p, clock)
    instant = instant_on_day(day, at, tz, boundary)
    if instant > clock.now() + timedelta(minutes=5):
        errors.append(FieldError("start", "is later than now"))
        return ""
    return instant.isoformat()


def _log(request: Request, fields: dict[str, Any], kind: str) -> None:
    errors: list[FieldError] = []
    start = _start_from_form(request, fields, errors)
    parsed_a, parsed_r = None, None
    try:
        raw = {**fields, "started_at": start or None}
        parsed_a = parse_activity(raw) if kind == "activity" else None
        parsed_r = parse_rest(raw) if kind == "rest" else None
    except ValidationError as exc:
        # The form's field is "start"; its problems were reported above under that name.
        errors.extend(e for e in exc.errors if e.field != "started_at")
    if errors:
        raise ValidationError(errors)
    db = context.db_of(request)
    with db.write() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        if parsed_a is not None:
            entries_db.add_activity(s, p, parsed_a)
        if parsed_r is not None:
            entries_db.add_rest(s, p, parsed_r)


async def _log_route(request: Request, form: FormData, kind: str) -> Response:
    fields = form_fields(form)
    try:
        await context.in_thread(_log, request, fields, kind)
    except ValidationError as exc:
        hx = bool(request.headers.get("HX-Request"))
        make = _entries_context if hx else _page_context
        ctx = make(request, errors={kind: exc.by_field()}, form={kind: fields})
        page = "today_log.html" if hx else "today.html"
        return templates.TemplateResponse(request, page, ctx, status_code=422)
    if request.headers.get("HX-Request"):
        ctx = _entries_context(request, logged=kind)
        return templates.TemplateResponse(request, "today_log.html", ctx)
    return RedirectResponse("/today", status_code=303)


@router.post("/today/activity")
async def log_activity(request: Request, form: context.CsrfForm) -> Response:
    return await _log_route(request, form, "activity")


@router.post("/today/rest")
async def log_rest(request: Request, form: context.CsrfForm) -> Response:
    return await _log_route(request, form, "rest")


@router.post("/today/{kind}/{entry_id}/delete")
async def delete_entry(
    request: Request, kind: str, entry_id: int, form: context.CsrfForm
) -> Response:
    db = context.db_of(request)

    def delete() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, context.current_profile_id(request))
            if kind == "activity":
                entries_db.delete_activity(s, p, entry_id)
            else:
                entries_db.delete_rest(s, p, entry_id)

    await context.in_thread(delete)
    if request.headers.get("HX-Request"):
        return templates.TemplateResponse(request, "today_log.html", _entries_context(request))
    return RedirectResponse("/today", status_code=303)
