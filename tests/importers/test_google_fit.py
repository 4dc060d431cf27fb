"""Google Fit Takeout, on fixtures built from the published layout (no real export ships)."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db.samples import SampleData
from pacekeeper.domain import SampleKind
from pacekeeper.domain.entries import ActivityData
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.detect import detect, expand
from tests.importers.reading import (
    context,
    mutate,
    natural_keys_unique,
    read_all,
    read_or_refused,
    samples,
)

METRICS = (
    "Move Minutes count,Calories (kcal),Distance (m),Heart Points,Heart Minutes,"
    "Average heart rate (bpm),Max heart rate (bpm),Min heart rate (bpm),Average speed (m/s),"
    "Max speed (m/s),Min speed (m/s),Step count,Average weight (kg),Max weight (kg),"
    "Min weight (kg),Inactive duration (ms),Walking duration (ms)"
)
DAILY = f"""Date,{METRICS}
2026-03-09,41,1980.5,2510.2,14,12,,,,1.2,1.9,0.4,3421,,,,80000000,2400000
2026-03-10,12,1850.0,640.0,,,,,,,,,902,,,,85000000,700000
2026-03-11,,1700.0,,,,,,,,,,,,,,86400000,
2026-03-1x,5,1,1,,,,,,,,,100,,,,,
2026-03-12,7,1,-3,,,,,,,,,100,,,,,
"""
DAY = f"""Start time,End time,{METRICS}
00:00:00.000+01:00,00:15:00.000+01:00,,40.1,,,,,,,,,,,,,,900000,
08:00:00.000+01:00,08:15:00.000+01:00,9,19.5,610.0,6,6,104.5,121,88,1.1,1.6,0.5,812,,,,,540000
08:15:00.000+01:00,08:30:00.000+01:00,3,16.0,120.0,,,86,90,80,,,,160,,,,,180000
08:30:00.000+01:00,08:45:00.000+01:00,3,bad,120.0,,,,,,,,,abc,,,,,
23:45:00.000+01:00,00:00:00.000+01:00,,10.0,30.0,,,,,,,,,45,,,,,
"""
WALK = {
    "fitnessActivity": "walking",
    "startTime": "2026-03-10T07:00:00.000Z",
    "endTime": "2026-03-10T07:40:00.000Z",
    "duration": "2400.000s",
    "segment": [],
    "aggregate": [
        {"metricName": "com.google.heart_minutes.summary", "floatValue": 12.0},
        {"metricName": "com.google.step_count.delta", "intValue": 3500},
        {"metricName": "com.google.calories.expended", "floatValue": 150.2},
    ],
}
SLEEP = {
    "fitnessActivity": "sleep",
    "startTime": "2026-03-09T22:30:00Z",
    "endTime": "2026-03-10T06:15:00Z",
}
STILL = {"fitnessActivity": "still", "startTime": "2026-03-10T09:00:00Z",
         "endTime": "2026-03-10T10:00:00Z"}  # fmt: skip
FIT = "Takeout/Fit/"


def takeout(root: Path) -> Path:
    """An unpacked Takeout folder with the Fit files this importer reads, and some it doesn't."""
    daily = root / FIT / "Daily activity metrics"
    sessions = root / FIT / "All sessions"
    daily.mkdir(parents=True)
    sessions.mkdir(parents=True)
    (daily / "Daily activity metrics.csv").write_text(DAILY)
    (daily / "2026-03-10.csv").write_text(DAY)
    (sessions / "2026-03-10T08_00_00+01_00_WALKING.json").write_text(json.dumps(WALK))
    (sessions / "2026-03-09T23_30_00+01_00_SLEEP.json").write_text(json.dumps(SLEEP))
    (sessions / "2026-03-10T10_00_00+01_00_STILL.json").write_text(json.dumps(STILL))
    (root / "Takeout" / "archive_browser.html").write_text("<html></html>")
    return root / "Takeout"


def test_the_daily_file_gives_daily_totals(tmp_path):
    root = takeout(tmp_path)
    report, records = read_all(
        root / "Fit" / "Daily activity metrics" / "Daily activity metrics.csv"
    )
    assert report.format == "google-fit-daily"
    assert [str(s) for s in report.skipped] == [
        "line 5: Date '2026-03-1x' is not a date",
        "line 6: distance (m): '-3' is not a number",
    ]
    steps = samples(records, SampleKind.STEPS)
    assert [(s.value, s.source, s.extra) for s in steps] == [
        (3421.0, "Google Fit (daily)", {"daily": True}),
        (902.0, "Google Fit (daily)", {"daily": True}),
    ]
    assert steps[0].start == datetime(2026, 3, 9, 4, tzinfo=context().tz)  # the day's start
    moves = {s.source: s.value for s in samples(records, SampleKind.ACTIVE_MINUTES)
             if s.start.day == 9}  # fmt: skip
    assert moves == {"Google Fit (daily) (move minutes)": 41.0,
                     "Google Fit (daily) (heart minutes)": 12.0}  # fmt: skip
    assert samples(records, SampleKind.DISTANCE)[0].value == 2510.2
    assert report.first_day == date(2026, 3, 9) and report.last_day == date(2026, 3, 10)
    assert natural_keys_unique(records)


def test_a_per_day_file_gives_15_minute_intervals(tmp_path):
    root = takeout(tmp_path)
    report, records = read_all(root / "Fit" / "Daily activity metrics" / "2026-03-10.csv", "UTC")
    assert report.format == "google-fit-day"
    assert [str(s) for s in report.skipped] == ["line 5: step count: 'abc' is not a number"]
    steps = samples(records, SampleKind.STEPS)
    assert [s.value for s in steps] == [812.0, 160.0, 45.0]
    first = steps[0]
    assert first.start == datetime.fromisoformat("2026-03-10T08:00:00+01:00")
    assert first.end - first.start == timedelta(minutes=15) and first.source == "Google Fit"
    # The last interval ends at midnight: the next day, not before it started.
    assert steps[-1].end - steps[-1].start == timedelta(minutes=15)
    hr = samples(records, SampleKind.HEART_RATE)
    assert [(h.value, h.extra) for h in hr] == [
        (104.5, {"window_min": 15, "min": 88.0, "max": 121.0}),
        (86.0, {"window_min": 15, "min": 80.0, "max": 90.0}),
    ]
    assert natural_keys_unique(records)


def test_a_per_day_file_needs_its_date_in_its_name(tmp_path):
    path = tmp_path / "renamed.csv"
    path.write_text(DAY)
    with pytest.raises(ImportFileError, match=r"renamed\.csv: .*name has no date"):
        read_all(path)


def test_sessions_become_activities_and_sleep(tmp_path):
    folder = takeout(tmp_path) / "Fit" / "All sessions"
    report, records = read_all(folder / "2026-03-10T08_00_00+01_00_WALKING.json", "Europe/Paris")
    (walk,) = records
    assert isinstance(walk, ActivityData) and report.format == "google-fit-session"
    assert (walk.what, walk.minutes, walk.physical) == ("Walking", 40, 2)
    assert walk.started_at == datetime.fromisoformat("2026-03-10T08:00:00+01:00")
    assert walk.note == "3500 steps, 12 heart minutes" and walk.source == "Google Fit"
    _, (sleep,) = read_all(folder / "2026-03-09T23_30_00+01_00_SLEEP.json")
    assert isinstance(sleep, SampleData) and sleep.kind == SampleKind.SLEEP_ASLEEP
    assert sleep.value == 465.0 and sleep.end - sleep.start == timedelta(minutes=465)
    report, records = read_all(folder / "2026-03-10T10_00_00+01_00_STILL.json")
    assert records == [] and "is not an activity" in str(report.skipped[0])


def test_a_damaged_session_is_refused_with_its_byte_offset(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(WALK)[:120])
    with pytest.raises(ImportFileError, match=r"s\.json: byte \d+: is not valid JSON"):
        read_all(path)


def test_a_takeout_folder_and_its_zip_import_the_same(tmp_path):
    folder = takeout(tmp_path / "unpacked")
    from_folder: list = []
    for path, _ in expand([folder]):
        try:
            _, records = read_all(path)
        except ImportFileError:
            assert path.suffix == ".html"
            continue
        from_folder += records
    archive = tmp_path / "takeout-20260312T101010Z-001.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.parent.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder.parent).as_posix())
        zf.writestr("__MACOSX/Takeout/Fit/All sessions/._x.json", b"\x00\x05junk")
    assert detect(archive).name == "google-fit-takeout"
    report, from_zip = read_all(archive)
    assert sorted(map(repr, from_zip)) == sorted(map(repr, from_folder))
    assert len(from_zip) > 15
    where = [s.where for s in report.skipped]
    assert "Takeout/Fit/Daily activity metrics/2026-03-10.csv line 5" in where
    assert any(w.startswith("Takeout/Fit/All sessions/") for w in where)  # "still"


def test_a_zip_without_google_fit_is_not_claimed(tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("Takeout/Keep/note.json", "{}")
    with pytest.raises(ImportFileError, match="is not a format"):
        detect(other)


SEEDS = [DAILY.encode(), DAY.encode(), json.dumps(WALK).encode()]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    return mutate(draw, draw(st.sampled_from(SEEDS)), edits=8)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged())
def test_damaged_google_fit_files_import_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "2026-03-10.csv"
    path.write_bytes(data)
    if (read := read_or_refused(path)) is None:
        return
    report, records = read
    assert all(s.where.startswith(("line ", "byte ")) for s in report.skipped)
    assert all(not isinstance(r, SampleData) or r.start.tzinfo is not None for r in records)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(min_size=1, max_size=200), st.integers(0, 2000))
def test_a_damaged_takeout_zip_imports_or_fails_cleanly(tmp_path, junk, at):
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Takeout/Fit/Daily activity metrics/2026-03-10.csv", DAY)
        zf.writestr("Takeout/Fit/All sessions/w.json", json.dumps(WALK))
    raw = bytearray(archive.read_bytes())
    at %= len(raw)
    raw[at : at + len(junk)] = junk
    archive.write_bytes(bytes(raw))
    try:
        report, _ = read_all(archive)
    except ImportFileError as exc:
        assert_names(exc, archive)
    else:
        assert all("Fit/" in s.where for s in report.skipped)  # each names its member


def assert_names(exc: ImportFileError, path: Path) -> None:
    assert str(path) in str(exc)


def test_a_takeout_zip_is_one_import_and_importing_it_again_adds_nothing(
    db, clock, make_profile, tmp_path
):
    from pacekeeper.importers import import_paths

    folder = takeout(tmp_path / "unpacked")
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder.parent).as_posix())
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [archive], now=clock.now())
    assert report.format == "google-fit-takeout"
    assert report.added["activities"] == 1 and report.added["samples"] >= 15
    (again,) = import_paths(db, pid, [archive], now=clock.now())
    assert sum(again.added.values()) == 0 and again.duplicates["activities"] == 1


def test_the_daily_total_and_the_15_minute_steps_are_never_added_up(
    db, clock, make_profile, tmp_path
):
    """Takeout holds each day twice (the daily file and the per-day file): the history page and
    the PEM engine count a day once, from the same source."""
    from pacekeeper import store
    from pacekeeper.db import profiles as profiles_db
    from pacekeeper.frames.resolve import profile_days
    from pacekeeper.importers import import_paths

    pid = make_profile(db, clock)
    import_paths(db, pid, [takeout(tmp_path / "unpacked")], now=clock.now())
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
        steps = store.read_samples(s, pid, [SampleKind.STEPS], *store_span(), with_extra=True)
        page = store.daily_by_source(steps, tz, boundary)
        engine = profile_days(s, p, clock).past
    # 10 Mar: the daily file says 902, the 15-minute rows 812 + 160 + 45 = 1017 ("abc" skipped);
    # both are Google Fit (same rank), so the larger account is used alone.
    assert page[date(2026, 3, 10)] == {"Google Fit": 1017.0}
    assert page[date(2026, 3, 9)] == {"Google Fit (daily)": 3421.0}  # only the daily file
    by_day = dict(zip(engine["day"].to_list(), engine["steps"].to_list(), strict=True))
    assert by_day[date(2026, 3, 10)] == 1017.0 and by_day[date(2026, 3, 9)] == 3421.0


def store_span() -> tuple[datetime, datetime]:
    return datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
