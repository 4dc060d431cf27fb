"""Export and restore: lossless round trip on both databases; bad files change nothing."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from pacekeeper.backup import export_profile, restore_profile
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Activity, CheckIn, Profile, Rest, Sample, Tracker
from pacekeeper.domain import SampleKind, parse_activity, parse_checkin, parse_rest
from pacekeeper.domain.trackers import parse_custom_tracker
from pacekeeper.errors import BackupFileError

SCHEMA = json.loads(resources.files("pacekeeper.backup").joinpath("schema_v1.json").read_text())


def rich_profile(db: Database, clock, make_profile) -> int:
    pid = make_profile(db, clock, name="Åsa", conditions="me_cfs,fibromyalgia", resting_hr="61",
                       birth_year="1979", day_boundary="05:00")  # fmt: skip
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        taken = {t.key for t in p.trackers}
        for raw in (
            {"label": "Headache", "kind": "scale", "low_anchor": "none", "high_anchor": "awful"},
            {"label": "Period", "kind": "yes_no"},
            {
                "label": "Hours upright",
                "kind": "number",
                "min_value": "0",
                "max_value": "24",
                "unit": "h",
            },
        ):
            row = profiles_db.add_tracker(s, p, parse_custom_tracker(raw, taken))
            taken.add(row.key)
        profiles_db.set_tracker_enabled(s, p, "mood", False)
        profiles_db.move_tracker(s, p, "headache", -1)
        trackers = profiles_db.trackers(p)
        for day, values, note in (
            (
                "2026-03-13",
                {"fatigue": "7", "headache": "4", "period": "yes", "hours_upright": "3.5"},
                "Søvn: dårlig ☹",
            ),
            ("2026-03-14", {"fatigue": "5", "crash": "0"}, ""),  # a left-out answer stays absent
            ("2026-03-15", {"pain": "2", "crash": "1"}, "Crash after the visit"),
        ):
            data = parse_checkin({"day": day, "note": note, "recorded_at": f"{day}T21:30+01:00",
                                  "client_id": f"6f1c2a9e-0000-4000-8000-0000000000{day[-2:]}", **values},
                                 trackers, clock.now().date())  # fmt: skip
            checkins_db.save_checkin(s, p, data, clock.now())
        # Two offsets, either side of a DST change.
        for start in ("2026-03-28T10:00+01:00", "2026-03-29T10:00+02:00"):
            entries_db.add_activity(s, p, parse_activity({"what": "Walk", "started_at": start,
                                                          "minutes": "20", "physical": "2",
                                                          "posture": "upright"}))  # fmt: skip
        entries_db.add_rest(
            s,
            p,
            parse_rest(
                {"kind": "meditation", "started_at": "2026-03-15T14:00-04:00", "minutes": "12"}
            ),
        )
        tz = timezone(timedelta(hours=1))
        samples_db.add_samples(s, p, [
            samples_db.SampleData(SampleKind.HEART_RATE, datetime(2026, 3, 15, 9, 0, tzinfo=tz), 71, "Garmin"),
            samples_db.SampleData(SampleKind.SLEEP_DEEP, datetime(2026, 3, 15, 2, 0, tzinfo=tz), 42.5, "Oura",
                                  datetime(2026, 3, 15, 2, 42, 30, tzinfo=tz), {"device": "ring gen3"}),
        ])  # fmt: skip
    return pid


def export(db: Database, pid: int, clock) -> dict:
    out = io.StringIO()
    export_profile(db, pid, out, clock=clock)
    return json.loads(out.getvalue())


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {t.__name__: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in (Profile, Tracker, CheckIn, Activity, Rest, Sample)}  # fmt: skip


def comparable(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc.pop("exported_at")
    doc["profile"].pop("name")
    return doc


def test_round_trip_is_lossless(db, clock, make_profile, tmp_path: Path):
    pid = rich_profile(db, clock, make_profile)
    first = export(db, pid, clock)
    Draft202012Validator(SCHEMA).validate(first)
    assert first["format"] == "pacekeeper-export" and first["schema_version"] == 1
    assert first["generated_data"] is False
    assert first["checkins"][1]["values"] == {"crash": 0, "fatigue": 5}
    assert first["activities"][1]["started_at"] == "2026-03-29T10:00:00+02:00"
    assert first["samples"][1]["extra"] == {"device": "ring gen3"}

    path = tmp_path / "backup.json"
    path.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    summary = restore_profile(db, path, clock=clock, name="Åsa (restored)")
    assert (summary.checkins, summary.activities, summary.rests, summary.samples) == (3, 2, 1, 2)
    second = export(db, summary.profile_id, clock)
    assert comparable(second) == comparable(first)

    replaced = restore_profile(db, path, clock=clock, replace=True)
    assert comparable(export(db, replaced.profile_id, clock)) == comparable(first)
    with db.read() as s:
        assert sorted(p.name for p in profiles_db.list_profiles(s)) == ["Åsa", "Åsa (restored)"]


@pytest.mark.parametrize(
    ("mangle", "where", "reason"),
    [
        (lambda t: t.replace('"schema_version": 1,', '"schema_version": 1,,'), "line", "Expecting"),
        (lambda t: t.replace("pacekeeper-export", "something-else"), "format", "not a Pacekeeper export"),
        (lambda t: t.replace('"schema_version": 1', '"schema_version": 2'), "schema_version", "newer Pacekeeper"),
        (lambda t: t.replace('"fatigue": 5', '"fatigue": 14'), "checkins[1].fatigue", "out of range"),
        (lambda t: t.replace('"minutes": 12', '"minutes": 0'), "rests[0].minutes", "less than the minimum"),
        (lambda t: t.replace('"2026-03-14"', '"14 March"'), "checkins[1].day", "must be a date"),
        (lambda t: t.replace('"unit": "bpm"', '"unit": "mmHg"'), "samples[0].unit", "must be 'bpm'"),
        (lambda t: t.replace('"name": "Åsa"', '"name": ""'), "profile.name", "should be non-empty"),
    ],
)  # fmt: skip
def test_a_bad_file_says_where_and_changes_nothing(
    db, clock, make_profile, tmp_path, mangle, where, reason
):
    pid = rich_profile(db, clock, make_profile)
    text = json.dumps(export(db, pid, clock), indent=1, ensure_ascii=False)
    path = tmp_path / "broken.json"
    path.write_text(mangle(text), encoding="utf-8")
    before = counts(db)
    with pytest.raises(BackupFileError) as exc:
        restore_profile(db, path, clock=clock, name="Copy")
    assert str(path) in str(exc.value)
    assert where in exc.value.where, exc.value
    assert reason in exc.value.reason, exc.value
    assert counts(db) == before


def test_same_name_is_refused_unless_asked(db, clock, make_profile, tmp_path):
    pid = rich_profile(db, clock, make_profile)
    path = tmp_path / "b.json"
    path.write_text(json.dumps(export(db, pid, clock)), encoding="utf-8")
    before = counts(db)
    with pytest.raises(BackupFileError) as exc:
        restore_profile(db, path, clock=clock)
    assert exc.value.where == "profile.name" and "--replace" in exc.value.reason
    assert counts(db) == before


def test_export_of_the_demo_is_labelled_generated(db, clock):
    from pacekeeper.demo import install_demo

    pid = install_demo(db, clock, days=21)
    doc = export(db, pid, clock)
    assert doc["generated_data"] is True
    assert doc["profile"]["name"] == "Demo (generated data)"
    assert len(doc["samples"]) > 1000
    assert doc["exported_at"] == datetime(2026, 3, 15, 10, 0, tzinfo=UTC).isoformat()
