"""The report as one HTML document (Jinja2, print CSS) and, from the same HTML, a PDF."""

from __future__ import annotations

import base64
from datetime import date
from functools import lru_cache
from io import BytesIO

import jinja2
from weasyprint import HTML  # type: ignore[import-untyped]

from pacekeeper.engine.summary import REFERENCE_LOAD
from pacekeeper.reports.clinician import charts
from pacekeeper.reports.clinician.fetcher import InlineOnlyFetcher
from pacekeeper.reports.clinician.gather import ReportData
from pacekeeper.reports.clinician.summary import summary_lines
from pacekeeper.reports.clinician.treatments import METHOD as TREATMENT_METHOD
from pacekeeper.reports.response_chart import response_svg

MAX_PAGES = 3


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pacekeeper.reports.clinician", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _span(first: date, last: date) -> str:
    return f"{first.day} {first:%b %Y} to {last.day} {last:%b %Y}"


def _inline(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(data: ReportData, made: date) -> str:
    """The whole report; charts are SVG drawn here and inlined as data: URLs, so the page needs
    nothing else. (As <img> rather than inline <svg>, WeasyPrint parses each chart with an XML
    parser instead of its HTML one and styles no chart node by the page's CSS: twice as fast.)
    Only the chosen sections are drawn: a chart left out is never rendered."""
    frame, first, last, chosen = data.frame, data.first, data.last, data.sections
    pem = data.picture.summary if data.picture is not None else None
    # Crash shading tells of crashes: only where the person shares the crash section.
    eps = data.episodes if "activity_symptoms" in chosen else []
    has_morning = (
        "morning_rhr_hrv" in chosen and frame.height > 0 and frame["rhr"].drop_nulls().len() > 1
    )
    has_sleep = "sleep" in chosen and frame.height > 0 and frame["sleep_min"].drop_nulls().len() > 1
    context = {
        "data": data,
        "sections": chosen,
        "period": _span(first, last),
        "made": f"{made.day} {made:%b %Y}",
        "summary": summary_lines(data) if "summary" in chosen else [],
        "reference_load": f"{REFERENCE_LOAD:g}",
        "treatment_method": TREATMENT_METHOD,
        "pem": pem,
        "response_svg": _inline(response_svg(pem.response, dark=False))
        if "pem_delay" in chosen and pem is not None and pem.load_effect and pem.response
        else None,
        "envelope_svg": _inline(charts.envelope_svg(data.envelope_trend, first, last))
        if "envelope" in chosen and len(data.envelope_trend) >= 2
        else None,
        "load_svg": _inline(charts.symptoms_and_load_svg(frame, eps, first, last))
        if "activity_symptoms" in chosen
        else None,
        "has_morning": has_morning,
        "morning_svg": _inline(charts.morning_svg(frame, eps, first, last))
        if has_morning
        else None,
        "has_sleep": has_sleep,
        "sleep_svg": _inline(charts.sleep_svg(frame, eps, first, last)) if has_sleep else None,
    }
    return _environment().get_template("report.html").render(context)


def render_pdf(html: str, fetcher: InlineOnlyFetcher | None = None) -> bytes:
    """The PDF of the report's HTML. Nothing outside the document is fetched."""
    out = BytesIO()
    HTML(string=html, url_fetcher=fetcher or InlineOnlyFetcher()).write_pdf(out)
    return out.getvalue()
