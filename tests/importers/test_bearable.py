"""Bearable's CSV export, on a fixture built from its published layout (no real export ships)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db.samples import SampleData
from pacekeeper.domain import SampleKind
from pacekeeper.domain.entries import ActivityData
from pacekeeper.domain.trackers import TrackerKind
from pacekeeper.importers.base import Answer, DayNote, ImportReport, NewTracker
from pacekeeper.importers.detect import detect
from tests.importers.reading import context, mutate, read_all, read_or_refused, samples

BEARABLE = """date,weekday,time of day,category,rating/amount,detail,notes
2026-03-10,Tue,am,Symptom,2,Fatigue,
2026-03-10,Tue,pm,Symptom,3,Fatigue,
2026-03-10,Tue,am,Symptom,,Brain fog (Moderate),
2026-03-10,Tue,am,Symptom,1,Dizziness,
2026-03-10,Tue,am,Mood,6,,
2026-03-10,Tue,pm,Mood,9,,
2026-03-10,Tue,,Energy,2,,
2026-03-10,Tue,,Sleep,7.5,,
2026-03-10,Tue,,Sleep quality,4,,
2026-03-10,Tue,pm,Factors,,Stressful event,
2026-03-10,Tue,mid,Exercise,20,Walking,short walk to the shop
2026-03-10,Tue,,Health measurements,61,Resting heart rate,
2026-03-10,Tue,,Health measurements,36.9,Temperature,
2026-03-10,Tue,,Notes,,,"Rested after lunch, felt better"
2026-03-10,Tue,,Meds/Supplements,,Vitamin D,
2026-03-11,Wed,am,Symptom,4,Fatigue,
2026-03-11,Wed,am,Symptom,7,Dizziness,
2026-03-11,Wed,,Sleep,6:45,,
2026-03-11,Wed,,Energy,4,,
2026-03-1x,Wed,,Energy,4,,
2026-03-11,Wed,,Meds/Supplements,,Magnesium,
"""


@pytest.fixture
def bearable(write):
    return write("bearable-export.csv", BEARABLE)


def answers(records):
    return {(r.day.isoformat(), r.key): r.value for r in records if isinstance(r, Answer)}


def test_symptoms_mood_energy_and_sleep_map_onto_trackers(bearable):
    report, records = read_all(bearable)
    assert report.format == "bearable"
    got = answers(records)
    # 0-4 severity onto the built-in 0-10 scale, the day keeps its worst entry.
    assert got[("2026-03-10", "fatigue")] == 8.0  # 3 -> 7.5, rounded half up
    assert got[("2026-03-11", "fatigue")] == 10.0
    assert got[("2026-03-10", "brain_fog")] == 5.0  # "(Moderate)" = 2
    assert got[("2026-03-10", "sleep_quality")] == 8.0  # 4 of 1-5 -> 7.5
    new = {r.tracker.label: r.tracker for r in records if isinstance(r, NewTracker)}
    assert set(new) == {"Dizziness", "Mood (Bearable)", "Energy (Bearable)", "Stressful event",
                        "Temperature"}  # fmt: skip
    mood, energy = new["Mood (Bearable)"], new["Energy (Bearable)"]
    assert (mood.min_value, mood.max_value, mood.higher_is_worse) == (1, 10, False)
    assert (energy.min_value, energy.max_value, energy.is_symptom) == (1, 5, False)
    assert got[("2026-03-10", mood.key)] == 8.0  # the mean of 6 and 9, rounded half up
    assert new["Stressful event"].kind == TrackerKind.YES_NO
    assert got[("2026-03-10", new["Stressful event"].key)] == 1.0
    assert new["Temperature"].kind == TrackerKind.NUMBER
    assert got[("2026-03-10", new["Temperature"].key)] == 36.9
    assert got[("2026-03-10", new["Dizziness"].key)] == 1.0
    assert ("2026-03-11", new["Dizziness"].key) not in got  # 7 is not a 0-4 severity
    sleep = samples(records, SampleKind.SLEEP_ASLEEP)
    assert [s.value for s in sleep] == [450.0, 405.0]
    (rhr,) = samples(records, SampleKind.RESTING_HEART_RATE)
    assert rhr.value == 61 and rhr.start.hour == 12  # 08:00 after a 04:00 day start (UTC)


def test_activities_notes_and_what_was_skipped(bearable):
    report, records = read_all(bearable, tz="Europe/Berlin")
    (walk,) = [r for r in records if isinstance(r, ActivityData)]
    assert (walk.what, walk.minutes, walk.physical, walk.source) == ("Walking", 20, 2, "Bearable")
    assert walk.started_at == datetime(2026, 3, 10, 13, tzinfo=context("Europe/Berlin").tz)
    notes = [r.text for r in records if isinstance(r, DayNote)]
    assert notes == ["Walking: short walk to the shop", "Rested after lunch, felt better"]
    assert [str(s) for s in report.skipped] == [
        "line 18: symptom 'Dizziness': 7 is outside Bearable's 0-4",
        "line 21: date '2026-03-1x' is not a date",
        "line 16: category 'meds/supplements' is not read (1 more rows)",
    ]
    assert report.first_day == date(2026, 3, 10) and report.last_day == date(2026, 3, 11)
    assert report.sources == {"Bearable"}


def test_an_existing_custom_tracker_is_reused(bearable):
    from dataclasses import replace

    from pacekeeper.domain.trackers import TrackerDef

    ctx = context()
    mine = TrackerDef("dizzy", "Dizziness", min_value=0, max_value=4)
    ctx = replace(ctx, trackers={**ctx.trackers, "dizzy": mine})
    importer = detect(bearable)
    records = list(importer.read(bearable, ImportReport("x", "bearable"), lambda n: None, ctx))
    assert answers(records)[("2026-03-10", "dizzy")] == 1.0
    assert "Dizziness" not in {r.tracker.label for r in records if isinstance(r, NewTracker)}


def test_a_file_without_bearable_columns_is_not_bearable(write):
    path = write("x.csv", "date,category,value\n2026-03-10,mood,3\n")
    assert detect(path).name != "bearable"
    bad = write("b.csv", "date formatted,category,rating/amount,detail\n2026-03-10,Mood,3,\n")
    assert detect(bad).name == "bearable"
    report, records = read_all(bad)
    assert answers(records) and not report.skipped
    missing = write("m.csv", "date,category,rating/amount,details\n2026-03-10,Mood,3,\n")
    assert detect(missing).name != "bearable"


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    return mutate(draw, BEARABLE.encode())


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged())
def test_damaged_bearable_files_import_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "bearable.csv"
    path.write_bytes(data)
    if (read := read_or_refused(path)) is None:
        return
    report, records = read
    assert all(s.where.startswith("line ") for s in report.skipped)
    new = {r.tracker.key: r.tracker for r in records if isinstance(r, NewTracker)}
    trackers = {**context().trackers, **new}
    for r in records:
        if isinstance(r, Answer) and r.key in trackers:
            t = trackers[r.key]
            assert t.min_value <= r.value <= t.max_value, (r, t)
        if isinstance(r, SampleData):
            assert r.start.tzinfo is not None
        if isinstance(r, ActivityData):
            assert 1 <= r.minutes <= 1440
    assert all(isinstance(r, SampleData | Answer | NewTracker | DayNote | ActivityData)
               for r in records)  # fmt: skip


def test_importing_an_export_twice_adds_nothing_the_second_time(db, clock, make_profile, bearable):
    from pacekeeper.importers import import_paths

    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [bearable], now=clock.now())
    assert report.format == "bearable" and report.added["answers"] == 10
    assert report.added["activities"] == 1 and report.added["samples"] == 3
    assert set(report.new_trackers) >= {"Dizziness", "Mood (Bearable)"}
    (again,) = import_paths(db, pid, [bearable], now=clock.now())
    assert sum(again.added.values()) == 0 and not again.new_trackers


# The forms a published Bearable dashboard reads from real exports: quoted headers with
# `date formatted`, energy and sleep quality as words, sleep as "Asleep HH:MM - HH:MM".
WORDS = """"date","date formatted","weekday","time of day","category","rating/amount","detail","notes"
"2026-03-10T08:00:00","2026-03-10","Tue","am","Energy","","v. low",""
"2026-03-10T20:00:00","2026-03-10","Tue","pm","Energy","","ok",""
"2026-03-11T08:00:00","2026-03-11","Wed","am","Energy","","V. High",""
"2026-03-10T08:00:00","2026-03-10","Tue","","Sleep quality","","good",""
"2026-03-10T08:00:00","2026-03-10","Tue","","Sleep","","Asleep 23:30 - 07:00",""
"2026-03-11T08:00:00","2026-03-11","Wed","","Sleep","","Asleep 01:15 - 09:45",""
"2026-03-11T08:00:00","2026-03-11","Wed","","Sleep quality","","splendid",""
"""


def test_words_in_detail_are_read_as_the_dashboard_reads_them(write):
    report, records = read_all(write("Bearable App - Data Export.csv", WORDS))
    assert report.format == "bearable"
    got = answers(records)
    energy = next(r.tracker for r in records if isinstance(r, NewTracker))
    assert (energy.label, energy.min_value, energy.max_value) == ("Energy (Bearable)", 1, 5)
    assert got[("2026-03-10", energy.key)] == 2.0  # mean of v. low (1) and ok (3)
    assert got[("2026-03-11", energy.key)] == 5.0
    assert got[("2026-03-10", "sleep_quality")] == 7.0  # good: 3rd of 4 words -> 6.67
    assert [s.value for s in samples(records, SampleKind.SLEEP_ASLEEP)] == [450.0, 510.0]
    reasons = [s.reason for s in report.skipped]
    assert "sleep quality 'splendid' is not a rating 1-5 or poor/ok/good/great" in reasons
