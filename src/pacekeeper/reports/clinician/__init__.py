"""The clinician report: a period's data gathered, drawn as SVG, written as HTML and PDF."""

from pacekeeper.reports.clinician.build import Report, make_report
from pacekeeper.reports.clinician.fetcher import InlineOnlyFetcher
from pacekeeper.reports.clinician.gather import DEFAULT_DAYS, PERIODS, ReportData, gather
from pacekeeper.reports.clinician.render import MAX_PAGES, render_html, render_pdf

__all__ = [
    "DEFAULT_DAYS",
    "MAX_PAGES",
    "PERIODS",
    "InlineOnlyFetcher",
    "Report",
    "ReportData",
    "gather",
    "make_report",
    "render_html",
    "render_pdf",
]
