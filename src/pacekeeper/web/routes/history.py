"""History: symptoms and activity over the last 30 or 90 days, as a picture and as a table."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pacekeeper import store
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain.localday import day_bounds
from pacekeeper.domain.samples import SampleKind
from pacekeeper.reports.charts import history_summary, history_svg, history_table
from pacekeeper.reports.history import history_days
from pacekeeper.web import context
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])
RANGES = (30, 90)


@router.get("/history")
def history_page(request: Request, days: int = 30, theme: str | None = None) -> Response:
    days = days if days in RANGES else 30
    db = context.db_of(request)
    with db.read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        ref = context.profile_ref(request, p)
        tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
        first = ref.today - timedelta(days=days - 1)
        start, _ = day_bounds(first, tz, boundary)
        _, end = day_bounds(ref.today, tz, boundary)
        checkins = checkins_db.checkins_between(s, p, first, ref.today)
        activities = entries_db.activities_between(s, p, start, end)
        rests = entries_db.rests_between(s, p, start, end)
        # Every source's steps, then one device per minute, or a day's total instead of its
        # minutes (domain.source_priority), per local day.
        steps = store.read_samples(s, p.id, [SampleKind.STEPS], start, end, with_extra=True)
        steps_by_day = store.daily_by_source(steps, tz, boundary)
        trackers = profiles_db.trackers(p)
        rows = history_days(
            first, ref.today, checkins, activities, rests, steps_by_day, tz, boundary
        )
    dark = (theme or ref.theme) == "dark"
    svg = history_svg(rows, trackers, dark=dark)
    svg_dark = None if dark or ref.theme == "light" else history_svg(rows, trackers, dark=True)
    template = "history_chart.html" if request.headers.get("HX-Request") else "history.html"
    return templates.TemplateResponse(
        request,
        template,
        {
            **context.base_context(request, ref),
            "days": days,
            "ranges": RANGES,
            "svg": svg,
            "svg_dark": svg_dark,
            "summary": history_summary(rows, trackers),
            "table": history_table(rows, trackers),
            "trackers": trackers,
        },
    )
