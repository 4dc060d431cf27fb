"""Garmin Connect's account export (JSON), on the real MyAIGuide files
(../shared/data/myaiguide-chronic-pain/Participant1/garminDataFromWeb)."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain import SampleKind
from pacekeeper.domain.entries import Posture
from pacekeeper.domain.localday import day_start
from pacekeeper.errors import ImportFileError
from pacekeeper.importers import import_paths
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.detect import detect
from pacekeeper.importers.garmin_json import GarminConnectJson, physical_load, posture_of

GARMIN = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "myaiguide-chronic-pain"
    / "Participant1"
    / "garminDataFromWeb"
)
UDS = GARMIN / "DI-Connect-Aggregator"
ACTIVITIES = GARMIN / "DI-Connect-Fitness" / "summarizedActivities.json"
SUMMER = UDS / "UDSFile_2023-06-02_2023-09-10.json"
TZ = "Asia/Taipei"


def by_name(reports: list[ImportReport]) -> dict[str, ImportReport]:
    return {Path(r.path).name: r for r in reports}


def expected_samples(day: dict[str, Any]) -> int:
    """Daily samples one UDS summary should give, counted straight from the JSON."""
    n = sum(
        isinstance(day.get(k), int | float) and day[k] >= 0
        for k in (
            "totalSteps",
            "totalDistanceMeters",
            "activeKilocalories",
            "moderateIntensityMinutes",
            "vigorousIntensityMinutes",
        )
    )
    n += bool(day.get("restingHeartRate"))
    totals = [
        a["averageStressLevel"]
        for a in (day.get("allDayStress") or {}).get("aggregatorList", [])
        if a["type"] == "TOTAL"
    ]
    n += bool(totals) and 0 <= totals[0] <= 100
    n += sum(
        s["bodyBatteryStatType"] in ("HIGHEST", "LOWEST")
        for s in (day.get("bodyBattery") or {}).get("bodyBatteryStatList", [])
    )
    n += bool((day.get("respiration") or {}).get("avgWakingRespirationValue"))
    return n


def test_a_whole_garmin_export_folder_is_one_import(db, clock, make_profile):
    pid = make_profile(db, clock, time_zone=TZ)
    reports = by_name(import_paths(db, pid, [GARMIN], now=clock.now()))
    for f in sorted(UDS.glob("UDSFile_*.json")):
        days = json.loads(f.read_text())
        report = reports[f.name]
        assert report.format == "garmin-connect-json"
        assert report.added["samples"] == sum(expected_samples(d) for d in days)
        assert not report.skipped
        assert report.first_day == date.fromisoformat(min(d["calendarDate"] for d in days))
    (export,) = json.loads(ACTIVITIES.read_text())
    activities = export["summarizedActivitiesExport"]
    report = reports[ACTIVITIES.name]
    # Activities are told apart by start, name and source: count the distinct ones.
    distinct = {(a["startTimeGmt"], a["name"]) for a in activities}
    assert report.added["activities"] == len(distinct)
    assert report.added["activities"] + report.duplicates["activities"] == len(activities)
    assert report.sources == {"Garmin Connect"}

    summer = {d["calendarDate"]: d for d in json.loads(SUMMER.read_text())}
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        tz = profiles_db.profile_zone(p)
        boundary = profiles_db.profile_boundary(p)
        # One day's values, at the start of that local day.
        day = date(2023, 6, 2)
        start = day_start(day, tz, boundary)
        end = start + timedelta(seconds=1)
        (steps,) = samples_db.samples_between(s, p, SampleKind.STEPS, start, end)
        assert steps.value == summer["2023-06-02"]["totalSteps"] == 2130
        (rhr,) = samples_db.samples_between(s, p, SampleKind.RESTING_HEART_RATE, start, end)
        assert rhr.value == summer["2023-06-02"]["restingHeartRate"] == 55
        batteries = samples_db.samples_between(s, p, SampleKind.BODY_BATTERY, start, end)
        assert {b.source for b in batteries} == {
            "Garmin Connect (body battery high)",
            "Garmin Connect (body battery low)",
        }
        high = next(b for b in batteries if b.source.endswith("high)")).value
        low = next(b for b in batteries if b.source.endswith("low)")).value
        assert high >= low
        # The first activity, at its real start (UTC from the export), with its load.
        first = activities[0]
        at = datetime.fromtimestamp(first["startTimeGmt"] / 1000, UTC)
        (a,) = entries_db.activities_between(s, p, at, at + timedelta(seconds=1))
        assert a.what == first["name"] and a.source == "Garmin Connect"
        assert 1 <= a.physical <= 3
        assert a.minutes == max(1, round(first["duration"] / 60000))
        assert f"average heart rate {round(first['avgHr'])}" in a.note

    again = by_name(import_paths(db, pid, [GARMIN], now=clock.now()))
    assert all(sum(r.added.values()) == 0 for r in again.values())


def test_a_truncated_daily_summary_file_keeps_what_came_before_the_cut(
    db, clock, make_profile, tmp_path
):
    pid = make_profile(db, clock, time_zone=TZ)
    raw = SUMMER.read_bytes()
    cut = tmp_path / "UDSFile_cut.json"
    cut.write_bytes(raw[: len(raw) // 2])
    (report,) = import_paths(db, pid, [cut], now=clock.now())
    whole = json.loads(raw)
    complete = []
    for day in whole:  # the summaries that lie wholly before the cut
        complete.append(day)
        if len(json.dumps(complete, separators=(",", ":")).encode()) > len(raw) // 2:
            complete.pop()
            break
    assert report.added["samples"] >= sum(expected_samples(d) for d in complete) > 100
    (problem,) = report.skipped
    assert problem.where.startswith("byte ") and int(problem.where.split()[1]) <= len(raw) // 2


def test_a_truncated_activity_file_keeps_what_came_before_the_cut(
    db, clock, make_profile, tmp_path
):
    pid = make_profile(db, clock, time_zone=TZ)
    raw = ACTIVITIES.read_bytes()
    cut = tmp_path / "summarizedActivities.json"
    cut.write_bytes(raw[: len(raw) // 2])
    (report,) = import_paths(db, pid, [cut], now=clock.now())
    assert report.added["activities"] > 100
    (problem,) = report.skipped
    assert problem.where.startswith("byte ") and int(problem.where.split()[1]) <= len(raw) // 2


def test_files_are_recognised_by_content_not_name(tmp_path):
    renamed = tmp_path / "export.json"
    renamed.write_bytes(SUMMER.read_bytes())
    assert isinstance(detect(renamed), GarminConnectJson)
    renamed.write_bytes(ACTIVITIES.read_bytes())
    assert isinstance(detect(renamed), GarminConnectJson)
    g = GarminConnectJson()
    assert not g.sniff(b'[{"dateTime": "2019-11-01 00:00:00", "value": "5"}]', renamed)
    assert not g.sniff(b'{"calendarDate": "2023-01-01", "userProfilePK": 1}', renamed)
    assert not g.sniff(b"date,steps\n2023-01-01,5\n", tmp_path / "UDSFile_x.json")


CTX = ImportContext(tz=ZoneInfo(TZ), boundary=time(4), trackers={})


def read(path: Path) -> tuple[list[Any], ImportReport]:
    report = ImportReport(str(path), "garmin-connect-json")
    return list(GarminConnectJson().read(path, report, lambda n: None, CTX)), report


def test_damaged_summaries_are_skipped_with_their_element(tmp_path):
    good = {
        "userProfilePK": 1,
        "calendarDate": "2023-05-01",
        "totalSteps": 1200,
        "restingHeartRate": 0,  # could not be computed: no sample
        "allDayStress": {"aggregatorList": [{"type": "TOTAL", "averageStressLevel": -1}]},
        "respiration": {"avgWakingRespirationValue": 14.0},
    }
    rows = [
        good,
        {**good, "calendarDate": "May 2nd"},
        "text",
        {**good, "calendarDate": "2023-05-03"},
    ]
    path = tmp_path / "UDSFile.json"
    path.write_text(json.dumps(rows))
    records, report = read(path)
    assert [s.where for s in report.skipped] == ["element 1", "element 2"]
    kinds = sorted(r.kind.value for r in records)
    assert kinds == ["respiration_rate", "respiration_rate", "steps", "steps"]
    assert report.first_day == date(2023, 5, 1) and report.last_day == date(2023, 5, 3)


def test_activity_mapping():
    assert physical_load("walking", 30, {"avgHr": 90}) == 2
    assert physical_load("other", 30, {"avgHr": 90}) == 1
    assert physical_load("other", 30, {"avgHr": 145}) == 3
    assert physical_load("walking", 30, {"vigorousIntensityMinutes": 20}) == 3
    assert posture_of("lap_swimming") is Posture.LYING
    assert posture_of("cycling") is Posture.SITTING
    assert posture_of("stand_up_paddleboarding") is Posture.UPRIGHT
    assert posture_of("walking") is Posture.UPRIGHT


SEEDS = [
    json.dumps(
        [
            {
                "userProfilePK": 1,
                "calendarDate": "2023-05-01",
                "totalSteps": 1200,
                "restingHeartRate": 55,
                "bodyBattery": {
                    "bodyBatteryStatList": [{"bodyBatteryStatType": "HIGHEST", "statsValue": 70}]
                },
            }
        ]
    ).encode(),
    json.dumps(
        [
            {
                "summarizedActivitiesExport": [
                    {
                        "name": "Walk",
                        "activityType": "walking",
                        "startTimeGmt": 1.7e12,
                        "startTimeLocal": 1.7e12 + 7_200_000,
                        "duration": 1_800_000.0,
                        "avgHr": 100.0,
                        "distance": 200000.0,
                    }
                ]
            }
        ]
    ).encode(),
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    base = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(base) - 1))
        base[i] = draw(st.integers(0, 255))
    return bytes(base[: draw(st.integers(0, len(base)))])


@settings(max_examples=300, deadline=None)
@given(st.one_of(damaged(), st.binary(max_size=300).map(lambda b: SEEDS[0][:60] + b)))
def test_the_reader_never_raises_anything_else(data):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(data)
        f.flush()
        try:
            _, report = read(Path(f.name))
        except ImportFileError:
            return
        assert all(s.where.startswith(("byte ", "element ")) for s in report.skipped)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged())
def test_any_damaged_export_imports_or_fails_cleanly(
    sqlite_db, clock, make_profile, tmp_path, data
):
    with sqlite_db.read() as s:
        profiles = profiles_db.list_profiles(s)
    pid = profiles[0].id if profiles else make_profile(sqlite_db, clock)
    path = tmp_path / "garmin.json"
    path.write_bytes(data)
    try:
        reports = import_paths(sqlite_db, pid, [path], now=clock.now())
    except ImportFileError as exc:
        refused: ImportFileError | None = exc
    else:
        refused = None
        assert len(reports) == 1
    if refused is not None:
        assert str(path) in str(refused)


def test_odd_activity_values_are_skipped_or_cleaned(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock, time_zone=TZ)
    walk = {
        "name": "Walk",
        "activityType": "walking",
        "startTimeGmt": 1.7e12,
        "startTimeLocal": 1.7e12 + 7_200_000,
        "duration": 1_800_000.0,
    }
    rows = [
        {**walk, "startTimeGmt": 1e20},  # far beyond any real date
        {**walk, "duration": "long"},
        {**walk, "name": "Evening\u0000walk\n", "startTimeGmt": 1.7e12 + 1},
        walk,
    ]
    path = tmp_path / "summarizedActivities.json"
    path.write_text(json.dumps([{"summarizedActivitiesExport": rows}]))
    (report,) = import_paths(db, pid, [path], now=clock.now())
    assert [s.where for s in report.skipped] == ["element 0", "element 1"]
    assert report.added["activities"] == 2
    at = datetime.fromtimestamp(1.7e9, UTC)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        found = entries_db.activities_between(s, p, at, at + timedelta(seconds=1))
        assert sorted(a.what for a in found) == ["Evening walk", "Walk"]
        assert all(a.minutes == 30 and a.posture == "upright" for a in found)
