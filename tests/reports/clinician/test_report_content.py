"""What the report says, on the demo history: its sections, the engine's own numbers, the
"not recorded" markers, and that it fits in three pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.errors import ValidationError
from pacekeeper.reports.clinician import MAX_PAGES, Report, gather, make_report
from tests.reports.clinician.report_helpers import DEMO_NOW, pdf_pages

SECTIONS = ("summary", "pem", "envelope", "ceiling", "over-time", "morning", "sleep",
            "crashes", "progression", "treatments", "questionnaires")  # fmt: skip


def _text(html: str) -> str:
    """The visible words: no tags, no SVG internals, single spaces."""
    no_svg = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    no_style = re.sub(r"<style.*?</style>", " ", no_svg, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", no_style))


def test_every_section_is_there_with_its_chart(demo_report: Report) -> None:
    html = demo_report.html
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    # Charts: the response, the envelope trend, symptoms+load, morning HR/HRV, sleep.
    assert html.count('<img src="data:image/svg+xml;base64,') == 5
    assert demo_report.first == date(2025, 12, 15) and demo_report.last == date(2026, 3, 14)
    assert "15 Dec 2025 to 14 Mar 2026" in html


def test_the_numbers_are_the_engines(demo_store: tuple[Database, int], demo_report: Report) -> None:
    database, pid = demo_store
    with database.read() as s:
        data = gather(s, profiles_db.get_profile(s, pid), FixedClock(DEMO_NOW), 90)
    pem = data.picture.summary
    assert pem is not None and pem.load_effect
    text = _text(demo_report.html)
    delay = f"{pem.delay.value:.1f} days (80% interval {pem.delay.low:.1f} to {pem.delay.high:.1f})"
    assert delay in text
    assert f"{pem.duration.value:.1f} days" in text
    # The demo is generated with a delay of about 1.5 days: the report shows 1 to 2.5.
    assert 1.0 <= pem.delay.value <= 2.5
    assert data.ceiling.bpm is not None and f"{data.ceiling.bpm} bpm." in text
    assert data.ceiling.reason in text
    assert f"{data.checked_in_days} of 90 days have a check-in" in text
    assert data.episodes, "the demo has crashes in these 90 days"
    for e in data.episodes[-8:]:
        assert e.onset.strftime("%-d %b %Y") in text
    assert len(data.envelope_trend) >= 2
    assert all(data.first <= p.day <= data.last for p in data.envelope_trend)


def test_missing_features_are_marked_not_recorded(demo_report: Report) -> None:
    text = _text(demo_report.html)
    assert "Treatments taken: none recorded for this period" in text
    assert "Questionnaire scores: none filled in during this period" in text
    assert "No movement being progressed" in text


def test_the_pdf_has_at_most_three_pages(demo_report: Report, tmp_path: Path) -> None:
    assert demo_report.pdf is not None and demo_report.pdf.startswith(b"%PDF")
    assert 1 <= pdf_pages(demo_report.pdf, tmp_path) <= MAX_PAGES


def test_a_year_longer_than_the_history_still_fits(
    demo_store: tuple[Database, int], tmp_path: Path
) -> None:
    database, pid = demo_store
    report = make_report(database, pid, FixedClock(DEMO_NOW), 365)
    assert report.pdf is not None
    assert pdf_pages(report.pdf, tmp_path) <= MAX_PAGES
    assert "of 365 days have a check-in" in _text(report.html)


def test_a_new_profile_gets_a_report_that_says_what_is_missing(
    sqlite_db: Database, clock: FixedClock, make_profile, tmp_path: Path
) -> None:
    pid = make_profile(sqlite_db, clock)
    report = make_report(sqlite_db, pid, clock, 30)
    text = _text(report.html)
    assert "0 of 30 days have a check-in; 0 crash episodes" in text
    assert "Not enough check-ins yet" in text
    assert "Not recorded (no wearable data in this period)" in text
    assert "Not recorded (no sleep data in this period)" in text
    assert report.pdf is not None and pdf_pages(report.pdf, tmp_path) <= MAX_PAGES


def test_only_the_offered_periods_are_accepted(demo_store: tuple[Database, int]) -> None:
    database, pid = demo_store
    with pytest.raises(ValidationError, match="days: must be one of 30, 90, 180, 365"):
        make_report(database, pid, FixedClock(DEMO_NOW), 45)
