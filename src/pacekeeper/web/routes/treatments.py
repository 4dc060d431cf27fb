"""Treatments: the list (/treatments), adding one, and one treatment's page with stop, dose
change, edit and delete (after a confirmation page), and its before/after against the trend that
was already there (engine/treatment_effect.py), as a small picture and a sentence per outcome."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import treatments as t_db
from pacekeeper.domain import validate as v
from pacekeeper.engine.treatment_effect import DEFAULT_WINDOWS
from pacekeeper.engine.treatment_outcomes import OUTCOMES, OutcomeEffect, effects, outcome_frame
from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.frames.resolve import profile_days
from pacekeeper.web import context
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])
ALL = tuple(o.column for o in OUTCOMES)  # those without any data around the day are not shown
KIND_WORDS = {"medicine": "Medicine", "supplement": "Supplement", "therapy": "Therapy"}


def _page(request: Request, template: str, ref: context.ProfileRef, status: int = 200,
          **extra: Any) -> Response:  # fmt: skip
    return templates.TemplateResponse(
        request, template, {**context.base_context(request, ref), "kinds": KIND_WORDS, **extra},
        status_code=status,
    )  # fmt: skip


def _profile(request: Request) -> context.ProfileRef:
    with context.db_of(request).read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        return context.profile_ref(request, p)


def _text(form: Mapping[str, Any], key: str) -> str:
    raw = form.get(key)
    return raw if isinstance(raw, str) else ""


def _day(form: Mapping[str, Any], key: str, errors: list[FieldError], default: date) -> date:
    found = v.iso_date(errors, key, _text(form, key) or None)
    return found or default


def parse_form(form: Mapping[str, Any], today: date) -> t_db.TreatmentInput:
    """The add/edit form -> input; a blank start is today, a blank stop is "still taking it"."""
    errors: list[FieldError] = []
    started = _day(form, "started_on", errors, today)
    stopped = v.iso_date(errors, "stopped_on", _text(form, "stopped_on") or None)
    if errors:
        raise ValidationError(errors)
    return t_db.TreatmentInput(_text(form, "name"), _text(form, "kind"), _text(form, "dose"),
                               started, stopped, _text(form, "notes"))  # fmt: skip


@router.get("/treatments")
def treatments_page(request: Request) -> Response:
    ref = _profile(request)
    with context.db_of(request).read() as s:
        rows = t_db.list_for(s, ref.id)
    current = [t for t in rows if t.stopped_on is None or t.stopped_on >= ref.today]
    past = [t for t in rows if t not in current]
    return _page(request, "treatments.html", ref, current=current, past=past)


@router.get("/treatments/new")
def new_treatment(request: Request) -> Response:
    ref = _profile(request)
    values = {"kind": "medicine", "started_on": ref.today.isoformat()}
    return _page(request, "treatments_form.html", ref, values=values, errors={}, treatment=None)


async def _save(request: Request, form: Mapping[str, Any], treatment_id: int | None) -> Response:
    ref = await context.in_thread(_profile, request)
    now = context.clock_of(request).now()

    def run() -> int:
        data = parse_form(form, ref.today)
        with context.db_of(request).write() as s:
            if treatment_id is None:
                return t_db.add(s, ref.id, data, ref.today, now).id
            return t_db.edit(s, ref.id, treatment_id, data, ref.today).id

    try:
        tid = await context.in_thread(run)
    except ValidationError as e:
        values = {k: x for k, x in form.items() if isinstance(x, str)}
        return _page(request, "treatments_form.html", ref, status=400, values=values,
                     errors=e.by_field(), treatment=treatment_id)  # fmt: skip
    return RedirectResponse(f"/treatments/{tid}", status_code=303)


@router.post("/treatments")
async def add_treatment(request: Request, form: context.CsrfForm) -> Response:
    return await _save(request, form, None)


def _effects(request: Request, ref: context.ProfileRef, t: t_db.TreatmentView,
             every: list[t_db.Change]) -> list[dict[str, Any]]:  # fmt: skip
    """This row's own changes (its start or dose change, and its stop), each read against the
    outcomes, with the other changes as possible confounders."""
    mine = [c for c in every if c.treatment_id == t.id and c.day <= ref.today]
    if not mine:
        return []
    with context.db_of(request).read() as s:
        days = profile_days(s, profiles_db.get_profile(s, ref.id), context.clock_of(request))
    frame = outcome_frame(days.past, days.inputs.checkins)
    out: list[dict[str, Any]] = []
    for change in mine:
        others = [(c.day, c.words) for c in every if c != change]
        found: list[OutcomeEffect] = effects(frame, change.day, columns=ALL, others=others)
        shown = [e for e in found if e.effect.n_before or e.effect.n_after]
        rows = [{"sentence": e.sentence(), "chart": _chart(e), "label": e.outcome.label}
                for e in shown]  # fmt: skip
        out.append({"change": change, "outcomes": rows})
    return out


@router.get("/treatments/{treatment_id}")
def treatment_detail(request: Request, treatment_id: int) -> Response:
    ref = _profile(request)
    with context.db_of(request).read() as s:
        t = t_db.get(s, ref.id, treatment_id)
        every = t_db.changes(t_db.list_for(s, ref.id))
    return _page(request, "treatments_detail.html", ref, t=t, today=ref.today,
                 readings=_effects(request, ref, t, every), windows=DEFAULT_WINDOWS,
                 errors={}, values={})  # fmt: skip


@router.get("/treatments/{treatment_id}/edit")
def edit_treatment_form(request: Request, treatment_id: int) -> Response:
    ref = _profile(request)
    with context.db_of(request).read() as s:
        t = t_db.get(s, ref.id, treatment_id)
    values = {"name": t.name, "kind": t.kind, "dose": t.dose or "", "notes": t.notes or "",
              "started_on": t.started_on.isoformat(),
              "stopped_on": t.stopped_on.isoformat() if t.stopped_on else ""}  # fmt: skip
    return _page(request, "treatments_form.html", ref, values=values, errors={}, treatment=t.id)


@router.post("/treatments/{treatment_id}/edit")
async def edit_treatment(request: Request, treatment_id: int, form: context.CsrfForm) -> Response:
    return await _save(request, form, treatment_id)


async def _change(request: Request, treatment_id: int, form: Mapping[str, Any], field: str,
                  work: Any) -> Response:  # fmt: skip
    """Stop or dose change (`work(s, profile_id, day, now)` -> the row to show): on error the
    treatment's page again, the message beside the field."""
    ref = await context.in_thread(_profile, request)
    now = context.clock_of(request).now()

    def run() -> int:
        errors: list[FieldError] = []
        day = _day(form, field, errors, ref.today)
        if errors:
            raise ValidationError(errors)
        with context.db_of(request).write() as s:
            changed: t_db.TreatmentView = work(s, ref.id, day, now)
            return changed.id

    try:
        shown = await context.in_thread(run)
    except ValidationError as e:
        with context.db_of(request).read() as s:
            t = t_db.get(s, ref.id, treatment_id)
        values = {k: x for k, x in form.items() if isinstance(x, str)}
        return _page(request, "treatments_detail.html", ref, status=400, t=t, today=ref.today,
                     readings=[], windows=DEFAULT_WINDOWS, errors=e.by_field(),
                     values=values)  # fmt: skip
    # After a dose change the new dose's own row (its before/after is the one of interest).
    return RedirectResponse(f"/treatments/{shown}", status_code=303)


@router.post("/treatments/{treatment_id}/stop")
async def stop_treatment(request: Request, treatment_id: int, form: context.CsrfForm) -> Response:
    def work(s: Session, pid: int, day: date, _now: datetime) -> t_db.TreatmentView:
        return t_db.stop(s, pid, treatment_id, day)

    return await _change(request, treatment_id, form, "stopped_on", work)


@router.post("/treatments/{treatment_id}/dose")
async def change_dose(request: Request, treatment_id: int, form: context.CsrfForm) -> Response:
    dose = _text(form, "dose")

    def work(s: Session, pid: int, day: date, now: datetime) -> t_db.TreatmentView:
        return t_db.change_dose(s, pid, treatment_id, dose, day, now)

    return await _change(request, treatment_id, form, "changed_on", work)


@router.get("/treatments/{treatment_id}/delete")
def delete_confirm(request: Request, treatment_id: int) -> Response:
    ref = _profile(request)
    with context.db_of(request).read() as s:
        t = t_db.get(s, ref.id, treatment_id)
    return _page(request, "treatments_delete.html", ref, t=t)


@router.post("/treatments/{treatment_id}/delete")
async def delete_treatment(request: Request, treatment_id: int, form: context.CsrfForm) -> Response:
    ref = await context.in_thread(_profile, request)

    def run() -> None:
        with context.db_of(request).write() as s:
            t_db.delete(s, ref.id, treatment_id)

    await context.in_thread(run)
    return RedirectResponse("/treatments?deleted=1", status_code=303)


# -- the picture: before points, the earlier trend carried on (dashed) with its band, after points


def _chart(
    e: OutcomeEffect, width: int = 320, height: int = 120, pad: int = 6
) -> dict[str, Any] | None:
    """Coordinates for treatments_chart.html; None when there is nothing to draw."""
    fx = e.effect
    if not fx.enough:
        return None
    ts = [t for t, _ in fx.points] + [b[0] for b in fx.band]
    ys = [y for _, y in fx.points] + [b[2] for b in fx.band] + [b[3] for b in fx.band]
    t0, t1, y0, y1 = min(ts), max(ts), min(ys), max(ys)
    span_y = (y1 - y0) or 1.0

    def x(t: float) -> float:
        return round(pad + (t - t0) / ((t1 - t0) or 1) * (width - 2 * pad), 1)

    def y(val: float) -> float:
        return round(height - pad - (val - y0) / span_y * (height - 2 * pad), 1)

    upper = [f"{x(t)},{y(hi)}" for t, _, _, hi in fx.band]
    lower = [f"{x(t)},{y(lo)}" for t, _, lo, _ in reversed(fx.band)]
    return {
        "width": width, "height": height,
        "before": [(x(t), y(v)) for t, v in fx.points if t < 0],
        "after": [(x(t), y(v)) for t, v in fx.points if t >= 0],
        "line": " ".join(f"{x(t)},{y(m)}" for t, m, _, _ in fx.band),
        "band": " ".join(upper + lower),
        "start_x": x(0), "wash_x": x(DEFAULT_WINDOWS.wash_in_days),
        # The axis' ends, in the outcome's own units, so the picture can be read on its own.
        "top": f"{y1 * e.outcome.scale:.{e.outcome.digits}f}",
        "bottom": f"{y0 * e.outcome.scale:.{e.outcome.digits}f}",
    }  # fmt: skip
