"""The clinician report: a period's data gathered, drawn as SVG, written as HTML and PDF."""

from pacekeeper.reports.clinician.build import Report, make_report
from pacekeeper.reports.clinician.fetcher import InlineOnlyFetcher
from pacekeeper.reports.clinician.gather import DEFAULT_DAYS, PERIODS, ReportData, gather
from pacekeeper.reports.clinician.period import (
    MAX_DAYS,
    Period,
    custom_period,
    parse_day,
    preset_period,
)
from pacekeeper.reports.clinician.render import MAX_PAGES, render_html, render_pdf
from pacekeeper.reports.clinician.sections import ALL_SECTIONS, SECTIONS, check_sections, ordered

__all__ = [
    "ALL_SECTIONS",
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "MAX_PAGES",
    "PERIODS",
    "SECTIONS",
    "InlineOnlyFetcher",
    "Period",
    "Report",
    "ReportData",
    "check_sections",
    "custom_period",
    "gather",
    "make_report",
    "ordered",
    "parse_day",
    "preset_period",
    "render_html",
    "render_pdf",
]
