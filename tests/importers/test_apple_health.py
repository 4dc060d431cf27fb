"""Importing Apple Health exports (export.zip / export.xml), on real exports and generated ones."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers import import_paths
from pacekeeper.importers.apple_health import AppleHealth
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.detect import detect

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "apple-health"
PARSER_XML = DATA / "apple-health-parser" / "export.xml"
PARSER_ZIP = DATA / "apple-health-parser" / "export.zip"  # with __MACOSX/ and .DS_Store junk
SQLITE_XML = DATA / "healthkit-to-sqlite" / "export.xml"
ZIPPED_XML = DATA / "healthkit-to-sqlite" / "zip_contents" / "apple_health_export" / "export.xml"

# Mapped types, written independently of the importer's own table.
MAPPED = {
    "HKQuantityTypeIdentifierHeartRate",
    "HKQuantityTypeIdentifierRestingHeartRate",
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
    "HKQuantityTypeIdentifierStepCount",
    "HKQuantityTypeIdentifierDistanceWalkingRunning",
    "HKQuantityTypeIdentifierActiveEnergyBurned",
    "HKQuantityTypeIdentifierRespiratoryRate",
    "HKQuantityTypeIdentifierOxygenSaturation",
    "HKCategoryTypeIdentifierSleepAnalysis",
}


def expected(path: Path) -> tuple[int, int, set[str]]:
    """(samples, workouts, unread record types) counted with ElementTree on the small file."""
    root = ET.parse(path).getroot()  # noqa: S314 (the small, trusted fixture)
    keys = {
        (r.get("type"), r.get("value") if "Sleep" in str(r.get("type")) else "", r.get("sourceName"),
         r.get("startDate"))
        for r in root.findall("Record")
        if r.get("type") in MAPPED
    }  # fmt: skip
    unread = {str(r.get("type")) for r in root.findall("Record") if r.get("type") not in MAPPED}
    summaries = len(root.findall("ActivitySummary"))  # one exercise-minutes sample a day
    return len(keys) + summaries, len(root.findall("Workout")), unread


@pytest.mark.parametrize("path", [PARSER_XML, PARSER_ZIP, SQLITE_XML, ZIPPED_XML])
def test_real_exports_import_every_mapped_record(db, clock, make_profile, path):
    pid = make_profile(db, clock)
    xml = PARSER_XML if path == PARSER_ZIP else path
    samples, workouts, unread = expected(xml)
    assert detect(path).name == "apple-health"
    (report,) = import_paths(db, pid, [path], now=clock.now())
    assert report.format == "apple-health"
    assert report.added["samples"] == samples
    assert report.added.get("activities", 0) == workouts
    text = " ".join(str(s) for s in report.skipped)
    for t in unread:  # each unread type is listed once
        short = re.sub(r"^HK(Quantity|Category)TypeIdentifier", "", t)
        assert sum(short + " (" in str(s) for s in report.skipped) == 1, text
    assert not any("damaged" in str(s) for s in report.skipped)
    (again,) = import_paths(db, pid, [path], now=clock.now())
    assert sum(again.added.values()) == 0


def test_the_parser_export_reads_heart_rate_energy_and_sleep_with_offsets(db, clock, make_profile):
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [PARSER_ZIP], now=clock.now())
    assert report.sources == {"Alexandre's Apple Watch", "Alexandre's iPhone"}
    assert report.added["samples"] == 6  # 2 heart rate, 2 energy, in bed, core sleep
    assert any("AppleStandTime (1 element) not read" in str(s) for s in report.skipped)
    start = datetime(2023, 12, 31, 20, tzinfo=UTC)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        hr = samples_db.samples_between(s, p, SampleKind.HEART_RATE, start, start + timedelta(1))
        assert [x.value for x in hr] == [74, 75]
        assert {x.utc_offset_minutes for x in hr} == {120}
        (core,) = samples_db.samples_between(
            s, p, SampleKind.SLEEP_LIGHT, start, start + timedelta(1)
        )
        assert core.value == pytest.approx(12.5) and core.source == "Alexandre's Apple Watch"


def test_a_workout_becomes_an_activity(db, clock, make_profile):
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [SQLITE_XML], now=clock.now())
    assert not any("ActivitySummary" in str(s) for s in report.skipped)
    assert any("BodyMassIndex (1 element) not read" in str(s) for s in report.skipped)
    start = datetime(2016, 11, 14, 14, 25, 41, tzinfo=UTC)  # 07:25:41 -0700 as written
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        (a,) = entries_db.activities_between(s, p, start, start + timedelta(seconds=1))
        assert (a.what, a.minutes, a.physical, a.posture) == ("Running", 5, 3, "upright")
        assert a.source == "Apple\xa0Watch" and "distance 0.5 mi" in a.note
        day = datetime(2016, 11, 15, tzinfo=UTC)
        (summary,) = samples_db.samples_between(
            s, p, SampleKind.ACTIVE_MINUTES, day, day + timedelta(days=1)
        )
        assert summary.value == 68 and summary.source == "Apple Health activity summary"
        assert summary.extra == {
            "active_energy_kcal": 590.252,
            "active_energy_goal_kcal": 630,
            "exercise_goal_min": 30,
            "stand_hours": 13,
            "stand_hours_goal": 12,
        }


def rec(kind: str, source: str, start: str, end: str, value: str, unit: str = "") -> str:
    u = f' unit="{unit}"' if unit else ""
    return (
        f'<Record type="{kind}" sourceName="{source}"{u} startDate="{start}" endDate="{end}"'
        f' value="{value}"/>\n'
    )


Q, C = "HKQuantityTypeIdentifier", "HKCategoryTypeIdentifier"
WATCH, PHONE = "Jürgen’s Apple Watch", "Jürgen’s iPhone"
T1, T2 = "2024-01-02 08:15:00 +0100", "2024-01-02 08:25:00 +0100"
BROKEN_DTD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ATTLIST ExportDate value CDATA #REQUIRED
<!ELEMENT Me EMPTY>
<!ATTLIST Me HKCharacteristicTypeIdentifierDateOfBirth CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex CDATA #REQUIRED>
]>
"""


def generated() -> str:
    body = [
        rec(Q + "HeartRate", WATCH, T1, T1, "61", "count/min"),
        rec(Q + "RestingHeartRate", WATCH, T1, T1, "52", "count/min"),
        rec(Q + "StepCount", WATCH, T1, T2, "120", "count"),
        rec(Q + "StepCount", PHONE, T1, T2, "110", "count"),  # the same walk, both kept
        rec(Q + "DistanceWalkingRunning", PHONE, T1, T2, "0.09", "km"),
        rec(Q + "DistanceWalkingRunning", WATCH, T1, T2, "0.05", "mi"),
        rec(Q + "ActiveEnergyBurned", WATCH, T1, T2, "41.84", "kJ"),
        rec(Q + "RespiratoryRate", WATCH, T1, T1, "14.5", "count/min"),
        rec(Q + "OxygenSaturation", WATCH, T1, T1, "0.97", "%"),
        rec(Q + "BodyMass", PHONE, T1, T1, "60", "kg"),
        rec(Q + "BodyMass", PHONE, T2, T2, "60.2", "kg"),
        f'<Record type="{Q}HeartRateVariabilitySDNN" sourceName="{WATCH}" unit="ms"'
        f' startDate="{T2}" endDate="{T2}" value="48.2"><HeartRateVariabilityMetadataList>'
        + '<InstantaneousBeatsPerMinute bpm="60" time="8:25:01,00 AM"/>' * 3
        + "</HeartRateVariabilityMetadataList></Record>\n",
    ]
    stages = ["InBed", "AsleepCore", "AsleepDeep", "AsleepREM", "Awake", "AsleepUnspecified"]
    night = datetime(2024, 1, 1, 23, 0, tzinfo=UTC)  # written below as +0100 wall time
    for i, stage in enumerate(stages):
        a, b = night + timedelta(minutes=30 * i), night + timedelta(minutes=30 * i + 20)
        body.append(
            rec(
                C + "SleepAnalysis",
                WATCH,
                f"{a:%Y-%m-%d %H:%M:%S} +0100",
                f"{b:%Y-%m-%d %H:%M:%S} +0100",
                "HKCategoryValueSleepAnalysis" + stage,
            )
        )
    for i, kind in enumerate(["Cycling", "Yoga", "TraditionalStrengthTraining"]):
        body.append(
            f'<Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="32.4"'
            f' durationUnit="min" sourceName="{WATCH}" startDate="2024-01-0{3 + i} 10:00:00'
            f' +0100" endDate="2024-01-0{3 + i} 10:32:24 +0100"><WorkoutEvent type="x"/>'
            "</Workout>\n"
        )
    return (
        BROKEN_DTD
        + '<HealthData locale="de_DE">\n<ExportDate value="2024-02-01 10:00:00 +0100"/>\n'
        + "".join(body)
        + "</HealthData>\n"
    )


def test_a_generated_export_with_a_broken_dtd_reads_every_kind(db, clock, make_profile, write):
    with pytest.raises(ET.ParseError):
        ET.fromstring(BROKEN_DTD + "<HealthData/>")  # noqa: S314 (the DTD really is broken)
    path = write("export.xml", generated())
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [path], now=clock.now())
    assert report.sources == {WATCH, PHONE}
    assert report.added["samples"] == 9 + 1 + 6 and report.added["activities"] == 3
    assert [str(s) for s in report.skipped] == ["file: BodyMass (2 elements) not read"]
    day = datetime(2024, 1, 2, tzinfo=UTC)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)

        def got(kind: SampleKind) -> list[tuple[str, float]]:
            rows = samples_db.samples_between(s, p, kind, day - timedelta(1), day + timedelta(1))
            return [(r.source, round(r.value, 3)) for r in rows]

        assert got(SampleKind.STEPS) == [(WATCH, 120), (PHONE, 110)]
        assert sorted(got(SampleKind.DISTANCE)) == [(WATCH, 80.467), (PHONE, 90.0)]
        assert got(SampleKind.ACTIVE_ENERGY) == [(WATCH, 10.0)]
        assert got(SampleKind.SPO2) == [(WATCH, 97.0)]
        assert got(SampleKind.RESPIRATION_RATE) == [(WATCH, 14.5)]
        assert got(SampleKind.RESTING_HEART_RATE) == [(WATCH, 52)]
        for kind in (
            SampleKind.SLEEP_IN_BED,
            SampleKind.SLEEP_LIGHT,
            SampleKind.SLEEP_DEEP,
            SampleKind.SLEEP_REM,
            SampleKind.SLEEP_AWAKE,
            SampleKind.SLEEP_ASLEEP,
        ):
            assert got(kind) == [(WATCH, 20.0)], kind
        (hrv,) = samples_db.samples_between(
            s, p, SampleKind.HRV_SDNN, day - timedelta(1), day + timedelta(1)
        )
        assert hrv.value == 48.2
        assert hrv.extra == {"beats": 3, "bpm": [60, 60, 60], "times": ["8:25:01,00 AM"] * 3}
        (hr,) = samples_db.samples_between(
            s, p, SampleKind.HEART_RATE, day - timedelta(1), day + timedelta(1)
        )
        assert hr.utc_offset_minutes == 60
        assert hr.start.astimezone(UTC) == datetime(2024, 1, 2, 7, 15, tzinfo=UTC)
        week = entries_db.activities_between(s, p, day, day + timedelta(7))
        loads = {(a.what, a.physical, a.posture, a.minutes) for a in week}
        assert loads == {
            ("Cycling", 3, "sitting", 32),
            ("Yoga", 1, "upright", 32),
            ("TraditionalStrengthTraining", 2, "upright", 32),
        }


def test_a_truncated_export_keeps_what_came_before(db, clock, make_profile, write):
    text = generated().encode()
    cut = text.index(b"HKQuantityTypeIdentifierBodyMass")
    path = write("export.xml", text[:cut])
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [path], now=clock.now())
    assert report.added["samples"] == 9  # every record before the cut
    (damage,) = [s for s in report.skipped if "damaged" in s.reason]
    line = text[:cut].count(b"\n") + 1
    assert damage.where.startswith(f"line {line}, column ")


def test_a_zip_without_an_export_is_refused(db, clock, make_profile, write):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        zf.writestr("__MACOSX/apple_health_export/._export.xml", "junk")
    path = write("export.zip", buf.getvalue())
    pid = make_profile(db, clock)
    with pytest.raises(ImportFileError, match=r"without an Apple Health export\.xml"):
        import_paths(db, pid, [path], now=clock.now())


SEEDS = [PARSER_XML.read_bytes(), SQLITE_XML.read_bytes(), PARSER_ZIP.read_bytes()]
CTX = ImportContext(ZoneInfo("Europe/Oslo"), time(4), {})


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    base = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(base) - 1))
        base[i] = draw(st.integers(0, 255))
    return bytes(base[: draw(st.integers(1, len(base)))])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated())
def test_mutated_exports_import_or_fail_cleanly(tmp_path, data):
    path = tmp_path / ("export.zip" if data.startswith(b"PK") else "export.xml")
    path.write_bytes(data)
    report = ImportReport(str(path), "apple-health")
    seen: list[int] = []
    try:
        records = list(AppleHealth().read(path, report, seen.append, CTX))
    except ImportFileError:
        return
    assert seen == sorted(seen)
    kinds = Counter(type(r).__name__ for r in records)
    assert set(kinds) <= {"SampleData", "SampleBatch", "ActivityData"}
