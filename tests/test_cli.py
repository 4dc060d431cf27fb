"""The command line, run in-process with click's runner against both databases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacekeeper.cli import main
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db

NOW = "2026-03-15T10:00:00+00:00"


@pytest.fixture
def run(tmp_path: Path, database_url: str, db: Database):
    env = {
        "PACEKEEPER_HOME": str(tmp_path / "home"),
        "PACEKEEPER_DATABASE_URL": database_url,
        "PACEKEEPER_SECRET_KEY": "s" * 40,
        "PACEKEEPER_NOW": NOW,
    }
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)

    invoke("profile", "create", "--name", "Ann", "--conditions", "me_cfs",
           "--time-zone", "Europe/Oslo")  # fmt: skip
    return invoke


def counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        p = profiles_db.find_profile(s, "Ann")
        n_checkins = len(checkins_db.checkins_between(s, p, date(2000, 1, 1), date(2100, 1, 1)))
        span = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
        return n_checkins, len(entries_db.activities_between(s, p, *span))


@pytest.mark.parametrize(
    "command",
    [[], ["serve"], ["checkin"], ["log"], ["log", "activity"], ["log", "rest"], ["export"],
     ["import-json"], ["demo"], ["profile", "create"], ["account", "create"], ["db", "upgrade"]],
)  # fmt: skip
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_checkin_is_stored_for_the_local_day(run, db):
    result = run("checkin", "--fatigue", "6", "--brain-fog", "4", "--crash", "--note", "busy day")
    assert result.exit_code == 0, result.output
    assert "Check-in for 2026-03-15 created (3 answers)" in result.output
    with db.read() as s:
        p = profiles_db.find_profile(s, "Ann")
        got = checkins_db.get_checkin(s, p, date(2026, 3, 15))
    assert got is not None
    assert got.values == {"fatigue": 6.0, "brain_fog": 4.0, "crash": 1.0}
    assert got.source == "cli" and got.note == "busy day"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "--fatigue", "14"], "error: fatigue: must be from 0 to 10; 14 is out of range"),
        (["checkin", "--pain", "lots"], "error: pain: must be a whole number from 0 to 10"),
        (["checkin", "--day", "2026-13-01", "--pain", "2"], "error: day: must be a date like"),
        (["checkin", "--set", "energy=3"], "error: energy: is not one of this profile's trackers"),
        (["checkin", "--set", "oops"], "error: --set: 'oops' is not KEY=VALUE"),
        (["log", "activity", "Walk", "--minutes", "0"], "error: minutes: must be from 1 to 1440"),
        (["log", "activity", "Walk", "--minutes", "5", "--physical", "4"], "error: physical:"),
        (["log", "activity", "Walk", "--minutes", "5", "--start", "9h"], "error: --start: must be a time"),
        (["log", "rest", "sofa", "--minutes", "5"], "error: kind: must be one of lying_rest"),
        (["checkin", "--profile", "Bob", "--pain", "2"], "error: no profile called 'Bob'"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(run, db, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert counts(db) == (0, 0)


def test_log_activity_and_rest(run, db):
    assert run("log", "activity", "Shower", "--minutes", "15", "--physical", "2",
               "--start", "09:30").exit_code == 0  # fmt: skip
    result = run("log", "rest", "nap", "--minutes", "30", "--start", "2026-03-15T08:00+01:00")
    assert result.exit_code == 0, result.output
    assert counts(db) == (0, 1)


def test_export_then_import_json_round_trip(run, tmp_path):
    run("checkin", "--fatigue", "5", "--note", "ok")
    run("log", "activity", "Cooking", "--minutes", "20", "--physical", "1", "--start", "09:00")
    out = tmp_path / "backup.json"
    assert run("export", "-o", str(out)).exit_code == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    assert first["profile"]["name"] == "Ann"

    dup = run("import-json", str(out))
    assert dup.exit_code == 2 and "Ann" in dup.output  # the name is taken: refused, not merged
    assert run("import-json", str(out), "--name", "Ann copy").exit_code == 0
    again = tmp_path / "again.json"
    assert run("export", "--profile", "Ann copy", "-o", str(again)).exit_code == 0
    second = json.loads(again.read_text(encoding="utf-8"))
    for doc in (first, second):
        doc["profile"].pop("name")
        doc.pop("exported_at")
    assert first == second


def test_import_json_reports_where_a_file_is_broken(run, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "pacekeeper-export",\n "schema_version": 1,\n oops}', encoding="utf-8"
    )
    result = run("import-json", str(bad))
    assert result.exit_code == 2
    assert "bad.json" in result.output and "line 3" in result.output


def test_serving_beyond_this_computer_needs_an_account(run):
    result = run("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "Create an account first" in result.output
    made = run("account", "create", "ann", "--passphrase-stdin", stdin="short\n")
    assert made.exit_code == 2 and "passphrase: must be at least 12 characters" in made.output
    made = run("account", "create", "ann", "--passphrase-stdin", stdin="a long passphrase here\n")
    assert made.exit_code == 0, made.output


def test_import_reports_and_refuses_what_it_cannot_read(run, tmp_path):
    good = tmp_path / "daily.csv"
    good.write_text("date,fatigue,pain\n2026-03-10,5,2\n2026-03-11,7,x\n", encoding="utf-8")
    result = run("import", str(good))
    assert result.exit_code == 0, result.output
    assert "answers: 3 added" in result.output
    assert "line 3: pain: must be a whole number" in result.output
    again = run("import", str(good))
    assert "answers: 0 added, 3 already there" in again.output
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a csv")
    refused = run("import", str(junk))
    assert refused.exit_code == 2
    assert "photo.jpg: is not a format Pacekeeper reads" in refused.output
