"""The treatments section of a backup: exact round trip on both databases (a dose change's two
rows included), old backups without it still restore, and a damaged row is refused with its
path and nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from pacekeeper.backup import restore_profile
from pacekeeper.backup.restore import SCHEMA
from pacekeeper.backup.treatments import SECTIONS
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import treatments as t_db
from pacekeeper.db.tables import Profile, Treatment
from tests.backup.test_backup import (
    assert_refused_unchanged,
    counts,
    export_text,
    rich_profile,
    without_name_and_time,
)

VALIDATOR = Draft202012Validator(SCHEMA)
TODAY = date(2026, 3, 15)
TABLES = (Treatment, Profile)


def treated_profile(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    pid = rich_profile(db, clock, make_profile)
    at = datetime(2026, 1, 10, 8, 30, 15, 250000, tzinfo=UTC)
    with db.write() as s:
        ldn = t_db.add(s, pid, t_db.TreatmentInput("Low-dose naltrexone", "medicine", "1.5 mg",
                       date(2026, 1, 10), notes="at night · ½ tablet"), TODAY, at)  # fmt: skip
        t_db.change_dose(s, pid, ldn.id, "3 mg", date(2026, 2, 1), clock.now())
        t_db.add(s, pid, t_db.TreatmentInput("Pacing course", "therapy", None, date(2025, 11, 3),
                 date(2025, 12, 15)), TODAY, clock.now())  # fmt: skip
        t_db.add(s, pid, t_db.TreatmentInput("Magnesium", "supplement", "300 mg",
                 date(2026, 1, 10)), TODAY, clock.now())  # fmt: skip
    return pid


def test_treatments_round_trip_exactly(db, clock, make_profile, tmp_path: Path) -> None:
    pid = treated_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    doc = json.loads(text)
    VALIDATOR.validate(doc)
    assert list(doc)[-1] == "treatments"
    got = doc["treatments"]
    assert [(t["name"], t["started_on"], t["stopped_on"], t["dose"]) for t in got] == [
        ("Pacing course", "2025-11-03", "2025-12-15", None),
        ("Low-dose naltrexone", "2026-01-10", "2026-01-31", "1.5 mg"),
        ("Magnesium", "2026-01-10", None, "300 mg"),
        ("Low-dose naltrexone", "2026-02-01", None, "3 mg"),
    ]
    assert got[1]["created_at"] == "2026-01-10T08:30:15.250000+00:00"
    assert got[1]["notes"] == "at night · ½ tablet" and got[1]["kind"] == "medicine"

    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")
    before = counts(db, TABLES)
    copy = restore_profile(db, path, clock=clock, name="Åsa (copy)")
    assert without_name_and_time(export_text(db, copy.profile_id, clock)) == (
        without_name_and_time(text)
    )
    after = counts(db, TABLES)
    assert {k: after[k] - before[k] for k in after} == {"Treatment": 4, "Profile": 1}
    with db.read() as s:
        mine = t_db.changes(t_db.list_for(s, copy.profile_id))
        theirs = t_db.changes(t_db.list_for(s, pid))
    assert [(c.day, c.what, c.words) for c in mine] == [(c.day, c.what, c.words) for c in theirs]
    assert ("dose", "Low-dose naltrexone dose changed to 3 mg") in [(c.what, c.words) for c in mine]

    replaced = restore_profile(db, path, clock=clock, replace=True)
    assert without_name_and_time(export_text(db, replaced.profile_id, clock)) == (
        without_name_and_time(text)
    )
    assert counts(db, TABLES) == after


def test_an_old_backup_without_treatments_restores(db, clock, make_profile, tmp_path) -> None:
    pid = rich_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    old = json.loads(text)
    assert old["treatments"] == []
    del old["treatments"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    summary = restore_profile(db, path, clock=clock, name="Old")
    assert counts(db, TABLES)["Treatment"] == 0
    assert without_name_and_time(export_text(db, summary.profile_id, clock)) == (
        without_name_and_time(text)
    )


def test_a_hand_written_row_without_created_at_gets_the_restore_time(db, clock, make_profile,
                                                                     tmp_path) -> None:  # fmt: skip
    doc = json.loads(export_text(db, rich_profile(db, clock, make_profile), clock))
    doc["treatments"] = [{"name": "CBT", "kind": "therapy", "started_on": "2026-03-01"}]
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    copy = restore_profile(db, path, clock=clock, name="Hand")
    with db.read() as s:
        (row,) = s.scalars(select(Treatment).where(Treatment.profile_id == copy.profile_id))
        assert (row.name, row.dose, row.stopped_on, row.created_at) == (
            "CBT", None, None, clock.now(),
        )  # fmt: skip


def _row(d: dict[str, Any], i: int) -> dict[str, Any]:
    found: dict[str, Any] = d["treatments"][i]
    return found


BROKEN: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    ("stop before start", lambda d: _row(d, 0).update(stopped_on="2025-11-01"),
     "treatments[0].stopped_on", "cannot be before the start day"),
    ("unknown kind", lambda d: _row(d, 1).update(kind="potion"),
     "treatments[1].kind", "must be one of medicine, supplement, therapy"),
    ("blank name", lambda d: _row(d, 2).update(name="   "),
     "treatments[2].name", "give it a name"),
    ("empty name", lambda d: _row(d, 2).update(name=""),
     "treatments[2].name", "should be non-empty"),
    ("dose too long", lambda d: _row(d, 2).update(dose="d" * 121),
     "treatments[2].dose", "is too long"),
    ("not a real day", lambda d: _row(d, 3).update(started_on="2026-02-30"),
     "treatments[3].started_on", "must be a date like 2026-03-29"),
    ("no start", lambda d: _row(d, 3).pop("started_on"),
     "treatments[3].started_on", "is required"),
    ("time without offset", lambda d: _row(d, 3).update(created_at="2026-02-01T10:00:00"),
     "treatments[3].created_at", "must be a date-time with its UTC offset"),
    ("unknown field", lambda d: _row(d, 3).update(strength="high"),
     "treatments[3].strength", "is not a field schema version 1 has"),
    ("section of the wrong type", lambda d: d.update(treatments={}),
     "treatments", "is not of type 'array'"),
]  # fmt: skip


@pytest.mark.parametrize(("mangle", "where", "reason"), [b[1:] for b in BROKEN],
                         ids=[b[0] for b in BROKEN])  # fmt: skip
def test_a_damaged_row_is_refused_with_its_path_and_nothing_written(
    db, clock, make_profile, tmp_path, mangle, where, reason
) -> None:
    pid = treated_profile(db, clock, make_profile)
    assert_refused_unchanged(db, clock, pid, tmp_path, mangle, where, reason, TABLES)


def test_the_section_is_optional_and_documented() -> None:
    assert "treatments" not in SCHEMA["required"]
    docs = (Path(__file__).parents[2] / "docs" / "export-schema.md").read_text(encoding="utf-8")
    fields = set(SECTIONS) | set(SCHEMA["properties"]["treatments"]["items"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in docs)
    assert not missing, f"docs/export-schema.md does not explain {missing}"
