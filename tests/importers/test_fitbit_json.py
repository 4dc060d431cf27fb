"""Fitbit's account export, on the real PMData files (../shared/data/pmdata)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers import import_paths
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.jsonstream import array_items

PMDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "pmdata"
P03 = PMDATA / "p03" / "fitbit"


def by_name(reports):
    return {Path(r.path).name: r for r in reports}


def test_a_whole_fitbit_folder_is_one_import(db, clock, make_profile):
    pid = make_profile(db, clock, time_zone="Europe/Oslo")
    reports = by_name(import_paths(db, pid, [P03], now=clock.now()))
    assert reports["sleep_score.csv"].format == "not read"
    zones_file = json.loads((P03 / "time_in_heart_rate_zones.json").read_text())
    zones = reports["time_in_heart_rate_zones.json"]
    assert not zones.skipped
    assert zones.added["samples"] == sum(len(x["value"]["valuesInZones"]) for x in zones_file)
    rhr_file = json.loads((P03 / "resting_heart_rate.json").read_text())
    expected_rhr = [x for x in rhr_file if x["value"]["value"] > 0]
    assert reports["resting_heart_rate.json"].added["samples"] == len(expected_rhr)
    steps_file = json.loads((P03 / "steps.json").read_text())
    assert reports["steps.json"].added["samples"] == sum(
        1 for x in steps_file if float(x["value"]) > 0
    )
    exercises = json.loads((P03 / "exercise.json").read_text())
    assert reports["exercise.json"].added["activities"] == len(exercises)

    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        # The first exercise, at its local time in Oslo, with a load from its intensity minutes.
        first = exercises[0]
        start = datetime.fromisoformat(first["startTime"]).replace(
            tzinfo=profiles_db.profile_zone(p)
        )
        (a,) = entries_db.activities_between(s, p, start, start + timedelta(seconds=1))
        assert a.what == first["activityName"] and a.source == "Fitbit" and 1 <= a.physical <= 3
        # Sleep stages are intervals in minutes with an end.
        night = start.astimezone(UTC).replace(hour=0, minute=0) - timedelta(days=1)
        stages = samples_db.samples_between(
            s, p, SampleKind.SLEEP_DEEP, night, night + timedelta(days=3)
        )
        assert stages and all(x.end is not None and x.value > 0 for x in stages)
        # Steps are per minute.
        t = datetime(2019, 11, 1, tzinfo=UTC)
        steps = samples_db.samples_between(s, p, SampleKind.STEPS, t, t + timedelta(days=1))
        assert steps and all(x.end - x.start == timedelta(minutes=1) for x in steps)

    again = by_name(import_paths(db, pid, [P03], now=clock.now()))
    assert all(sum(r.added.values()) == 0 for r in again.values())


def test_a_truncated_file_keeps_what_came_before_the_cut(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock)
    raw = (P03 / "exercise.json").read_bytes()
    cut = tmp_path / "exercise.json"
    cut.write_bytes(raw[: len(raw) // 2])
    (report,) = import_paths(db, pid, [cut], now=clock.now())
    assert report.added["activities"] > 10
    (problem,) = report.skipped
    assert problem.where.startswith("byte ") and int(problem.where.split()[1]) <= len(raw) // 2


def test_an_unknown_fitbit_metric_named_on_its_own_is_refused(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock)
    odd = tmp_path / "swimming_lengths.json"
    shutil.copy(P03 / "very_active_minutes.json", odd)
    with pytest.raises(ImportFileError, match="not a metric Pacekeeper reads"):
        import_paths(db, pid, [odd], now=clock.now())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_the_json_reader_never_raises_anything_else(data):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(b'[{"dateTime": "2019-11-01 00:00:00", "value": "5"}, ' + data)
        f.flush()
        report = ImportReport(f.name, "fitbit-json")
        try:
            items = list(array_items(Path(f.name), report, lambda n: None))
        except ImportFileError:
            return
        assert items[0] == (0, {"dateTime": "2019-11-01 00:00:00", "value": "5"})
        assert all(s.where.startswith("byte ") for s in report.skipped)
