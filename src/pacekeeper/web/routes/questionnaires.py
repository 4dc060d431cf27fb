"""Questionnaires: what is due and past scores (/questionnaires), one instrument as a short form
with big one-tap options, its saved result in plain words, and its reminder schedule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db import questionnaires as q_db
from pacekeeper.errors import FieldError, NotFoundError, ValidationError
from pacekeeper.questionnaires import INSTRUMENTS, NOT_SHIPPED, Instrument, instrument
from pacekeeper.web import context
from pacekeeper.web.planner_view import pem_screen_settings
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])


def _page(request: Request, template: str, ref: context.ProfileRef, status: int = 200,
          **extra: Any) -> Response:  # fmt: skip
    return templates.TemplateResponse(
        request, template, {**context.base_context(request, ref), **extra}, status_code=status
    )


def _profile(request: Request) -> tuple[context.ProfileRef, int]:
    with context.db_of(request).read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        return context.profile_ref(request, p), p.id


def _offset_minutes(request: Request, profile_id: int, now: datetime) -> int:
    """The person's UTC offset now, kept beside the UTC time (design.md, conventions)."""
    with context.db_of(request).read() as s:
        zone = profiles_db.profile_zone(profiles_db.get_profile(s, profile_id))
    delta = now.astimezone(zone).utcoffset()
    return int(delta.total_seconds() // 60) if delta is not None else 0


def parse_answers(inst: Instrument, form: Mapping[str, Any]) -> dict[str, int | None]:
    """Form text -> answers; blank is unanswered. A value that is not a whole number is named."""
    out: dict[str, int | None] = {}
    errors: list[FieldError] = []
    for item in inst.items:
        raw = form.get(item.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            out[item.key] = None
            continue
        try:
            out[item.key] = int(str(raw).strip())
        except ValueError:
            errors.append(FieldError(item.key, f"{inst.key} item {item.key}: not a choice"))
    if errors:
        raise ValidationError(errors)
    return out


@router.get("/questionnaires")
def questionnaires_page(request: Request) -> Response:
    ref, pid = _profile(request)
    with context.db_of(request).read() as s:
        due = q_db.due(s, pid, ref.today)
        past = q_db.responses(s, pid, limit=30)
    return _page(request, "questionnaires.html", ref, instruments=INSTRUMENTS, due=due,
                 past=past, today=ref.today, not_shipped=NOT_SHIPPED)  # fmt: skip


@router.get("/questionnaires/{key}")
def questionnaire_form(request: Request, key: str) -> Response:
    inst = instrument(key)
    ref, pid = _profile(request)
    with context.db_of(request).read() as s:
        every = q_db.schedules(s, pid).get(inst.key)
    return _page(request, "questionnaire_form.html", ref, inst=inst, values={}, errors={},
                 every=every)  # fmt: skip


@router.post("/questionnaires/{key}")
async def questionnaire_submit(request: Request, key: str, form: context.CsrfForm) -> Response:
    inst = instrument(key)
    ref, pid = await context.in_thread(_profile, request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        answers = parse_answers(inst, form)
        result = inst.score(answers)
    except ValidationError as e:
        return _page(request, "questionnaire_form.html", ref, status=400, inst=inst,
                     values=values, errors=e.by_field(), every=None)  # fmt: skip
    now = context.clock_of(request).now()
    minutes = await context.in_thread(_offset_minutes, request, pid, now)
    kept = {k: v for k, v in answers.items() if v is not None}

    def save() -> int:
        with context.db_of(request).write() as s:
            if inst.key == "dsq-pem":
                _feed_planner_screen(s, pid, kept, now)
            return q_db.save_response(s, pid, inst.key, kept, result.scores, now, minutes).id

    rid = await context.in_thread(save)
    return RedirectResponse(f"/questionnaires/{inst.key}/responses/{rid}", status_code=303)


def _feed_planner_screen(s: Session, pid: int, answers: Mapping[str, int], now: datetime) -> None:
    # The newest DSQ-PEM answers are the planner's PEM screen (it gates the rule of two), so the
    # form on the profile page and this questionnaire never disagree.
    freq = [answers.get(f"f{n}") for n in range(1, 6)]
    sev = [answers.get(f"s{n}") for n in range(1, 6)]
    changes = pem_screen_settings(freq, sev)
    progression_db.update_settings(s, profiles_db.get_profile(s, pid), changes, now)


@router.get("/questionnaires/{key}/responses/{response_id}")
def questionnaire_result(request: Request, key: str, response_id: int) -> Response:
    inst = instrument(key)
    ref, pid = _profile(request)
    with context.db_of(request).read() as s:
        found = [r for r in q_db.responses(s, pid, inst.key, limit=1000) if r.id == response_id]
    if not found:
        raise NotFoundError(f"There is no saved {inst.name} with id {response_id}.")
    saved = found[0]
    result = inst.score(dict(saved.answers))  # the meaning in words, from the same rule
    return _page(request, "questionnaire_result.html", ref, inst=inst, saved=saved,
                 result=result)  # fmt: skip


@router.post("/questionnaires/{key}/schedule")
async def questionnaire_schedule(request: Request, key: str, form: context.CsrfForm) -> Response:
    inst = instrument(key)
    raw = str(form.get("every_days") or "").strip()
    if raw and not raw.isdigit():
        raise ValidationError.single("every_days", "a whole number of days, or blank to stop")
    every = int(raw) if raw and int(raw) > 0 else None

    def run() -> None:
        with context.db_of(request).write() as s:
            p = profiles_db.get_profile(s, context.current_profile_id(request))
            q_db.set_schedule(s, p.id, inst.key, every)

    await context.in_thread(run)
    return RedirectResponse("/questionnaires", status_code=303)
