"""What your data show: the learned delay and sensitivity, today's envelope, boom-bust and
crashes, and what tends to come before flares, from the engine (engine/picture.py,
engine/triggers.py). Results are kept while the data are unchanged (web/results_cache.py)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import treatments as treatments_db
from pacekeeper.engine.picture import Picture, picture
from pacekeeper.engine.triggers import TriggerResult, find_triggers
from pacekeeper.frames.resolve import profile_days
from pacekeeper.reports.response_chart import response_svg
from pacekeeper.web import context
from pacekeeper.web.results_cache import ResultsCache, frames_key
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])
RECENT_CRASHES = 5


def results_of(request: Request) -> ResultsCache:
    """The app's cache of engine results."""
    return context.app_state(request, "results", ResultsCache)


@router.get("/insights")
def insights_page(request: Request) -> Response:
    db, clock = context.db_of(request), context.clock_of(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        ref = context.profile_ref(request, p)
        days = profile_days(s, p, clock)
        # The treatments' taken days over the frame's days, as a possible trigger each.
        first = days.past["day"].min() if days.past.height else ref.today
        assert isinstance(first, date)
        taken = treatments_db.taken_frame(s, p.id, first, ref.today)
    inputs = days.inputs
    key = (
        "insights",
        p.id,
        repr(days.used),
        tuple(inputs.trackers),
        frames_key(days.past, inputs.checkins, inputs.activities, taken),
    )

    def analyse() -> tuple[Picture, TriggerResult]:
        result = picture(days.past, days.used)
        triggers = find_triggers(
            days.past,
            checkins=inputs.checkins,
            trackers=inputs.trackers,
            activities=inputs.activities,
            treatments=taken,
            episodes=result.episodes,
        )
        return result, triggers

    result, triggers = results_of(request).get_or_make(key, analyse)
    svg = svg_dark = None
    if result.summary is not None and result.summary.load_effect:
        dark = ref.theme == "dark"
        svg = response_svg(result.summary.response, dark=dark)
        if not dark and ref.theme != "light":
            svg_dark = response_svg(result.summary.response, dark=True)
    return templates.TemplateResponse(
        request,
        "insights.html",
        {
            **context.base_context(request, ref),
            "picture": result,
            "svg": svg,
            "svg_dark": svg_dark,
            "crashes": list(reversed(result.episodes[-RECENT_CRASHES:])),
            "triggers": triggers,
        },
    )
