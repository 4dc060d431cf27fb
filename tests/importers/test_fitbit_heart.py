"""Fitbit heart-rate zones (real PMData files) and heart_rate.json (generated: none ships)."""

from __future__ import annotations

import json
import tracemalloc
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db.samples import SampleData
from pacekeeper.domain import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Record
from pacekeeper.importers.fitbit_json import FitbitJson
from tests.importers.reading import (
    context,
    mutate,
    natural_keys_unique,
    read_all,
    read_or_refused,
    samples,
)

PMDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "pmdata"


@pytest.mark.skipif(not PMDATA.is_dir(), reason="../shared/data/pmdata is missing")
@pytest.mark.parametrize("person", ["p01", "p05", "p10"])
def test_minutes_in_each_heart_rate_zone_per_day(person):
    path = PMDATA / person / "fitbit" / "time_in_heart_rate_zones.json"
    report, records = read_all(path, tz="Europe/Oslo")
    assert report.format == "fitbit-json" and not report.skipped
    zones = samples(records, SampleKind.HR_ZONE_MINUTES)
    assert natural_keys_unique(records) and len(zones) == len(records)
    expected = {
        x["dateTime"][:10]: x["value"]["valuesInZones"] for x in json.loads(path.read_text())
    }
    got: dict[str, dict[str, float]] = defaultdict(dict)
    for z in zones:
        assert z.extra["daily"] and z.source == f"Fitbit ({z.extra['zone'].replace('_', ' ')})"
        got[z.start.date().isoformat()][z.extra["zone"]] = z.value
    assert len(got) == len(expected)
    day, raw = next(iter(expected.items()))
    names = {"BELOW_DEFAULT_ZONE_1": "below_zones", "IN_DEFAULT_ZONE_1": "fat_burn"}
    names |= {"IN_DEFAULT_ZONE_2": "cardio", "IN_DEFAULT_ZONE_3": "peak"}
    assert got[day] == {names[k]: v for k, v in raw.items()}
    assert report.first_day is not None and report.first_day.isoformat() == min(expected)


def heart_rate_items(start: datetime, minutes: int, us_dates: bool) -> list[dict]:
    items = []
    for i in range(minutes * 6):
        at = start + timedelta(seconds=10 * i)
        text = at.strftime("%m/%d/%y %H:%M:%S" if us_dates else "%Y-%m-%d %H:%M:%S")
        items.append({"dateTime": text, "value": {"bpm": 60 + i % 6, "confidence": 2}})
    return items


@pytest.mark.parametrize("us_dates", [True, False])
def test_heart_rate_readings_are_averaged_per_minute(tmp_path, us_dates):
    items = heart_rate_items(datetime(2020, 1, 5, 23, 58, tzinfo=UTC), 4, us_dates)
    items[0]["value"]["confidence"] = 0  # no skin contact: left out
    items[7]["value"]["bpm"] = 0  # not a heart rate
    items.insert(9, {"dateTime": "soon", "value": {"bpm": 70}})
    path = tmp_path / "heart_rate-2020-01-05.json"
    path.write_text(json.dumps(items))
    report, records = read_all(path, tz="Europe/Oslo")
    assert report.format == "fitbit-json"
    assert [str(s) for s in report.skipped] == [
        "element 9: unexpected content (ValueError: Invalid isoformat string: 'soon')"
    ]
    hr = samples(records, SampleKind.HEART_RATE)
    assert [x.start.strftime("%d %H:%M") for x in hr] == [
        "05 23:58",
        "05 23:59",
        "06 00:00",
        "06 00:01",
    ]
    assert hr[0].start.utcoffset() == timedelta(hours=1)  # local time, read in the profile's zone
    assert hr[0].extra == {"n": 5, "min": 61.0, "max": 65.0} and hr[0].value == 63.0
    assert hr[1].extra["n"] == 5 and hr[2].extra["n"] == 6 and hr[2].value == 62.5
    assert natural_keys_unique(records)


def test_a_cut_heart_rate_file_keeps_the_minutes_before_the_cut(tmp_path):
    raw = json.dumps(heart_rate_items(datetime(2020, 1, 5, 8, 0, tzinfo=UTC), 30, False)).encode()
    path = tmp_path / "heart_rate.json"
    path.write_bytes(raw[: len(raw) // 2])
    report, records = read_all(path)
    assert 13 <= len(records) <= 16
    (problem,) = report.skipped
    assert problem.where.startswith("byte ") and int(problem.where.split()[1]) <= len(raw) // 2


def test_a_large_heart_rate_file_is_streamed(tmp_path):
    path = tmp_path / "heart_rate.json"
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w") as f:  # ~7 MB: a week at one reading every 5 s
        f.write("[")
        for i in range(120_000):
            at = (start + timedelta(seconds=5 * i)).strftime("%m/%d/%y %H:%M:%S")
            sep = "," if i else ""
            f.write(f'{sep}{{"dateTime":"{at}","value":{{"bpm":{60 + i % 30},"confidence":3}}}}')
        f.write("]")
    report = ImportReport(str(path), "fitbit-json")
    tracemalloc.start()
    count = 0
    try:
        for r in FitbitJson().read(path, report, lambda n: None, context()):
            assert isinstance(r, SampleData)
            count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 120_000 // 12 and not report.skipped
    assert peak < 4 << 20  # memory does not grow with the file (~7 MB)


def test_a_heart_rate_file_that_is_not_an_array_is_refused(tmp_path):
    path = tmp_path / "heart_rate.json"
    path.write_text('{"dateTime": 1}')
    report = ImportReport(str(path), "fitbit-json")
    with pytest.raises(ImportFileError, match="not a JSON array"):
        list(FitbitJson().read(path, report, lambda n: None, context()))


ZONES = (
    b'[{"dateTime": "2019-11-01 00:00:00", "value": {"valuesInZones": {"BELOW_DEFAULT_ZONE_1":'
    b' 1254.0, "IN_DEFAULT_ZONE_1": 164.0, "IN_DEFAULT_ZONE_3": 0.0, "IN_DEFAULT_ZONE_2": 3.0}}},'
    b' {"dateTime": "11/02/19 00:00:00", "value": {"valuesInZones": {"IN_CUSTOM_ZONE": 9}}}]'
)
HR = json.dumps(heart_rate_items(datetime(2020, 1, 5, 8, 0, tzinfo=UTC), 2, True)).encode()


@st.composite
def damaged_json(draw: st.DrawFn) -> tuple[str, bytes]:
    name, base = draw(st.sampled_from([("time_in_heart_rate_zones.json", ZONES),
                                       ("heart_rate.json", HR)]))  # fmt: skip
    return name, mutate(draw, base, edits=8)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged_json())
def test_damaged_zone_and_heart_rate_files_import_or_fail_cleanly(tmp_path, case):
    name, data = case
    path = tmp_path / name
    path.write_bytes(data)

    def read(p: Path) -> tuple[ImportReport, list[Record]]:
        report = ImportReport(str(p), "fitbit-json")
        return report, list(FitbitJson().read(p, report, lambda n: None, context()))

    if (got := read_or_refused(path, read)) is None:
        return
    report, records = got
    assert natural_keys_unique(records)
    assert all(s.where.startswith(("byte ", "element ")) for s in report.skipped)
