"""A paced session: the planned timeline rendered into the page, and the finished session logged
as one activity (the phone may send it later, from the offline queue, exactly once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import validate as v
from pacekeeper.domain.entries import LOAD_KINDS, LOAD_WORDS, parse_activity
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.frames.from_profile import hr_ceiling
from pacekeeper.sessions import Recovery, SessionKind, heart_rate_recovery, plan_session
from pacekeeper.store.reader import read_samples
from pacekeeper.web import context
from pacekeeper.web.routes.checkin import form_fields
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])

RECOVERY_DAYS = 28  # recent enough to reflect how the person is now
BURST_CHOICES = (10, 12, 15, 30, 50)
ROUND_CHOICES = (1, 2, 3, 4)


def _recovery(request: Request, pid: int, ceiling: int | None) -> Recovery:
    db, clock = context.db_of(request), context.clock_of(request)
    now = clock.now()
    with db.read() as s:
        frame = read_samples(
            s, pid, [SampleKind.HEART_RATE], now - timedelta(days=RECOVERY_DAYS), now
        )
    if frame.is_empty():
        return Recovery(None, 0)
    frame = frame.sort("start")
    seconds = [t.timestamp() for t in frame["start"].to_list()]
    return heart_rate_recovery(seconds, frame["value"].to_list(), ceiling)


def _page_context(request: Request, query: dict[str, str]) -> dict[str, Any]:
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        ref = context.profile_ref(request, p)
        ceiling = hr_ceiling(p, ref.today)
    errors: list[FieldError] = []
    kind_raw = v.choice(
        errors, "kind", query.get("kind") or "active", [k.value for k in SessionKind]
    )
    burst = v.integer(errors, "burst", query.get("burst") or None, 5, 120)
    rounds = v.integer(errors, "rounds", query.get("rounds") or None, 1, 8) or 2
    if errors:
        raise ValidationError(errors)
    kind = SessionKind(kind_raw or "active")
    plan = plan_session(kind, _recovery(request, pid, ceiling), burst_min=burst, rounds=rounds)
    return {
        **context.base_context(request, ref),
        "plan": plan,
        "plan_json": plan.to_json(),
        "kinds": list(SessionKind),
        "kind": kind,
        "burst": burst,
        "rounds": rounds,
        "burst_choices": BURST_CHOICES,
        "round_choices": ROUND_CHOICES,
        "ceiling": ceiling,
        "load_kinds": LOAD_KINDS,
        "load_words": LOAD_WORDS,
        "now_iso": clock.now().isoformat(),
    }


@router.get("/session")
async def session_page(request: Request) -> Response:
    ctx = await context.in_thread(_page_context, request, dict(request.query_params))
    return templates.TemplateResponse(request, "session.html", ctx)


def session_note(plan_text: str, hr_max: int | None, above_s: int, ceiling: int | None) -> str:
    """The note kept with the activity: what was planned and what the heart did."""
    parts = [f"Paced session: {plan_text}." if plan_text else "Paced session."]
    if hr_max is not None:
        above = f"{round(above_s / 60)} min" if above_s >= 60 else f"{above_s} s"
        limit = f" (ceiling {ceiling})" if ceiling else ""
        parts.append(f"Heart rate max {hr_max} bpm; {above} above ceiling{limit}.")
    return " ".join(parts)


def _save_done(request: Request, fields: dict[str, Any]) -> tuple[int, bool]:
    db, clock = context.db_of(request), context.clock_of(request)
    errors: list[FieldError] = []
    kind = v.choice(
        errors, "kind", fields.get("kind"), [k.value for k in SessionKind], required=True
    )
    hr_max = v.integer(errors, "hr_max", fields.get("hr_max") or None, 20, 260)
    above_s = v.integer(errors, "hr_above_s", fields.get("hr_above_s") or None, 0, 86400) or 0
    ceiling = v.integer(errors, "ceiling", fields.get("ceiling") or None, 40, 240)
    plan_text = v.text(errors, "plan", fields.get("plan"), 120) or ""
    started = v.aware_datetime(errors, "started_at", fields.get("started_at"), required=True)
    if started is not None and started > clock.now() + timedelta(minutes=5):
        errors.append(FieldError("started_at", "is later than now"))
    if errors:
        raise ValidationError(errors)
    session_kind = SessionKind(kind or "active")
    raw = {
        **{k: fields.get(k) for k in (*LOAD_KINDS, "minutes", "started_at", "client_id")},
        "what": f"Paced session ({session_kind.label.lower()})",
        "posture": session_kind.posture,
        "note": session_note(plan_text, hr_max, above_s, ceiling),
    }
    data = parse_activity(raw, source="session")
    with db.write() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        row, created = entries_db.add_activity(s, p, data)
        return row.id, created


@router.post("/session/done")
async def session_done(request: Request, form: context.CsrfForm) -> Response:
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        entry_id, created = await context.in_thread(_save_done, request, form_fields(form))
    except ValidationError as exc:
        if wants_json:
            return JSONResponse({"status": "invalid", "errors": exc.by_field()}, status_code=422)
        raise
    if wants_json:
        status = "created" if created else "duplicate"
        return JSONResponse({"status": status, "id": entry_id}, status_code=201 if created else 200)
    return RedirectResponse("/today", status_code=303)
