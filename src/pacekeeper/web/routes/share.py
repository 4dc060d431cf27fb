"""Sharing the clinician report (/share): the person chooses the period and the parts, then
either makes a read-only link that expires (shown once, with a copy button) or downloads the
PDF to hand over. The list of links shows who opened what and when, with a way to stop each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import shares as shares_db
from pacekeeper.errors import FieldError, NotFoundError, ValidationError
from pacekeeper.reports.clinician import (
    DEFAULT_DAYS,
    PERIODS,
    SECTIONS,
    Period,
    check_sections,
    custom_period,
    make_report,
    ordered,
    parse_day,
    preset_period,
)
from pacekeeper.security import is_loopback
from pacekeeper.web import context
from pacekeeper.web.routes import shared
from pacekeeper.web.templating import templates

private = APIRouter(dependencies=[Depends(context.require_user)])


@dataclass(frozen=True)
class Choice:
    period: Period
    sections: list[str]
    label: str | None
    expires_days: int


def _days_label(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _when(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def parse_choice(form: Mapping[str, Any], sections: list[str], today: date) -> Choice:
    """The form's choices, checked; every field at fault is named."""
    errors: list[FieldError] = []
    period: Period | None = None
    try:
        raw = str(form.get("period") or DEFAULT_DAYS)
        if raw == "custom":
            first = parse_day(form.get("first"), "first")
            period = custom_period(first, parse_day(form.get("last"), "last"), today)
        elif raw.isdigit() and int(raw) in PERIODS:
            period = preset_period(today, int(raw))
        else:
            raise ValidationError.single("period", "choose one of the periods offered")
    except ValidationError as e:
        errors += e.errors
    chosen: list[str] = []
    try:
        chosen = ordered(check_sections(sections))
    except ValidationError as e:
        errors += e.errors
    label: str | None = None
    try:
        label = shares_db.check_label(str(form.get("label") or ""))
        raw_expiry = str(form.get("expires") or shares_db.DEFAULT_EXPIRY_DAYS)
        expires = shares_db.check_expiry(int(raw_expiry) if raw_expiry.isdigit() else -1)
    except ValidationError as e:
        errors += e.errors
    if errors or period is None:
        raise ValidationError(errors or [FieldError("period", "choose a period")])
    return Choice(period, chosen, label, expires)


def _profile(request: Request) -> tuple[context.ProfileRef, ZoneInfo]:
    with context.db_of(request).read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        return context.profile_ref(request, p), profiles_db.profile_zone(p)


def _link_rows(request: Request, pid: int, zone: ZoneInfo) -> list[dict[str, Any]]:
    now = context.clock_of(request).now()
    with context.db_of(request).read() as s:
        found = shares_db.links(s, pid)
    rows = []
    for link in found:
        if link.revoked_at is not None:
            state = f"Stopped {_when(link.revoked_at, zone)}"
        elif now >= link.expires_at:
            state = f"Expired {_when(link.expires_at, zone)}"
        else:
            state = f"Open until {_when(link.expires_at, zone)}"
        parts = len(link.sections)
        rows.append({
            "id": link.id,
            "label": link.label or "No label",
            "period": f"{_days_label(link.first_day)} to {_days_label(link.last_day)}",
            "parts": "All parts" if parts == len(SECTIONS) else f"{parts} of {len(SECTIONS)} parts",
            "state": state,
            "open": link.is_open(now),
            "views": link.views,
            "last": _when(link.last_viewed_at, zone) if link.last_viewed_at else "never",
        })  # fmt: skip
    return rows


def _page(
    request: Request,
    ref: context.ProfileRef,
    zone: ZoneInfo,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    made: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    yesterday = ref.today - timedelta(days=1)
    defaults = {
        "period": str(DEFAULT_DAYS),
        "first": (ref.today - timedelta(days=DEFAULT_DAYS)).isoformat(),
        "last": yesterday.isoformat(),
        "sections": list(SECTIONS),
        "label": "",
        "expires": str(shares_db.DEFAULT_EXPIRY_DAYS),
    }
    extra = {
        "values": {**defaults, **(values or {})},
        "errors": errors or {},
        "made": made,
        "periods": PERIODS,
        "section_names": SECTIONS,
        "expiry_days": shares_db.EXPIRY_DAYS,
        "yesterday": yesterday.isoformat(),
        "links": _link_rows(request, ref.id, zone),
    }
    return templates.TemplateResponse(
        request, "share.html", {**context.base_context(request, ref), **extra}, status_code=status
    )


@private.get("/share")
def share_page(request: Request) -> Response:
    ref, zone = _profile(request)
    return _page(request, ref, zone)


@private.post("/share")
async def share_make(request: Request, form: context.CsrfForm) -> Response:
    ref, zone = await context.in_thread(_profile, request)
    sections = [str(v) for v in form.getlist("sections")]
    values = {k: str(v) for k, v in form.items() if k != "sections"} | {"sections": sections}
    try:
        choice = parse_choice(form, sections, ref.today)
    except ValidationError as e:
        errors = e.by_field()
        return await context.in_thread(
            lambda: _page(request, ref, zone, values=values, errors=errors, status=400)
        )
    db, clock = context.db_of(request), context.clock_of(request)
    if form.get("action") == "file":
        report = await context.in_thread(
            lambda: make_report(db, ref.id, clock, period=choice.period, sections=choice.sections)
        )
        assert report.pdf is not None
        return Response(
            report.pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
        )

    def create() -> tuple[shares_db.LinkView, str]:
        with db.write() as s:
            return shares_db.create(
                s, ref.id, first_day=choice.period.first, last_day=choice.period.last,
                sections=choice.sections, now=clock.now(), expires_days=choice.expires_days,
                label=choice.label,
            )  # fmt: skip

    link, token = await context.in_thread(create)
    made = {
        "url": f"{request.base_url}shared/{token}",
        "until": _when(link.expires_at, zone),
        "label": link.label or "",
        "local_only": "yes" if is_loopback(request.url.hostname) else "",
    }
    return await context.in_thread(lambda: _page(request, ref, zone, values=values, made=made))


def _own_link(request: Request, link_id: int) -> tuple[context.ProfileRef, shares_db.LinkView]:
    ref, _ = _profile(request)
    with context.db_of(request).read() as s:
        link = shares_db.get(s, ref.id, link_id)
    if link is None:
        raise NotFoundError("There is no such link for this profile.")
    return ref, link


@private.get("/share/{link_id}/revoke")
def revoke_confirm(request: Request, link_id: int) -> Response:
    ref, link = _own_link(request, link_id)
    period = f"{_days_label(link.first_day)} to {_days_label(link.last_day)}"
    return templates.TemplateResponse(
        request,
        "share_revoke.html",
        {**context.base_context(request, ref), "link": link, "period": period},
    )


@private.post("/share/{link_id}/revoke")
async def revoke(request: Request, link_id: int, form: context.CsrfForm) -> Response:
    ref, _ = await context.in_thread(_profile, request)
    db, clock = context.db_of(request), context.clock_of(request)

    def stop() -> bool:
        with db.write() as s:
            return shares_db.revoke(s, ref.id, link_id, clock.now())

    if not await context.in_thread(stop):
        raise NotFoundError("There is no such link for this profile.")
    shared.state_of(request).cache.forget(link_id)
    return RedirectResponse("/share#links", status_code=303)


# Included last, once every route above exists (older FastAPI versions copy routes on include).
router = APIRouter()
router.include_router(private)
router.include_router(shared.router)
