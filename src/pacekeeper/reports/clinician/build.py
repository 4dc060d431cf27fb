"""One call from a stored profile to the finished report, for the CLI, the web job and bench."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pacekeeper.clock import Clock
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.engine import Database
from pacekeeper.reports.clinician.gather import DEFAULT_DAYS, gather
from pacekeeper.reports.clinician.render import render_html, render_pdf


@dataclass(frozen=True)
class Report:
    name: str  # the profile's name
    first: date
    last: date
    html: str
    pdf: bytes | None  # None when only the HTML was asked for

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
) -> Report:
    with db.read() as s:
        p = profiles_db.get_profile(s, profile_id)
        data = gather(s, p, clock, days)
        made = profiles_db.today_for(p, clock)
    html = render_html(data, made)
    return Report(data.name, data.first, data.last, html, render_pdf(html) if pdf else None)
