"""Export and restore: a lossless round trip on both databases; a bad file says where it is bad
and changes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

import pacekeeper.backup.export as export_module
from pacekeeper.backup import export_profile, restore_profile
from pacekeeper.backup.restore import SCHEMA
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Activity, CheckIn, CheckInValue, Profile, Rest, SamplePart, Tracker
from pacekeeper.domain import (
    CeilingMethod,
    CheckInData,
    Condition,
    Posture,
    RestKind,
    SampleKind,
    Sex,
    parse_activity,
    parse_rest,
)
from pacekeeper.domain.trackers import parse_custom_tracker
from pacekeeper.errors import BackupFileError

VALIDATOR = Draft202012Validator(SCHEMA)
OSLO_WINTER, OSLO_SUMMER, NEW_YORK = (timezone(timedelta(hours=h)) for h in (1, 2, -4))


def rich_profile(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    """A profile with something of everything a backup must carry."""
    pid = make_profile(db, clock, name="Åsa", conditions="me_cfs,fibromyalgia", resting_hr="61",
                       birth_year="1979", sex="female", day_boundary="05:00", theme="dark")  # fmt: skip
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        taken = {t.key for t in p.trackers}
        for raw in (
            {"label": "Headache", "kind": "scale", "low_anchor": "none", "high_anchor": "awful"},
            {"label": "Period", "kind": "yes_no", "is_symptom": "no"},
            {"label": "Hours upright", "kind": "number", "min_value": "0", "max_value": "24",
             "unit": "h", "higher_is_worse": "no"},
            # Labelled like the check-in's note: its key becomes "note_2", kept apart from the note.
            {"label": "Note", "kind": "number", "min_value": "-5", "max_value": "0"},
        ):  # fmt: skip
            row = profiles_db.add_tracker(s, p, parse_custom_tracker(raw, taken))
            taken.add(row.key)
        profiles_db.set_tracker_enabled(s, p, "mood", False)  # a disabled tracker
        profiles_db.move_tracker(s, p, "headache", -1)  # a reordered one
        profiles_db.move_tracker(s, p, "crash", -3)

        for day, values, note, recorded_at in (
            ("2026-03-13", {"fatigue": 7, "headache": 4, "period": 1, "hours_upright": 3.5,
                            "note_2": -2.5}, "Søvn: dårlig ☹ — «tung» dag", "2026-03-13T21:30+01:00"),
            # fatigue and crash only: every other answer was left out and must stay absent
            ("2026-03-14", {"fatigue": 5, "crash": 0}, "", "2026-03-14T23:50-04:00"),
            ("2026-03-15", {"pain": 2, "crash": 1, "mood": 3}, "Crash after the visit\nline two",
             "2026-03-15T02:10+01:00"),
        ):  # fmt: skip
            data = CheckInData(
                date.fromisoformat(day),
                {k: float(v) for k, v in values.items()},
                note,
                datetime.fromisoformat(recorded_at),
                f"6f1c2a9e-0000-4000-8000-0000000000{day[-2:]}",
                "web" if day != "2026-03-14" else "cli",
            )
            checkins_db.save_checkin(s, p, data, clock.now())

        # Two UTC offsets, either side of Europe's 2026 DST change (29 March), and one abroad.
        for start, what in (("2026-03-28T10:00+01:00", "Walk"), ("2026-03-29T10:00+02:00", "Walk"),
                            ("2026-03-29T10:00+02:00", "Phone call")):  # fmt: skip
            entries_db.add_activity(s, p, parse_activity({"what": what, "started_at": start,
                                                          "minutes": "20", "physical": "2",
                                                          "social": "1", "posture": "upright",
                                                          "note": "à deux"}))  # fmt: skip
        entries_db.add_rest(s, p, parse_rest({"kind": "meditation", "started_at":
                                              "2026-03-15T14:00-04:00", "minutes": "12"},
                                             source="cli"))  # fmt: skip
        entries_db.add_rest(s, p, parse_rest({"kind": "nap", "started_at": "2026-03-29T13:00+02:00",
                                              "minutes": "45", "note": "zzz",
                                              "client_id": "0b7e3c1d-1111-4000-8000-000000000001"}))  # fmt: skip
        samples_db.add_samples(s, p, [
            samples_db.SampleData(SampleKind.HEART_RATE, datetime(2026, 3, 15, 9, 0, tzinfo=OSLO_WINTER), 71, "Garmin"),
            samples_db.SampleData(SampleKind.HEART_RATE, datetime(2026, 3, 29, 9, 0, tzinfo=OSLO_SUMMER), 68.5, "Garmin"),
            samples_db.SampleData(SampleKind.SLEEP_DEEP, datetime(2026, 3, 15, 2, 0, tzinfo=OSLO_WINTER), 42.5, "Oura",
                                  datetime(2026, 3, 15, 2, 42, 30, tzinfo=OSLO_WINTER),
                                  {"device": "ring gen3", "nested": {"ø": [1, 2.5, None, True]}}),
            samples_db.SampleData(SampleKind.STEPS, datetime(2026, 3, 14, 12, 0, tzinfo=NEW_YORK), 1234, "Pixel",
                                  datetime(2026, 3, 14, 13, 0, tzinfo=NEW_YORK)),
        ])  # fmt: skip
    return pid


def export_text(db: Database, pid: int, clock: FixedClock) -> str:
    out = io.StringIO()
    export_profile(db, pid, out, clock=clock)
    return out.getvalue()


def export_doc(db: Database, pid: int, clock: FixedClock) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(export_text(db, pid, clock))
    return doc


def without_name_and_time(text: str) -> str:
    """The document with the two fields a restore may change blanked; key order is kept, so
    comparing these strings also compares the order of every field and row."""
    doc = json.loads(text)
    doc["exported_at"] = doc["profile"]["name"] = "-"
    return json.dumps(doc, ensure_ascii=False)


BASE_TABLES = (Profile, Tracker, CheckIn, CheckInValue, Activity, Rest, SamplePart)


def counts(db: Database, tables: Sequence[type[Any]] = BASE_TABLES) -> dict[str, int]:
    with db.read() as s:
        return {t.__name__: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in tables}  # fmt: skip


def assert_refused_unchanged(
    db: Database, clock: FixedClock, pid: int, tmp_path: Path,
    mangle: Callable[[dict[str, Any]], object], where: str, reason: str,
    tables: Sequence[type[Any]] = BASE_TABLES,
) -> None:  # fmt: skip
    """A `mangle`d copy of the profile's backup is refused, as a copy and as a replacement, at
    `where` for `reason`, with no row written and the profile itself untouched."""
    original = export_text(db, pid, clock)
    doc = json.loads(original)
    mangle(doc)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = counts(db, tables)
    for kwargs in ({"name": "Copy"}, {"replace": True}):
        with pytest.raises(BackupFileError) as exc:
            restore_profile(db, path, clock=clock, **kwargs)
        assert exc.value.where == where, exc.value
        assert reason in exc.value.reason, exc.value
        assert counts(db, tables) == before
    assert export_text(db, pid, clock) == original  # the profile --replace aimed at is untouched


# -- the round trip ------------------------------------------------------------------------------


def test_round_trip_is_lossless(db, clock, make_profile, tmp_path: Path):
    pid = rich_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    first = json.loads(text)
    VALIDATOR.validate(first)
    assert "Åsa" in text and "☹" in text  # UTF-8 as is, not \u escapes
    assert first["format"] == "pacekeeper-export" and first["schema_version"] == 1
    assert first["generator"] == "pacekeeper 0.1.0" and first["generated_data"] is False
    assert first["exported_at"] == "2026-03-15T10:00:00+00:00"
    assert first["profile"]["day_boundary"] == "05:00"

    # What the document says, spot-checked against what was stored.
    keys = [t["key"] for t in first["trackers"]]
    assert keys == ["fatigue", "pain", "brain_fog", "sleep_quality", "unrefreshing_sleep", "crash",
                    "mood", "headache", "back_soreness", "period", "hours_upright", "note_2"]  # fmt: skip
    assert [t["position"] for t in first["trackers"]] == list(range(len(keys)))
    assert {t["key"]: t["enabled"] for t in first["trackers"]}["mood"] is False
    custom = {t["key"]: t for t in first["trackers"] if not t["builtin"]}
    assert set(custom) == {"headache", "period", "hours_upright", "note_2"}
    assert custom["hours_upright"] | {"position": 0} == {
        "key": "hours_upright", "label": "Hours upright", "kind": "number", "min_value": 0,
        "max_value": 24, "low_anchor": "", "high_anchor": "", "higher_is_worse": False,
        "is_symptom": False, "unit": "h", "enabled": True, "position": 0, "builtin": False,
    }  # fmt: skip
    c13, c14, c15 = first["checkins"]
    assert c13["values"] == {"fatigue": 7, "headache": 4, "hours_upright": 3.5, "note_2": -2.5,
                             "period": 1}  # fmt: skip
    assert c13["note"] == "Søvn: dårlig ☹ — «tung» dag"
    assert c14["values"] == {"crash": 0, "fatigue": 5}  # left-out answers are absent, not 0
    assert c14["recorded_at"] == "2026-03-14T23:50:00-04:00" and c14["source"] == "cli"
    assert c15["recorded_at"] == "2026-03-15T02:10:00+01:00" and c15["values"]["mood"] == 3
    assert [(a["started_at"], a["what"]) for a in first["activities"]] == [
        ("2026-03-28T10:00:00+01:00", "Walk"),
        ("2026-03-29T10:00:00+02:00", "Walk"),
        ("2026-03-29T10:00:00+02:00", "Phone call"),
    ]
    assert first["rests"][0]["started_at"] == "2026-03-15T14:00:00-04:00"
    assert first["samples"] == [
        {"kind": "heart_rate", "start": "2026-03-15T09:00:00+01:00", "end": None, "value": 71,
         "unit": "bpm", "source": "Garmin", "extra": None},
        {"kind": "heart_rate", "start": "2026-03-29T09:00:00+02:00", "end": None, "value": 68.5,
         "unit": "bpm", "source": "Garmin", "extra": None},
        {"kind": "sleep_deep", "start": "2026-03-15T02:00:00+01:00",
         "end": "2026-03-15T02:42:30+01:00", "value": 42.5, "unit": "min", "source": "Oura",
         "extra": {"device": "ring gen3", "nested": {"ø": [1, 2.5, None, True]}}},
        {"kind": "steps", "start": "2026-03-14T12:00:00-04:00", "end": "2026-03-14T13:00:00-04:00",
         "value": 1234, "unit": "count", "source": "Pixel", "extra": None},
    ]  # fmt: skip

    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")

    # Under a new name, beside the original.
    clock.set(datetime(2026, 4, 2, 8, 0, tzinfo=UTC))
    summary = restore_profile(db, path, clock=clock, name="Åsa (restored)")
    assert (summary.name, summary.checkins, summary.activities, summary.rests, summary.samples) == (
        "Åsa (restored)", 3, 3, 2, 4)  # fmt: skip
    second = export_text(db, summary.profile_id, clock)
    assert json.loads(second)["profile"]["name"] == "Åsa (restored)"
    assert without_name_and_time(second) == without_name_and_time(text)

    # In place of the original.
    replaced = restore_profile(db, path, clock=clock, replace=True)
    third = export_text(db, replaced.profile_id, clock)
    assert without_name_and_time(third) == without_name_and_time(text)
    assert json.loads(third)["profile"]["name"] == "Åsa"
    with db.read() as s:
        assert sorted(p.name for p in profiles_db.list_profiles(s)) == ["Åsa", "Åsa (restored)"]
        # The instants and offsets themselves, not only their text.
        restored = profiles_db.get_profile(s, replaced.profile_id)
        stored = checkins_db.get_checkin(s, restored, date(2026, 3, 14))
        assert stored is not None and stored.utc_offset_minutes == -240
        assert stored.recorded_at == datetime(2026, 3, 15, 3, 50, tzinfo=UTC)
        assert stored.client_id == "6f1c2a9e-0000-4000-8000-000000000014"


def test_an_empty_profile_round_trips(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock, name="New")
    text = export_text(db, pid, clock)
    doc = json.loads(text)
    VALIDATOR.validate(doc)
    assert (doc["checkins"], doc["activities"], doc["rests"], doc["samples"]) == ([], [], [], [])
    path = tmp_path / "empty.json"
    path.write_text(text, encoding="utf-8")
    summary = restore_profile(db, path, clock=clock, name="New 2")
    assert without_name_and_time(export_text(db, summary.profile_id, clock)) == (
        without_name_and_time(text)
    )


def test_export_streams_in_batches(db, clock, make_profile, monkeypatch):
    """Rows are fetched a batch at a time; with tiny batches the document is still whole."""
    monkeypatch.setattr(export_module, "BATCH", 3)
    pid = make_profile(db, clock, name="Many")
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        samples_db.add_samples(s, p, [
            samples_db.SampleData(SampleKind.HEART_RATE, start + timedelta(minutes=i), 60 + i, "Watch")
            for i in range(20)
        ])  # fmt: skip
        for i in range(7):
            entries_db.add_activity(s, p, parse_activity({"what": f"A{i}", "minutes": 5,
                "started_at": (start + timedelta(hours=i)).isoformat()}))  # fmt: skip
    doc = export_doc(db, pid, clock)
    VALIDATOR.validate(doc)
    assert [x["value"] for x in doc["samples"]] == [60 + i for i in range(20)]
    assert [a["what"] for a in doc["activities"]] == [f"A{i}" for i in range(7)]


def test_export_of_the_demo_is_labelled_generated(db, clock):
    from pacekeeper.demo import install_demo

    pid = install_demo(db, clock, days=21)
    doc = export_doc(db, pid, clock)
    VALIDATOR.validate(doc)
    assert doc["generated_data"] is True
    assert doc["profile"]["name"] == "Demo (generated data)"
    assert len(doc["samples"]) > 1000


# -- bad files -----------------------------------------------------------------------------------


def edit(change: Callable[[dict[str, Any]], object]) -> Callable[[str], str]:
    def mangle(text: str) -> str:
        doc = json.loads(text)
        change(doc)
        return json.dumps(doc, indent=1, ensure_ascii=False)

    return mangle


BAD_FILES = [
    # JSON syntax, with line and column
    ("syntax", lambda t: t.replace('"schema_version": 1,', '"schema_version": 1,,'),
     "line 3, column 22", "Expecting property name"),
    ("truncated", lambda t: t[: t.index('"checkins"')], "line", "Expecting"),
    ("nan", lambda t: t.replace('"value": 68.5', '"value": NaN'), "samples[1].value",
     "NaN is not a JSON number"),
    ("infinite", lambda t: t.replace('"value": 71', '"value": -1e400'), "samples[0].value",
     "-1e400 is too large a number"),
    ("huge integer", lambda t: t.replace('"fatigue": 5', '"fatigue": 1' + "0" * 5000),
     "checkins[1].values.fatigue", "too large a number"),
    ("repeated field", lambda t: t.replace('"fatigue": 5', '"fatigue": 5, "fatigue": 6'),
     "checkins[1].values.fatigue", "appears twice"),
    # what the file is, and its version
    ("not an export", lambda t: t.replace("pacekeeper-export", "something-else"), "format",
     "not a Pacekeeper export"),
    ("a list", lambda t: "[1, 2]", "format", "not a Pacekeeper export"),
    ("newer version", lambda t: t.replace('"schema_version": 1', '"schema_version": 2'),
     "schema_version", "written by a newer Pacekeeper"),
    ("version as text", lambda t: t.replace('"schema_version": 1', '"schema_version": "1"'),
     "schema_version", "must be a whole number"),
    # the schema, with the JSON path
    ("rest too short", lambda t: t.replace('"minutes": 12', '"minutes": 0'), "rests[0].minutes",
     "0 is less than the minimum of 1"),
    ("unknown field", edit(lambda d: d["profile"].update(pronouns="she")), "profile.pronouns",
     "update Pacekeeper"),
    ("missing field", edit(lambda d: d["activities"][2].pop("started_at")),
     "activities[2].started_at", "is required"),
    ("unknown sample kind", edit(lambda d: d["samples"][0].update(kind="glucose")),
     "samples[0].kind", "not 'glucose'"),
    ("wrong unit", lambda t: t.replace('"unit": "bpm"', '"unit": "mmHg"'), "samples[0].unit",
     "must be 'bpm', not 'mmHg'"),
    ("empty name", lambda t: t.replace('"name": "Åsa"', '"name": ""'), "profile.name",
     "should be non-empty"),
    ("note too long", edit(lambda d: d["rests"][1].update(note="x" * 2001)), "rests[1].note",
     "is too long (2001 characters; at most 2000)"),
    # the app's own rules
    ("value out of range", lambda t: t.replace('"fatigue": 5', '"fatigue": 14'),
     "checkins[1].values.fatigue", "must be from 0 to 10; 14 is out of range"),
    ("half a scale point", lambda t: t.replace('"fatigue": 5', '"fatigue": 5.5'),
     "checkins[1].values.fatigue", "whole number"),
    ("yes/no as 2", lambda t: t.replace('"period": 1', '"period": 2'),
     "checkins[0].values.period", "must be yes or no"),
    ("no such tracker", lambda t: t.replace('"fatigue": 5', '"fatigue": 5, "fatigu": 5'),
     "checkins[1].values.fatigu", "is not one of the file's trackers"),
    ("bad day", lambda t: t.replace('"2026-03-14"', '"14 March"'), "checkins[1].day",
     "must be a date"),
    ("time without offset", lambda t: t.replace("2026-03-28T10:00:00+01:00", "2026-03-28T10:00:00"),
     "activities[0].started_at", "with its UTC offset"),
    ("ceiling below resting", edit(lambda d: d["profile"].update(hr_ceiling=55)),
     "profile.hr_ceiling", "above the resting heart rate"),
    ("bad time zone", edit(lambda d: d["profile"].update(time_zone="Mars/Olympus")),
     "profile.time_zone", "not a time zone"),
    ("repeated tracker", edit(lambda d: d["trackers"].append(d["trackers"][0])),
     "trackers[12].key", "already appears at trackers[0]"),
    ("yes/no to 5", edit(lambda d: d["trackers"][9].update(max_value=5)), "trackers[9].max_value",
     "from 0 to 1"),
    ("scale too long", edit(lambda d: d["trackers"][0].update(max_value=50)),
     "trackers[0].max_value", "at most 21"),
    ("repeated day", lambda t: t.replace('"2026-03-14"', '"2026-03-13"'), "checkins[1].day",
     "already appears at checkins[0]"),
    ("repeated sample", edit(lambda d: d["samples"].append(d["samples"][2] | {"value": 1})),
     "samples[4].start", "already appears at samples[2]"),
    ("repeated client id", edit(lambda d: d["rests"][0].update(client_id=d["rests"][1]["client_id"])),
     "rests[1].client_id", "already appears at rests[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("mangle", "where", "reason"), [b[1:] for b in BAD_FILES],
                         ids=[b[0] for b in BAD_FILES])  # fmt: skip
def test_a_bad_file_says_where_and_changes_nothing(
    db, clock, make_profile, tmp_path, mangle, where, reason
):
    pid = rich_profile(db, clock, make_profile)
    text = json.dumps(export_doc(db, pid, clock), indent=1, ensure_ascii=False)
    path = tmp_path / "broken.json"
    path.write_text(mangle(text), encoding="utf-8")
    before = counts(db)
    for kwargs in ({"name": "Copy"}, {"replace": True}):
        with pytest.raises(BackupFileError) as exc:
            restore_profile(db, path, clock=clock, **kwargs)
        assert str(exc.value).startswith(f"{path}: ")
        assert where in exc.value.where, exc.value
        assert reason in exc.value.reason, exc.value
        assert counts(db) == before


def test_the_message_reads_as_path_then_reason(db, clock, make_profile, tmp_path):
    pid = rich_profile(db, clock, make_profile)
    doc = export_doc(db, pid, clock)
    doc["checkins"][2]["values"]["fatigue"] = 14
    path = tmp_path / "b.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(BackupFileError) as exc:
        restore_profile(db, path, clock=clock, name="Copy")
    assert str(exc.value) == (
        f"{path}: checkins[2].values.fatigue: must be from 0 to 10; 14 is out of range"
    )


def test_several_schema_problems_are_named_top_to_bottom(db, clock, make_profile, tmp_path):
    pid = rich_profile(db, clock, make_profile)
    doc = export_doc(db, pid, clock)
    doc["samples"][3]["value"] = "many"
    doc["activities"][1]["physical"] = 7
    doc["profile"]["theme"] = "neon"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(BackupFileError) as exc:
        restore_profile(db, path, clock=clock, name="Copy")
    assert exc.value.where == "profile.theme"
    assert "activities[1].physical: 7 is greater than the maximum of 3" in exc.value.reason
    assert "samples[3].value: 'many' is not of type 'number'" in exc.value.reason


def test_a_file_that_is_not_utf8_or_missing(db, clock, tmp_path):
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"note": "dårlig"}'.encode("latin-1"))
    with pytest.raises(BackupFileError, match="not UTF-8"):
        restore_profile(db, latin1, clock=clock)
    with pytest.raises(BackupFileError, match="cannot be read"):
        restore_profile(db, tmp_path / "nowhere.json", clock=clock)


def test_same_name_is_refused_unless_asked(db, clock, make_profile, tmp_path):
    pid = rich_profile(db, clock, make_profile)
    path = tmp_path / "b.json"
    path.write_text(export_text(db, pid, clock), encoding="utf-8")
    before = counts(db)
    with pytest.raises(BackupFileError) as exc:
        restore_profile(db, path, clock=clock)
    assert exc.value.where == "profile.name"
    assert "'Åsa' already exists" in exc.value.reason and "--replace" in exc.value.reason
    assert counts(db) == before
    # A new name that is taken too is refused the same way.
    make_profile(db, clock, name="Bo")
    before = counts(db)
    with pytest.raises(BackupFileError, match="'Bo' already exists"):
        restore_profile(db, path, clock=clock, name="Bo")
    assert counts(db) == before
    with pytest.raises(BackupFileError) as exc:
        restore_profile(db, path, clock=clock, name=" ")
    assert exc.value.where == "name" and "is required" in exc.value.reason


# -- the schema and the domain agree -------------------------------------------------------------


def test_the_schema_lists_what_the_domain_allows():
    props = SCHEMA["properties"]
    profile = props["profile"]["properties"]
    assert profile["conditions"]["items"]["enum"] == [c.value for c in Condition]
    assert profile["sex"]["enum"] == [*[x.value for x in Sex], None]
    assert profile["hr_ceiling_method"]["enum"] == [*[m.value for m in CeilingMethod], None]
    activity = props["activities"]["items"]["properties"]
    assert activity["posture"]["enum"] == [p.value for p in Posture]
    assert props["rests"]["items"]["properties"]["kind"]["enum"] == [k.value for k in RestKind]
    sample = props["samples"]["items"]
    assert sample["properties"]["kind"]["enum"] == [k.value for k in SampleKind]
    units = {
        kind: rule["then"]["properties"]["unit"]["const"]
        for rule in sample["allOf"]
        for kind in rule["if"]["properties"]["kind"]["enum"]
    }
    assert units == {k.value: k.unit for k in SampleKind}
    Draft202012Validator.check_schema(SCHEMA)


def test_the_docs_explain_every_field():
    docs = (Path(__file__).parents[2] / "docs" / "export-schema.md").read_text(encoding="utf-8")
    props = SCHEMA["properties"]
    fields = set(props)
    for section in ("profile",):
        fields |= set(props[section]["properties"])
    for section in ("trackers", "checkins", "activities", "rests", "samples"):
        fields |= set(props[section]["items"]["properties"])
    # The planner's and the program's sections, nested fields included.
    settings = props["planner_settings"]["properties"]
    fields |= set(settings) | set(settings["values"]["properties"])
    fields |= set(settings["values"]["properties"]["dsq_pem"]["properties"])
    for section, inner in (("progression_movements", "steps"), ("program_goals", "ticks")):
        items = props[section]["items"]["properties"]
        fields |= set(items) | set(items[inner]["items"]["properties"])
    fields |= set(props["chapter_reads"]["items"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in docs)
    assert not missing, f"docs/export-schema.md does not explain {missing}"


def test_the_docs_example_is_a_real_backup(db, clock, tmp_path):
    docs = (Path(__file__).parents[2] / "docs" / "export-schema.md").read_text(encoding="utf-8")
    example = docs.split("```json\n", 1)[1].split("```", 1)[0]
    VALIDATOR.validate(json.loads(example))
    path = tmp_path / "example.json"
    path.write_text(example, encoding="utf-8")
    summary = restore_profile(db, path, clock=clock)
    assert (summary.name, summary.checkins, summary.activities, summary.samples) == ("Ann", 1, 1, 1)
    again = json.loads(export_text(db, summary.profile_id, clock))
    assert again == json.loads(example)


def test_the_quick_sample_check_passes_only_what_the_schema_passes():
    """Samples skip jsonschema when a plain check passes them (it is ~50 times faster); that
    check must never pass a sample the schema refuses."""
    from pacekeeper.backup.restore import _plain_sample_ok

    item = VALIDATOR.evolve(schema=SCHEMA["properties"]["samples"]["items"])
    good = {"kind": "steps", "start": "2026-03-14T12:00:00-04:00",
            "end": "2026-03-14T13:00:00-04:00", "value": 1234, "unit": "count", "source": "Pixel",
            "extra": {"a": 1}}  # fmt: skip
    variants: list[Any] = [good, [good], "x", None, {}]
    changes: dict[str, list[Any]] = {
        "kind": ["heart_rate", "glucose", None, 3, ["steps"], {"a": 1}],
        "start": ["2026-03-14T12:00Z", "2026-03-14T12:00:00.123+01:00", "2026-03-14T12:00:00",
                  "2026-03-14", "2026-03-14T12:00:00+01:00\n", 5, None],
        "end": [None, "2026-03-14T13:00:00Z", "later", 7],
        "value": [0, -1.5, 1e300, True, "5", None],
        "unit": ["count", "bpm", "", None],
        "source": ["", "x" * 80, "x" * 81, "Ø", 1, None],
        "extra": [None, {}, [], "x", 1],
    }  # fmt: skip
    for field, values in changes.items():
        variants += [good | {field: v} for v in values]
        variants.append({k: v for k, v in good.items() if k != field})
    variants += [good | {"surprise": 1}, good | {"kind": "heart_rate", "unit": "bpm"}]
    for x in variants:
        if _plain_sample_ok(x):
            assert item.is_valid(x), x
    assert sum(map(_plain_sample_ok, variants)) >= 15  # and it does pass the ordinary ones
