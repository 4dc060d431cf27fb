"""The planner's and the program's sections of a backup: exact round trip on both databases, old
backups without them still restore, and a damaged section is refused with its path."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from pacekeeper.backup import restore_profile
from pacekeeper.backup.planner_program import SECTIONS
from pacekeeper.backup.restore import SCHEMA
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import program as program_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db.tables import (
    ChapterRead,
    GoalTick,
    PlannerSetting,
    Profile,
    ProgramGoal,
    ProgressionDay,
    ProgressionMovement,
    ProgressionStep,
)
from tests.backup.test_backup import (
    assert_refused_unchanged,
    counts,
    export_text,
    rich_profile,
    without_name_and_time,
)

VALIDATOR = Draft202012Validator(SCHEMA)
TABLES = (PlannerSetting, ProgressionMovement, ProgressionStep, ProgressionDay, ChapterRead,
          ProgramGoal, GoalTick, Profile)  # fmt: skip


def planned_profile(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    """The rich profile plus planner settings, two movements, chapter reads, goals and ticks."""
    pid = rich_profile(db, clock, make_profile)
    oslo = timezone(timedelta(hours=1))
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        progression_db.update_settings(s, p, {
            "cpet_vt1_hr": 104, "crisis_line": "Mental Helse: 116 123 ☎",
            "pem_screen": "positive", "long_covid_chosen": True,
            "dsq_pem": {"frequency": [3, 2, None, 4, 1], "severity": [2, 2, 3, None, 0]},
        }, datetime(2026, 3, 10, 8, 30, 15, 250000, tzinfo=oslo))  # fmt: skip
        old = progression_db.start_movement(s, p, "Stairs", 1, date(2026, 3, 1),
                                            datetime(2026, 3, 1, 9, 0, tzinfo=UTC))  # fmt: skip
        progression_db.mark_done(s, old, date(2026, 3, 2))
        m = progression_db.start_movement(s, p, "Arm raises", 2.5, date(2026, 3, 5),
                                          datetime(2026, 3, 5, 9, 0, tzinfo=oslo))  # fmt: skip
        progression_db.set_level(s, m, date(2026, 3, 12), 3.75)
        progression_db.set_level(s, m, date(2026, 3, 8), 3)
        for d in (9, 6, 7, 12):
            progression_db.mark_done(s, m, date(2026, 3, d))
        program_db.mark_read(s, pid, "02-envelope", date(2026, 3, 11),
                             datetime(2026, 3, 11, 20, 0, tzinfo=UTC))  # fmt: skip
        program_db.mark_read(s, pid, "01-welcome", date(2026, 3, 10),
                             datetime(2026, 3, 10, 7, 0, tzinfo=UTC))  # fmt: skip
        program_db.mark_read(s, pid, "01-welcome", date(2026, 3, 14),  # a re-read
                             datetime(2026, 3, 14, 21, 15, 30, tzinfo=oslo))  # fmt: skip
        g1 = program_db.add_goal(s, pid, "02-envelope", "Sit to shower «gently»", date(2026, 3, 11))
        g2 = program_db.add_goal(s, pid, "01-welcome", "Rest after lunch", date(2026, 3, 10))
        program_db.set_tick(s, pid, g1.id, date(2026, 3, 12), True)
        program_db.set_tick(s, pid, g1.id, date(2026, 3, 11), False)
        program_db.set_tick(s, pid, g2.id, date(2026, 3, 10), True)
        program_db.remove_goal(s, pid, g2.id)
    return pid


def test_planner_and_program_round_trip_exactly(db, clock, make_profile, tmp_path: Path):
    pid = planned_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    doc = json.loads(text)
    VALIDATOR.validate(doc)
    keys = list(doc)
    assert keys[keys.index("samples") :][:5] == ["samples", *SECTIONS]
    assert doc["planner_settings"] == {
        "values": {"cpet_vt1_hr": 104, "crisis_line": "Mental Helse: 116 123 ☎",
                   "dsq_pem": {"frequency": [3, 2, None, 4, 1], "severity": [2, 2, 3, None, 0]},
                   "long_covid_chosen": True, "pem_screen": "positive"},
        "updated_at": "2026-03-10T07:30:15.250000+00:00",
    }  # fmt: skip
    assert doc["progression_movements"] == [
        {"name": "Stairs", "baseline_minutes": 1, "started_on": "2026-03-01", "active": False,
         "created_at": "2026-03-01T09:00:00+00:00", "steps": [], "days": ["2026-03-02"]},
        {"name": "Arm raises", "baseline_minutes": 2.5, "started_on": "2026-03-05",
         "active": True, "created_at": "2026-03-05T08:00:00+00:00",
         "steps": [{"day": "2026-03-08", "level_minutes": 3},
                   {"day": "2026-03-12", "level_minutes": 3.75}],
         "days": ["2026-03-06", "2026-03-07", "2026-03-09", "2026-03-12"]},
    ]  # fmt: skip
    assert doc["chapter_reads"] == [
        {"chapter_id": "01-welcome", "first_read_on": "2026-03-10",
         "last_read_at": "2026-03-14T20:15:30+00:00"},
        {"chapter_id": "02-envelope", "first_read_on": "2026-03-11",
         "last_read_at": "2026-03-11T20:00:00+00:00"},
    ]  # fmt: skip
    assert doc["program_goals"] == [
        {"chapter_id": "01-welcome", "text": "Rest after lunch", "created_on": "2026-03-10",
         "active": False, "ticks": [{"day": "2026-03-10", "done": True}]},
        {"chapter_id": "02-envelope", "text": "Sit to shower «gently»", "created_on": "2026-03-11",
         "active": True, "ticks": [{"day": "2026-03-11", "done": False},
                                   {"day": "2026-03-12", "done": True}]},
    ]  # fmt: skip

    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")
    before = counts(db, TABLES)
    copy = restore_profile(db, path, clock=clock, name="Åsa (copy)")
    again = export_text(db, copy.profile_id, clock)
    assert without_name_and_time(again) == without_name_and_time(text)
    after = counts(db, TABLES)
    assert {k: after[k] - before[k] for k in after} == {
        "PlannerSetting": 1, "ProgressionMovement": 2, "ProgressionStep": 2, "ProgressionDay": 5,
        "ChapterRead": 2, "ProgramGoal": 2, "GoalTick": 3, "Profile": 1,
    }  # fmt: skip
    # The app's own queries read the restored rows as they read the original ones.
    with db.read() as s:
        p = profiles_db.get_profile(s, copy.profile_id)
        m = progression_db.active_movement(s, p)
        assert m is not None and m.name == "Arm raises"
        assert progression_db.days_done(s, m) == {date(2026, 3, d) for d in (6, 7, 9, 12)}
        assert progression_db.settings(s, p)["cpet_vt1_hr"] == 104
        goals = program_db.goals_for_day(s, p.id, date(2026, 3, 12))
        assert [(g.chapter_id, g.done) for g in goals] == [("02-envelope", True)]

    # In place of the original, and a third export still reads the same.
    replaced = restore_profile(db, path, clock=clock, replace=True)
    third = export_text(db, replaced.profile_id, clock)
    assert without_name_and_time(third) == without_name_and_time(text)
    assert counts(db, TABLES) == after


def test_a_profile_without_planner_or_program_writes_empty_sections(db, clock, make_profile):
    pid = make_profile(db, clock, name="New")
    doc = json.loads(export_text(db, pid, clock))
    assert [doc[k] for k in SECTIONS] == [None, [], [], []]


def test_an_old_backup_without_the_new_sections_still_restores(db, clock, make_profile, tmp_path):
    pid = rich_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    old = json.loads(text)
    for key in SECTIONS:
        del old[key]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    before = counts(db, TABLES)
    summary = restore_profile(db, path, clock=clock, name="Old")
    assert summary.checkins == 3 and summary.samples == 4
    after = counts(db, TABLES)
    assert {k for k in after if after[k] != before[k]} == {"Profile"}
    assert without_name_and_time(export_text(db, summary.profile_id, clock)) == (
        without_name_and_time(text)
    )


# Each edits the exported document in place (what a lambda returns is ignored).
BROKEN: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    ("step level 0", (lambda d: d["progression_movements"][1]["steps"][0]
                            .update(level_minutes=0)),
     "progression_movements[1].steps[0].level_minutes", "less than or equal to the minimum"),
    ("unknown setting", (lambda d: d["planner_settings"]["values"].update(theme_x=1)),
     "planner_settings.values.theme_x", "is not a field schema version 1 has"),
    ("dsq answer out of range", (lambda d: d["planner_settings"]["values"]["dsq_pem"]
                                       ["severity"].__setitem__(2, 9)),
     "planner_settings.values.dsq_pem.severity[2]", "greater than the maximum of 4"),
    ("not a real day", (lambda d: d["progression_movements"][1]["days"]
                              .__setitem__(1, "2026-02-30")),
     "progression_movements[1].days[1]", "must be a date"),
    ("repeated done day", (lambda d: d["progression_movements"][1]["days"]
                                 .append("2026-03-06")),
     "progression_movements[1].days[4]", "already appears at progression_movements[1].days[0]"),
    ("repeated step day", (lambda d: d["progression_movements"][1]["steps"][1]
                                 .update(day="2026-03-08")),
     "progression_movements[1].steps[1].day", "already appears"),
    ("two active movements", (lambda d: d["progression_movements"][0].update(active=True)),
     "progression_movements[1].active", "progression_movements[0] already is"),
    ("a third active movement", (lambda d: d["progression_movements"].append(
        d["progression_movements"][1] | {"name": "Squats"})),
     "progression_movements[2].active", "progression_movements[1] already is"),
    ("blank movement name", (lambda d: d["progression_movements"][0].update(name=" ")),
     "progression_movements[0].name", "without leading or trailing spaces"),
    ("read without offset", (lambda d: d["chapter_reads"][0]
                                   .update(last_read_at="2026-03-14T20:15:30")),
     "chapter_reads[0].last_read_at", "UTC offset"),
    ("repeated chapter read", (lambda d: d["chapter_reads"].append(d["chapter_reads"][0])),
     "chapter_reads[2].chapter_id", "already appears at chapter_reads[0].chapter_id"),
    ("repeated goal", (lambda d: d["program_goals"][1].update(chapter_id="01-welcome")),
     "program_goals[1].chapter_id", "already appears at program_goals[0].chapter_id"),
    ("tick not yes or no", (lambda d: d["program_goals"][1]["ticks"][0].update(done=1)),
     "program_goals[1].ticks[0].done", "is not of type 'boolean'"),
    ("repeated tick", (lambda d: d["program_goals"][1]["ticks"][1]
                             .update(day="2026-03-11")),
     "program_goals[1].ticks[1].day", "a tick on 2026-03-11 already appears"),
    ("goal without text", (lambda d: d["program_goals"][0].pop("text")),
     "program_goals[0].text", "is required"),
    ("section of the wrong type", (lambda d: d.update(chapter_reads={})),
     "chapter_reads", "is not of type 'array'"),
]  # fmt: skip


@pytest.mark.parametrize(("mangle", "where", "reason"), [b[1:] for b in BROKEN],
                         ids=[b[0] for b in BROKEN])  # fmt: skip
def test_a_damaged_section_is_refused_with_its_path_and_nothing_written(
    db, clock, make_profile, tmp_path, mangle, where, reason
):
    pid = planned_profile(db, clock, make_profile)
    assert_refused_unchanged(db, clock, pid, tmp_path, mangle, where, reason, TABLES)


def test_the_schema_knows_the_planner_setting_keys():
    values = SCHEMA["properties"]["planner_settings"]["properties"]["values"]
    assert set(values["properties"]) == set(progression_db.SETTING_KEYS)
    screen = values["properties"]["pem_screen"]["enum"]
    from pacekeeper.planner.safety import PemScreen

    assert screen == [x.value for x in PemScreen]
