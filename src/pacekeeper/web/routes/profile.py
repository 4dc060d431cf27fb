"""The person's profile, and the welcome page that creates the first one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.domain import validate as v
from pacekeeper.domain.conditions import CeilingMethod, Condition, Sex
from pacekeeper.domain.localday import time_zone_names
from pacekeeper.domain.profile import parse_profile
from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.planner.safety import (
    DSQ_FREQUENCY,
    DSQ_PEM_ITEMS,
    DSQ_SEVERITY,
    PemScreen,
)
from pacekeeper.web import context
from pacekeeper.web.planner_view import ceiling_view, pem_screen_settings
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])


def profile_fields(form: FormData) -> dict[str, Any]:
    fields: dict[str, Any] = {
        k: v
        for k, v in form.items()
        if k not in {"csrf_token", "conditions"} and isinstance(v, str)
    }
    fields["conditions"] = [c for c in form.getlist("conditions") if isinstance(c, str)]
    fields["hr_affecting_medication"] = "yes" if form.get("hr_affecting_medication") else "no"
    return fields


def _choices() -> dict[str, Any]:
    return {
        "conditions_all": list(Condition),
        "sexes": list(Sex),
        "methods": list(CeilingMethod),
        "zones": time_zone_names(),
    }


def _form_from_profile(p: Any) -> dict[str, Any]:
    data = profiles_db.profile_data(p)
    return {
        "name": data.name,
        "conditions": [c.value for c in data.conditions],
        "birth_year": data.birth_year or "",
        "sex": data.sex.value if data.sex else "",
        "resting_hr": data.resting_hr or "",
        "hr_ceiling": data.hr_ceiling or "",
        "hr_ceiling_method": data.hr_ceiling_method.value if data.hr_ceiling_method else "",
        "hr_affecting_medication": data.hr_affecting_medication,
        "time_zone": data.time_zone,
        "day_boundary": f"{data.day_boundary:%H:%M}",
        "theme": data.theme,
    }


@router.get("/profile")
def profile_page(request: Request, saved: int = 0) -> Response:
    return _profile_page(request, saved=saved)


def _profile_page(
    request: Request, *, saved: int = 0, planner_errors: dict[str, str] | None = None
) -> Response:
    db, clock = context.db_of(request), context.clock_of(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        ref = context.profile_ref(request, p)
        form = _form_from_profile(p)
        ceiling = ceiling_view(s, p, clock)
    return templates.TemplateResponse(
        request,
        "profile.html",
        {
            **context.base_context(request, ref),
            **_choices(),
            "form": form,
            "errors": {},
            "saved": saved,
            "ceiling": ceiling,
            "screens": list(PemScreen),
            "dsq_items": DSQ_PEM_ITEMS,
            "dsq_frequency": DSQ_FREQUENCY,
            "dsq_severity": DSQ_SEVERITY,
            "planner_errors": planner_errors or {},
        },
        status_code=422 if planner_errors else 200,
    )


def _planner_changes(
    fields: dict[str, Any],
) -> tuple[dict[str, Any], tuple[int, CeilingMethod] | None]:
    """Planner settings from the ceiling card's form, and a new ceiling: the CPET value, or a
    suggested value the person accepted."""
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    new_ceiling: tuple[int, CeilingMethod] | None = None
    if "cpet_vt1_hr" in fields:
        cpet = v.integer(errors, "cpet_vt1_hr", fields.get("cpet_vt1_hr"), 50, 220)
        changes["cpet_vt1_hr"] = cpet
        new_ceiling = (cpet, CeilingMethod.CPET) if cpet is not None else None
    accept = v.integer(errors, "accept_ceiling", fields.get("accept_ceiling"), 50, 220)
    if accept is not None:
        new_ceiling = (accept, CeilingMethod.MANUAL)
    if "crisis_line" in fields:
        changes["crisis_line"] = v.text(errors, "crisis_line", fields.get("crisis_line"), 200)
    if "dsq_f1" in fields:
        freq = [v.integer(errors, f"dsq_f{i}", fields.get(f"dsq_f{i}"), 0, 4) for i in range(1, 6)]
        sev = [v.integer(errors, f"dsq_s{i}", fields.get(f"dsq_s{i}"), 0, 4) for i in range(1, 6)]
        changes.update(pem_screen_settings(freq, sev))
        changes["long_covid_chosen"] = True if fields.get("long_covid_chosen") else None
    if errors:
        raise ValidationError(errors)
    return changes, new_ceiling


@router.post("/profile/planner")
async def planner_save(request: Request, form: context.CsrfForm) -> Response:
    """The ceiling card: CPET ceiling, a suggested ceiling the person accepts, crisis line and
    PEM screen. Nothing here changes without this tap."""
    fields = profile_fields(form)
    db, clock = context.db_of(request), context.clock_of(request)

    def save() -> None:
        changes, ceiling = _planner_changes(fields)
        with db.write() as s:
            p = profiles_db.get_profile(s, context.current_profile_id(request))
            if changes:
                progression_db.update_settings(s, p, changes, clock.now())
            if ceiling is not None:
                p.hr_ceiling, p.hr_ceiling_method = ceiling[0], ceiling[1].value
                p.updated_at = clock.now()

    try:
        await context.in_thread(save)
    except ValidationError as exc:
        return _profile_page(request, planner_errors=exc.by_field())
    return RedirectResponse("/profile?saved=1#h-ceiling", status_code=303)


@router.post("/profile")
async def profile_save(request: Request, form: context.CsrfForm) -> Response:
    fields = profile_fields(form)
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)

    def save() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            data = parse_profile(fields, profiles_db.today_for(p, clock))
            profiles_db.update_profile(s, pid, data, clock.now())

    try:
        await context.in_thread(save)
    except ValidationError as exc:
        with db.read() as s:
            ref = context.profile_ref(request, profiles_db.get_profile(s, pid))
        return templates.TemplateResponse(
            request,
            "profile.html",
            {
                **context.base_context(request, ref),
                **_choices(),
                "form": fields,
                "errors": exc.by_field(),
                "saved": 0,
            },
            status_code=422,
        )
    return RedirectResponse("/profile?saved=1", status_code=303)


# -- the first visit ---------------------------------------------------------------------------


@router.get("/welcome")
def welcome_page(request: Request) -> Response:
    return templates.TemplateResponse(
        request,
        "welcome.html",
        {
            **context.base_context(request, None),
            **_choices(),
            "form": {"day_boundary": "04:00", "conditions": []},
            "errors": {},
        },
    )


@router.post("/welcome")
async def welcome_save(request: Request, form: context.CsrfForm) -> Response:
    fields = profile_fields(form)
    db, clock = context.db_of(request), context.clock_of(request)

    def create() -> int:
        with db.write() as s:
            data = parse_profile(fields, clock.now().date())
            return profiles_db.create_profile(s, data, clock.now()).id

    try:
        pid = await context.in_thread(create)
    except ValidationError as exc:
        return templates.TemplateResponse(
            request,
            "welcome.html",
            {
                **context.base_context(request, None),
                **_choices(),
                "form": fields,
                "errors": exc.by_field(),
            },
            status_code=422,
        )
    response = RedirectResponse("/checkin", status_code=303)
    response.set_cookie(
        context.PROFILE_COOKIE, str(pid), max_age=10 * 365 * 24 * 3600, samesite="lax"
    )
    return response
