"""Daily check-ins: one per local day, resends are not doubled, a later answer wins."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.checkins import SaveOutcome, StoredCheckIn
from pacekeeper.db.tables import CheckIn, CheckInValue
from pacekeeper.domain import parse_checkin

TODAY = date(2026, 3, 15)
CID_1 = "6f1c2a9e-0000-4000-8000-000000000001"
CID_2 = "6f1c2a9e-0000-4000-8000-000000000002"


def save(db: Database, pid: int, clock: FixedClock, **raw: Any) -> SaveOutcome:
    raw.setdefault("day", "2026-03-15")
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        data = parse_checkin(raw, profiles_db.trackers(p), TODAY)
        return checkins_db.save_checkin(s, p, data, clock.now())[1]


def stored(db: Database, pid: int, day: date = TODAY) -> StoredCheckIn | None:
    with db.read() as s:
        return checkins_db.get_checkin(s, profiles_db.get_profile(s, pid), day)


def test_create_stores_values_note_and_the_device_offset(db, pid, clock, rows) -> None:
    outcome = save(
        db,
        pid,
        clock,
        fatigue="6",
        crash="yes",
        sleep_quality="3",
        note="Rough night",
        recorded_at="2026-03-15T09:00+01:00",
        client_id=CID_1,
    )
    assert outcome is SaveOutcome.CREATED
    got = stored(db, pid)
    assert got is not None
    assert got.values == {"fatigue": 6.0, "crash": 1.0, "sleep_quality": 3.0}
    assert got.note == "Rough night"
    assert got.recorded_at == datetime(2026, 3, 15, 8, 0, tzinfo=UTC)
    assert got.recorded_at.tzinfo is UTC
    assert got.utc_offset_minutes == 60
    assert (got.client_id, got.source) == (CID_1, "web")
    assert (rows(CheckIn), rows(CheckInValue)) == (1, 3)


def test_recorded_at_defaults_to_now(db, pid, clock) -> None:
    assert save(db, pid, clock, pain="2") is SaveOutcome.CREATED
    got = stored(db, pid)
    assert got is not None
    assert (got.recorded_at, got.utc_offset_minutes, got.client_id) == (clock.now(), 0, None)


def test_the_same_submission_twice_is_stored_once(db, pid, clock, rows) -> None:
    first = {"fatigue": "5", "client_id": CID_1, "recorded_at": "2026-03-15T09:00+01:00"}
    assert save(db, pid, clock, **first) is SaveOutcome.CREATED
    assert save(db, pid, clock, **first) is SaveOutcome.DUPLICATE
    # Even if the resend somehow differs, a client_id already stored is never applied twice.
    assert save(db, pid, clock, **{**first, "fatigue": "9"}) is SaveOutcome.DUPLICATE
    assert (rows(CheckIn), rows(CheckInValue)) == (1, 1)
    got = stored(db, pid)
    assert got is not None and got.values == {"fatigue": 5.0}


def test_a_newer_answer_for_the_same_day_replaces_the_stored_one(db, pid, clock, rows) -> None:
    save(
        db,
        pid,
        clock,
        fatigue="5",
        pain="4",
        note="morning",
        client_id=CID_1,
        recorded_at="2026-03-15T09:00+01:00",
    )
    outcome = save(
        db,
        pid,
        clock,
        fatigue="2",
        note="evening",
        client_id=CID_2,
        recorded_at="2026-03-15T20:00+01:00",
    )
    assert outcome is SaveOutcome.UPDATED
    assert (rows(CheckIn), rows(CheckInValue)) == (1, 1)
    got = stored(db, pid)
    assert got is not None
    assert got.values == {"fatigue": 2.0}  # pain was left out this time: it is gone
    assert (got.note, got.client_id) == ("evening", CID_2)
    assert got.recorded_at == datetime(2026, 3, 15, 19, 0, tzinfo=UTC)


def test_an_older_answer_arriving_late_is_stale_and_changes_nothing(db, pid, clock, rows) -> None:
    save(
        db,
        pid,
        clock,
        fatigue="2",
        note="evening",
        client_id=CID_2,
        recorded_at="2026-03-15T20:00+01:00",
    )
    # The phone was offline all day; its morning answer arrives after the evening one.
    outcome = save(
        db,
        pid,
        clock,
        fatigue="9",
        brain_fog="7",
        note="morning",
        client_id=CID_1,
        recorded_at="2026-03-15T09:00+01:00",
    )
    assert outcome is SaveOutcome.STALE
    assert (rows(CheckIn), rows(CheckInValue)) == (1, 1)
    got = stored(db, pid)
    assert got is not None
    assert (got.values, got.note, got.client_id) == ({"fatigue": 2.0}, "evening", CID_2)


def test_client_ids_are_per_profile(db, clock, make_profile, rows) -> None:
    ann, bob = make_profile(db, clock, name="Ann"), make_profile(db, clock, name="Bob")
    assert save(db, ann, clock, fatigue="1", client_id=CID_1) is SaveOutcome.CREATED
    assert save(db, bob, clock, fatigue="8", client_id=CID_1) is SaveOutcome.CREATED
    assert rows(CheckIn) == 2
    a, b = stored(db, ann), stored(db, bob)
    assert a is not None and b is not None
    assert (a.values, b.values) == ({"fatigue": 1.0}, {"fatigue": 8.0})


def test_checkins_between_is_inclusive_and_oldest_first(db, pid, clock) -> None:
    for d in (12, 10, 14, 11, 15):
        assert save(db, pid, clock, day=f"2026-03-{d}", pain=str(d - 10)) is SaveOutcome.CREATED
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        got = checkins_db.checkins_between(s, p, date(2026, 3, 11), date(2026, 3, 14))
        assert [(c.day.day, c.values["pain"]) for c in got] == [(11, 1.0), (12, 2.0), (14, 4.0)]
        assert checkins_db.checkins_between(s, p, date(2026, 3, 1), date(2026, 3, 9)) == []
        last = checkins_db.latest_checkin_before(s, p, date(2026, 3, 14))
        assert last is not None and last.day == date(2026, 3, 12)
        assert checkins_db.latest_checkin_before(s, p, date(2026, 3, 10)) is None


def test_checkins_of_another_profile_are_not_mixed_in(db, clock, make_profile) -> None:
    ann, bob = make_profile(db, clock, name="Ann"), make_profile(db, clock, name="Bob")
    save(db, ann, clock, day="2026-03-14", fatigue="1")
    save(db, bob, clock, day="2026-03-15", fatigue="8")
    with db.read() as s:
        p = profiles_db.get_profile(s, ann)
        got = checkins_db.checkins_between(s, p, date(2026, 3, 1), TODAY)
        assert [c.day for c in got] == [date(2026, 3, 14)]
        assert checkins_db.get_checkin(s, p, TODAY) is None


def test_delete_a_checkin(db, pid, clock, rows) -> None:
    save(db, pid, clock, fatigue="3", pain="3")
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        assert checkins_db.delete_checkin(s, p, TODAY) is True
        assert checkins_db.delete_checkin(s, p, TODAY) is False
    assert (rows(CheckIn), rows(CheckInValue)) == (0, 0)


def test_imported_answers_never_overwrite_what_was_entered(db, pid, clock) -> None:
    save(db, pid, clock, fatigue="3", note="entered by hand")

    def merge(values: dict[str, float], note: str) -> checkins_db.MergeResult:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            return checkins_db.merge_answers(s, p, TODAY, values, note, "visible", clock.now())

    first = merge({"fatigue": 7.0, "pain": 2.0}, "from Visible")
    assert (first.added, first.same, first.kept) == (1, 0, 1)
    again = merge({"fatigue": 7.0, "pain": 2.0}, "from Visible")
    assert (again.added, again.same, again.kept) == (0, 1, 1)
    got = stored(db, pid)
    assert got is not None
    assert got.values == {"fatigue": 3.0, "pain": 2.0}
    assert got.note == "entered by hand\nfrom Visible"


def test_merge_into_an_empty_day_creates_the_checkin(db, pid, clock) -> None:
    when = date(2026, 3, 13)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        result = checkins_db.merge_answers(s, p, when, {"crash": 1.0}, "", "csv", clock.now())
    assert (result.added, result.same, result.kept) == (1, 0, 0)
    got = stored(db, pid, when)
    assert got is not None and (got.values, got.source) == ({"crash": 1.0}, "csv")
