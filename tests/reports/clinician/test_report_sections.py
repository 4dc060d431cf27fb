"""The person's choices in the report: the period (preset or from/to) and the sections. A
section left out is neither computed (where that saves time) nor printed; questionnaire scores
appear with their dates, changes and meanings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import questionnaires as q_db
from pacekeeper.errors import ValidationError
from pacekeeper.questionnaires import dsq_pem, fss
from pacekeeper.reports.clinician import (
    ALL_SECTIONS,
    MAX_DAYS,
    Period,
    check_sections,
    custom_period,
    gather,
    make_report,
)
from tests.reports.clinician.report_helpers import DEMO_NOW

TODAY = date(2026, 3, 15)


def _text(html: str) -> str:
    no_style = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", no_style))


def test_sections_left_out_are_not_in_the_page(demo_store: tuple[Database, int]) -> None:
    database, pid = demo_store
    keep = ALL_SECTIONS - {"pem_delay", "sleep", "activity_symptoms"}
    report = make_report(database, pid, FixedClock(DEMO_NOW), 90, pdf=False, sections=keep)
    html, text = report.html, _text(report.html)
    for gone in ('id="pem"', 'id="sleep"', 'id="over-time"', 'id="crashes"'):
        assert gone not in html, gone
    for words in ("Delayed response to exertion", "Delay to worst symptoms", "Sleep",
                  "Crash episodes", "crash episode", "days have a check-in"):  # fmt: skip
        assert words not in text, words
    assert 'id="envelope"' in html and 'id="morning"' in html and 'id="summary"' in html
    assert "The person chose to leave some sections out of this report." in text
    # Only the envelope and morning charts are drawn, with no crash shading in the latter.
    assert html.count('<img src="data:image/svg+xml;base64,') == 2
    assert report.sections == keep


def test_the_full_report_does_not_say_anything_was_left_out(demo_report) -> None:
    assert "leave some sections out" not in demo_report.html


def test_sections_left_out_are_not_computed(demo_store: tuple[Database, int]) -> None:
    database, pid = demo_store
    with database.read() as s:
        p = profiles_db.get_profile(s, pid)
        small = gather(s, p, FixedClock(DEMO_NOW), sections={"progression", "treatments"})
        no_trend = gather(s, p, FixedClock(DEMO_NOW), sections={"summary", "sleep"})
    assert small.picture is None and small.frame.height == 0 and small.ceiling is None
    assert small.envelope_trend == [] and small.episodes == []
    assert no_trend.picture is not None and no_trend.envelope_trend == []
    assert no_trend.ceiling is None and no_trend.frame.height == 90


def test_a_chosen_period_is_shown_in_the_header(demo_store: tuple[Database, int]) -> None:
    database, pid = demo_store
    period = custom_period(date(2026, 2, 1), date(2026, 2, 28), TODAY)
    report = make_report(database, pid, FixedClock(DEMO_NOW), pdf=False, period=period)
    assert (report.first, report.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert "1 Feb 2026 to 28 Feb 2026 (28 days)" in _text(report.html)
    assert "of 28 days have a check-in" in _text(report.html)


@pytest.mark.parametrize(
    ("first", "last", "field", "words"),
    [
        (date(2026, 3, 1), TODAY, "last", "yesterday (2026-03-14) or earlier"),
        (date(2026, 3, 10), date(2026, 3, 9), "first", "on or before the last day"),
        (date(2024, 3, 13), date(2026, 3, 14), "first", "two years"),
    ],
)
def test_a_chosen_period_is_checked(first: date, last: date, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        custom_period(first, last, TODAY)
    assert words in caught.value.by_field()[field]


def test_two_years_exactly_is_allowed() -> None:
    last = TODAY - timedelta(days=1)
    assert custom_period(last - timedelta(days=MAX_DAYS - 1), last, TODAY).days == MAX_DAYS


def test_unknown_or_no_sections_are_refused() -> None:
    with pytest.raises(ValidationError, match="no section called diary"):
        check_sections(["sleep", "diary"])
    with pytest.raises(ValidationError, match="choose at least one"):
        check_sections([])


def _save(db: Database, pid: int, key: str, answers: dict[str, int], when: datetime) -> None:
    scorer = {"fss": fss.score, "dsq-pem": dsq_pem.score}[key]
    with db.write() as s:
        q_db.save_response(s, pid, key, answers, scorer(answers).scores, when, 60)


def _fss(*values: int) -> dict[str, int]:
    return {f"q{n}": v for n, v in enumerate(values, start=1)}


def test_questionnaire_scores_with_dates_changes_and_meanings(
    sqlite_db: Database, clock: FixedClock, make_profile
) -> None:
    pid = make_profile(sqlite_db, clock)
    at = lambda d: datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=d)  # noqa: E731
    _save(sqlite_db, pid, "fss", _fss(*[6] * 9), at(0))  # 1 Jan, before the period: mean 6
    _save(sqlite_db, pid, "fss", _fss(*[5] * 9), at(45))  # 15 Feb: mean 5
    _save(sqlite_db, pid, "fss", _fss(*[3] * 9), at(70))  # 12 Mar: mean 3
    dsq = {**{f"f{n}": 2 for n in range(1, 6)}, **{f"s{n}": 2 for n in range(1, 6)}}
    _save(sqlite_db, pid, "dsq-pem", dsq, at(50))  # 20 Feb: every item 50, step 1 met
    _save(sqlite_db, pid, "fss", _fss(*[1] * 9), at(75))  # 17 Mar: after the period
    period = Period(date(2026, 2, 1), date(2026, 3, 14))
    report = make_report(sqlite_db, pid, clock, pdf=False, period=period,
                         sections={"questionnaires"})  # fmt: skip
    text = _text(report.html)
    assert ("Fatigue Severity Scale : latest 12 Mar 2026, 2 in the period (first 15 Feb 2026); "
            "the one before 1 Jan 2026.") in text  # fmt: skip
    assert "Mean below 4, the usual mark of significant fatigue (Krupp 1989)." in text
    assert "Mean (1-7) 3 -2 -3" in text  # latest 3; -2 from 15 Feb; -3 from 1 Jan
    assert "DSQ-PEM (post-exertional malaise) : latest 20 Feb 2026." in text
    assert "Step 1 met" in text and "PEM score (0-100) 50 – –" in text
    assert "Krupp 1989, Arch Neurol 46:1121" in text and "Cotler 2018, Diagnostics 8:66" in text
    assert "Questionnaire scores" in text and "RAND-36" not in text
    assert "none filled in during this period" not in text


def test_a_questionnaire_only_outside_the_period_is_not_shown(
    sqlite_db: Database, clock: FixedClock, make_profile
) -> None:
    pid = make_profile(sqlite_db, clock)
    _save(sqlite_db, pid, "fss", _fss(*[6] * 9), datetime(2025, 6, 1, 9, tzinfo=UTC))
    report = make_report(sqlite_db, pid, clock, 30, pdf=False, sections={"questionnaires"})
    text = _text(report.html)
    assert "Questionnaire scores: none filled in during this period" in text
    assert "Fatigue Severity Scale" not in text
