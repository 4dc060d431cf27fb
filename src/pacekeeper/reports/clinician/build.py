"""One call from a stored profile to the finished report, for the CLI, the web pages, the shared
link and bench."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pacekeeper.clock import Clock
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.engine import Database
from pacekeeper.reports.clinician.gather import DEFAULT_DAYS, gather
from pacekeeper.reports.clinician.period import Period
from pacekeeper.reports.clinician.render import render_html, render_pdf
from pacekeeper.reports.clinician.sections import ALL_SECTIONS


@dataclass(frozen=True)
class Report:
    name: str  # the profile's name
    first: date
    last: date
    html: str
    pdf: bytes | None  # None when only the HTML was asked for
    sections: frozenset[str] = ALL_SECTIONS

    @property
    def filename(self) -> str:
        safe = "".join(c if c.isalnum() else "-" for c in self.name.lower()).strip("-")
        return f"pacekeeper-report-{safe or 'profile'}-{self.last.isoformat()}.pdf"


def make_report(
    db: Database,
    profile_id: int,
    clock: Clock,
    days: int = DEFAULT_DAYS,
    *,
    pdf: bool = True,
    period: Period | None = None,
    sections: Iterable[str] = ALL_SECTIONS,
) -> Report:
    """The report of `period` (else the `days` ending yesterday) with the chosen sections."""
    with db.read() as s:
        p = profiles_db.get_profile(s, profile_id)
        data = gather(s, p, clock, days, period=period, sections=sections)
        made = profiles_db.today_for(p, clock)
    html = render_html(data, made)
    pdf_bytes = render_pdf(html) if pdf else None
    return Report(data.name, data.first, data.last, html, pdf_bytes, data.sections)
