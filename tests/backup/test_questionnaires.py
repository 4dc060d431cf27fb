"""The questionnaires' sections of a backup: exact round trip on both databases, old backups
without them still restore, and a damaged section (scores edited by hand included) is refused
with its path and nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from pacekeeper.backup import restore_profile
from pacekeeper.backup.planner_program import SECTIONS as PLAN_SECTIONS
from pacekeeper.backup.questionnaires import SECTIONS, same_score
from pacekeeper.backup.restore import SCHEMA
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import questionnaires as q_db
from pacekeeper.db.tables import Profile, QuestionnaireResponse, QuestionnaireSchedule
from pacekeeper.questionnaires import INSTRUMENTS
from tests.backup.test_backup import (
    assert_refused_unchanged,
    counts,
    export_text,
    rich_profile,
    without_name_and_time,
)

VALIDATOR = Draft202012Validator(SCHEMA)
TABLES = (QuestionnaireResponse, QuestionnaireSchedule, Profile)
OSLO, NEW_YORK = timezone(timedelta(hours=1)), timezone(timedelta(hours=-4))


def answers_for(key: str, pick: Callable[[int, int], int]) -> dict[str, int]:
    """An answer to every item: the option `pick(item number, option count)` of each."""
    items = INSTRUMENTS[key].items
    return {it.key: it.options[pick(n, len(it.options))].value for n, it in enumerate(items)}


def surveyed_profile(db: Database, clock: FixedClock, make_profile: Callable[..., int]) -> int:
    """The rich profile plus responses to every questionnaire, and three reminders."""
    pid = rich_profile(db, clock, make_profile)
    rand36 = answers_for("rand-36", lambda n, k: (n * 3) % k)
    for gone in ("q1", "q2", "q20", "q32"):  # optional items left out; social functioning unscored
        del rand36[gone]
    taken: list[tuple[str, dict[str, int], datetime]] = [
        ("fss", answers_for("fss", lambda n, k: (n + 3) % k), datetime(2026, 2, 1, 9, 30, tzinfo=OSLO)),
        ("dsq-pem", answers_for("dsq-pem", lambda n, k: n % k), datetime(2026, 2, 1, 9, 30, tzinfo=OSLO)),
        ("rand-36", rand36, datetime(2026, 2, 10, 23, 45, 12, 500000, tzinfo=NEW_YORK)),
        ("acr-2016", answers_for("acr-2016", lambda n, k: n % k), datetime(2026, 2, 20, 12, 0, tzinfo=UTC)),
        ("iom-2015", answers_for("iom-2015", lambda n, k: 1), datetime(2026, 3, 1, 8, 0, tzinfo=OSLO)),
        ("fss", answers_for("fss", lambda n, k: n % 2), datetime(2026, 3, 1, 8, 0, tzinfo=OSLO)),
    ]  # fmt: skip
    with db.write() as s:
        # Saved out of time order, as the web form does it: the score from the instrument's rule.
        for key, answers, at in reversed(taken):
            scores = INSTRUMENTS[key].score(answers).scores
            offset = at.utcoffset()
            assert offset is not None
            q_db.save_response(s, pid, key, answers, scores, at.astimezone(UTC),
                               int(offset.total_seconds() // 60))  # fmt: skip
        q_db.set_schedule(s, pid, "fss", 28)
        q_db.set_schedule(s, pid, "rand-36", 90)
        q_db.set_schedule(s, pid, "dsq-pem", 730)
    return pid


def test_questionnaires_round_trip_exactly(db, clock, make_profile, tmp_path: Path):
    pid = surveyed_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    doc = json.loads(text)
    VALIDATOR.validate(doc)
    keys = list(doc)
    assert keys[keys.index("samples") :][:7] == ["samples", *PLAN_SECTIONS, *SECTIONS]
    responses = doc["questionnaire_responses"]
    # Oldest first; the two taken at the same moment in the order they were saved.
    assert [(r["instrument"], r["taken_at"]) for r in responses] == [
        ("dsq-pem", "2026-02-01T09:30:00+01:00"),
        ("fss", "2026-02-01T09:30:00+01:00"),
        ("rand-36", "2026-02-10T23:45:12.500000-04:00"),
        ("acr-2016", "2026-02-20T12:00:00+00:00"),
        ("fss", "2026-03-01T08:00:00+01:00"),
        ("iom-2015", "2026-03-01T08:00:00+01:00"),
    ]
    assert list(responses[2]["answers"])[:3] == ["q3", "q4", "q5"]  # item order, q1 and q2 absent
    assert responses[2]["scores"]["social_functioning"] is None
    assert responses[4] == {
        "instrument": "fss", "taken_at": "2026-03-01T08:00:00+01:00",
        "answers": {f"q{n}": 1 + (n - 1) % 2 for n in range(1, 10)},
        "scores": {"mean": 1.44, "significant_fatigue": False, "total": 13},
    }  # fmt: skip
    assert doc["questionnaire_schedules"] == [
        {"instrument": "dsq-pem", "every_days": 730},
        {"instrument": "fss", "every_days": 28},
        {"instrument": "rand-36", "every_days": 90},
    ]

    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")
    before = counts(db, TABLES)
    copy = restore_profile(db, path, clock=clock, name="Åsa (copy)")
    again = export_text(db, copy.profile_id, clock)
    assert without_name_and_time(again) == without_name_and_time(text)
    after = counts(db, TABLES)
    assert {k: after[k] - before[k] for k in after} == {
        "QuestionnaireResponse": 6, "QuestionnaireSchedule": 3, "Profile": 1,
    }  # fmt: skip
    # The app's own queries read the restored rows as they read the original ones.
    today = date(2026, 3, 15)
    with db.read() as s:
        assert q_db.due(s, copy.profile_id, today) == q_db.due(s, pid, today)
        mine = q_db.responses(s, copy.profile_id, "rand-36")
        assert mine[0].day == date(2026, 2, 10)  # the local day in New York, kept by its offset
        assert mine[0].taken_at == datetime(2026, 2, 11, 3, 45, 12, 500000, tzinfo=UTC)

    # In place of the original, and a third export still reads the same.
    replaced = restore_profile(db, path, clock=clock, replace=True)
    third = export_text(db, replaced.profile_id, clock)
    assert without_name_and_time(third) == without_name_and_time(text)
    assert counts(db, TABLES) == after


def test_a_profile_without_questionnaires_writes_empty_sections(db, clock, make_profile):
    pid = make_profile(db, clock, name="New")
    doc = json.loads(export_text(db, pid, clock))
    assert [doc[k] for k in SECTIONS] == [[], []]


def test_an_old_backup_without_the_new_sections_still_restores(db, clock, make_profile, tmp_path):
    pid = rich_profile(db, clock, make_profile)
    text = export_text(db, pid, clock)
    old = json.loads(text)
    for key in (*PLAN_SECTIONS, *SECTIONS):  # a file from before the planner and questionnaires
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


def _response(d: dict[str, Any], i: int) -> dict[str, Any]:
    found: dict[str, Any] = d["questionnaire_responses"][i]
    return found


# Each edits the exported document in place (what a lambda returns is ignored). Response 4 is the
# second FSS (total 13, mean 1.44); 2 is the RAND-36; schedules are dsq-pem, fss, rand-36.
BROKEN: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    ("score edited", lambda d: _response(d, 4)["scores"].update(mean=4.5),
     "questionnaire_responses[4].scores.mean", "is 4.5, but the answers score 1.44"),
    ("flag turned on", lambda d: _response(d, 4)["scores"].update(significant_fatigue=True),
     "questionnaire_responses[4].scores.significant_fatigue", "is True, but the answers score False"),
    ("yes/no written as a number", lambda d: _response(d, 4)["scores"].update(significant_fatigue=0),
     "questionnaire_responses[4].scores.significant_fatigue", "is 0, but the answers score False"),
    ("answer edited, scores kept", lambda d: _response(d, 4)["answers"].update(q1=7),
     "questionnaire_responses[4].scores.mean", "but the answers score 2.11"),
    ("unscored scale given a score", (lambda d: _response(d, 2)["scores"]
                                      .update(social_functioning=50)),
     "questionnaire_responses[2].scores.social_functioning", "is 50, but the answers score None"),
    ("a score the questionnaire does not give", lambda d: _response(d, 4)["scores"].update(bonus=1),
     "questionnaire_responses[4].scores.bonus", "is not a score this questionnaire gives"),
    ("a score left out", lambda d: _response(d, 4)["scores"].pop("total"),
     "questionnaire_responses[4].scores.total", "is missing; the answers score 13"),
    ("answer out of range", lambda d: _response(d, 0)["answers"].update(s3=9),
     "questionnaire_responses[0].answers.s3", "9 is not one of 0, 1, 2, 3, 4"),
    ("required answer left out", lambda d: _response(d, 1)["answers"].pop("q4"),
     "questionnaire_responses[1].answers.q4", "not answered"),
    ("unknown item", lambda d: _response(d, 1)["answers"].update(q10=3),
     "questionnaire_responses[1].answers.q10", "has no item 'q10'"),
    ("answer not a whole number", lambda d: _response(d, 1)["answers"].update(q2="5"),
     "questionnaire_responses[1].answers.q2", "is not of type 'integer'"),
    ("unknown questionnaire", lambda d: _response(d, 3).update(instrument="funcap"),
     "questionnaire_responses[3].instrument", "must be one of dsq-pem, fss"),
    ("time without offset", lambda d: _response(d, 3).update(taken_at="2026-02-20T12:00:00"),
     "questionnaire_responses[3].taken_at", "with its UTC offset"),
    ("not a real time", lambda d: _response(d, 3).update(taken_at="2026-02-30T12:00:00+00:00"),
     "questionnaire_responses[3].taken_at", "is not a real date-time"),
    ("response without scores", lambda d: _response(d, 5).pop("scores"),
     "questionnaire_responses[5].scores", "is required"),
    ("unknown response field", lambda d: _response(d, 5).update(meaning="fine"),
     "questionnaire_responses[5].meaning", "is not a field schema version 1 has"),
    ("scheduled twice", (lambda d: d["questionnaire_schedules"][2].update(instrument="fss")),
     "questionnaire_schedules[2].instrument", "already appears at questionnaire_schedules[1]"),
    ("every 0 days", lambda d: d["questionnaire_schedules"][0].update(every_days=0),
     "questionnaire_schedules[0].every_days", "less than the minimum of 1"),
    ("every 731 days", lambda d: d["questionnaire_schedules"][0].update(every_days=731),
     "questionnaire_schedules[0].every_days", "greater than the maximum of 730"),
    ("section of the wrong type", lambda d: d.update(questionnaire_schedules={}),
     "questionnaire_schedules", "is not of type 'array'"),
]  # fmt: skip


@pytest.mark.parametrize(("mangle", "where", "reason"), [b[1:] for b in BROKEN],
                         ids=[b[0] for b in BROKEN])  # fmt: skip
def test_a_damaged_section_is_refused_with_its_path_and_nothing_written(
    db, clock, make_profile, tmp_path, mangle, where, reason
):
    pid = surveyed_profile(db, clock, make_profile)
    assert_refused_unchanged(db, clock, pid, tmp_path, mangle, where, reason, TABLES)


def test_the_schema_knows_every_questionnaire():
    props = SCHEMA["properties"]
    for section in SECTIONS:
        assert section not in SCHEMA["required"]  # optional: older backups have none
        instrument = props[section]["items"]["properties"]["instrument"]
        assert instrument["enum"] == list(INSTRUMENTS)


def test_the_docs_explain_the_questionnaire_fields():
    docs = (Path(__file__).parents[2] / "docs" / "export-schema.md").read_text(encoding="utf-8")
    props = SCHEMA["properties"]
    fields = set(SECTIONS)
    for section in SECTIONS:
        fields |= set(props[section]["items"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in docs)
    assert not missing, f"docs/export-schema.md does not explain {missing}"
    for key in INSTRUMENTS:
        assert f"`{key}`" in docs


@pytest.mark.parametrize(
    ("written", "scored", "same"),
    [(50, 50.0, True), (1.44, 1.44, True), (True, True, True), (1, True, False),
     (False, 0, False), (None, None, True), (None, 0, False), ("a", "a", True), ("1", 1, False)],
)  # fmt: skip
def test_scores_compare_as_json_values(written, scored, same):
    assert same_score(written, scored) is same
