"""Treatments in the clinician report: what was taken in the period with dose and dates, and for
one started inside it the before/after against the earlier trend; with every questionnaire
filled in too, still within three pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import questionnaires as q_db
from pacekeeper.db import treatments as t_db
from pacekeeper.demo import install_demo
from pacekeeper.questionnaires import INSTRUMENTS
from pacekeeper.reports.clinician import MAX_PAGES, make_report
from tests.reports.clinician.report_helpers import DEMO_DAYS, DEMO_NOW, DEMO_SEED, pdf_pages


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_treatments_taken_and_the_change_after_one_started(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/pacekeeper.db")
    database.upgrade()
    clock = FixedClock(DEMO_NOW)
    try:
        pid = install_demo(database, clock, days=DEMO_DAYS, seed=DEMO_SEED)
        today = DEMO_NOW.date()
        with database.write() as s:
            # Started 5 Feb: 42+ days of history before it, 5 weeks after (inside the period).
            ldn = t_db.TreatmentInput("Low-dose naltrexone", "medicine", "1.5 mg at night",
                                      date(2026, 2, 5))  # fmt: skip
            t_db.add(s, pid, ldn, today, DEMO_NOW)
            # Taken before the period and stopped inside it: listed, with no before/after.
            mag = t_db.TreatmentInput("Magnesium", "supplement", None, date(2025, 12, 1),
                                      date(2026, 1, 10))  # fmt: skip
            t_db.add(s, pid, mag, today, DEMO_NOW)
            # Stopped before the period began: not in the report.
            old = t_db.TreatmentInput("Old cream", "medicine", "twice a day", date(2025, 11, 20),
                                      date(2025, 12, 1))  # fmt: skip
            t_db.add(s, pid, old, today, DEMO_NOW)
            # Every questionnaire twice in the period: the longest report there can be.
            for inst in INSTRUMENTS.values():
                for weeks, shift in ((1, 0), (6, 1)):
                    form = {i.key: i.options[(len(i.options) + shift) // 2].value
                            for i in inst.items}  # fmt: skip
                    when = DEMO_NOW - timedelta(weeks=weeks)
                    q_db.save_response(s, pid, inst.key, form, inst.score(form).scores, when, 60)
        report = make_report(database, pid, clock, 90)
    finally:
        database.dispose()
    text = _text(report.html)
    assert "Low-dose naltrexone (medicine) 1.5 mg at night from 5 Feb 2026, still taken" in text
    assert "Magnesium (supplement) – from 1 Dec 2025 to 10 Jan 2026" in text
    assert "Old cream" not in text
    # One sentence for the treatment started in the period, none for the other.
    assert text.count("Symptom burden:") == 1
    assert "Before/after against the trend that was already there" in text
    assert "RAND-36" in text and "IOM 2015" in text
    assert report.pdf is not None and pdf_pages(report.pdf, tmp_path) <= MAX_PAGES
