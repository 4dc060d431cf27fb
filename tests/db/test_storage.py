"""Queries on both databases: profiles, trackers, check-ins, entries, samples, accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from pacekeeper.db import Database
from pacekeeper.db import accounts as accounts_db
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.checkins import SaveOutcome
from pacekeeper.db.tables import Activity, CheckIn, CheckInValue, Profile, Sample, Tracker
from pacekeeper.domain import (
    BUILTIN_TRACKERS,
    SampleKind,
    parse_activity,
    parse_checkin,
    parse_profile,
    parse_rest,
)
from pacekeeper.domain.trackers import parse_custom_tracker
from pacekeeper.errors import ValidationError

PLUS2 = timezone(timedelta(hours=2))
DAY = date(2026, 3, 15)


def checkin(db, pid, clock, **raw):
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        data = parse_checkin({"day": "2026-03-15", **raw}, profiles_db.trackers(p), DAY)
        return checkins_db.save_checkin(s, p, data, clock.now())[1]


def count(db: Database, table: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_profile_round_trip_and_builtin_trackers(db, clock):
    data = parse_profile({"name": "Ann", "conditions": ["me_cfs", "long_covid"], "birth_year": 1990,
                          "resting_hr": 58, "time_zone": "Europe/Oslo", "day_boundary": "05:30"},
                         DAY)  # fmt: skip
    with db.write() as s:
        pid = profiles_db.create_profile(s, data, clock.now()).id
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert profiles_db.profile_data(p) == data
        assert [t.key for t in profiles_db.trackers(p)] == [t.key for t in BUILTIN_TRACKERS]
        assert p.created_at == clock.now()
        assert profiles_db.find_profile(s, "Ann").id == pid
        assert profiles_db.find_profile(s, str(pid)).id == pid


def test_custom_trackers_toggle_and_order(db, clock, make_profile):
    pid = make_profile(db, clock)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        taken = {t.key for t in p.trackers}
        profiles_db.add_tracker(s, p, parse_custom_tracker({"label": "Headache"}, taken))
        with pytest.raises(ValidationError) as err:
            profiles_db.add_tracker(s, p, parse_custom_tracker({"label": "Headache"}, set()))
        assert err.value.errors[0].field == "label"
        profiles_db.set_tracker_enabled(s, p, "mood", False)
        profiles_db.move_tracker(s, p, "headache", -1)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        keys = [t.key for t in profiles_db.trackers(p, enabled_only=True)]
        assert "mood" not in keys
        assert keys[-2:] == ["headache", "crash"]


def test_checkin_create_duplicate_update_stale(db, clock, make_profile):
    pid = make_profile(db, clock)
    cid = "6f1c2a9e-0000-4000-8000-000000000001"
    t9 = "2026-03-15T09:00+01:00"
    assert (
        checkin(db, pid, clock, fatigue="5", client_id=cid, recorded_at=t9) is SaveOutcome.CREATED
    )
    assert (
        checkin(db, pid, clock, fatigue="5", client_id=cid, recorded_at=t9) is SaveOutcome.DUPLICATE
    )
    assert (
        checkin(db, pid, clock, fatigue="2", recorded_at="2026-03-15T11:00+01:00")
        is SaveOutcome.UPDATED
    )
    assert (
        checkin(db, pid, clock, fatigue="9", recorded_at="2026-03-15T07:00+01:00")
        is SaveOutcome.STALE
    )
    assert count(db, CheckIn) == 1
    assert count(db, CheckInValue) == 1
    with db.read() as s:
        got = checkins_db.get_checkin(s, profiles_db.get_profile(s, pid), DAY)
    assert got is not None and got.values == {"fatigue": 2.0}


def test_checkins_between_is_ordered_and_inclusive(db, clock, make_profile):
    pid = make_profile(db, clock)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        for d in (12, 10, 14, 11):
            data = parse_checkin(
                {"day": f"2026-03-{d}", "pain": str(d - 10)}, profiles_db.trackers(p), DAY
            )
            checkins_db.save_checkin(s, p, data, clock.now())
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        got = checkins_db.checkins_between(s, p, date(2026, 3, 11), date(2026, 3, 14))
        assert [c.day.day for c in got] == [11, 12, 14]
        last = checkins_db.latest_checkin_before(s, p, date(2026, 3, 14))
        assert last is not None and last.day == date(2026, 3, 12)


def test_activities_and_rests_keep_their_offset(db, clock, make_profile):
    pid = make_profile(db, clock)
    a = parse_activity({"what": "Walk", "started_at": "2026-03-15T08:30+02:00", "minutes": "20",
                        "physical": "2", "client_id": "6f1c2a9e-0000-4000-8000-00000000000a"})  # fmt: skip
    r = parse_rest({"kind": "nap", "started_at": "2026-03-15T13:00-05:00", "minutes": "45"})
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        assert entries_db.add_activity(s, p, a)[1] is True
        assert entries_db.add_activity(s, p, a)[1] is False  # resent: not doubled
        entries_db.add_rest(s, p, r)
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        span = (datetime(2026, 3, 15, tzinfo=UTC), datetime(2026, 3, 16, tzinfo=UTC))
        (row,) = entries_db.activities_between(s, p, *span)
        assert row.started_at == datetime(2026, 3, 15, 6, 30, tzinfo=UTC)
        assert entries_db.activity_data(row) == a
        assert entries_db.activity_data(row).started_at.utcoffset() == timedelta(hours=2)
        (rest,) = entries_db.rests_between(s, p, *span)
        assert entries_db.rest_data(rest).started_at.isoformat() == "2026-03-15T13:00:00-05:00"


def test_samples_are_idempotent_per_natural_key(db, clock, make_profile):
    pid = make_profile(db, clock)
    start = datetime(2026, 3, 15, 8, 0, tzinfo=PLUS2)
    rows = [samples_db.SampleData(SampleKind.HEART_RATE, start + timedelta(minutes=i), 60 + i, "Watch")
            for i in range(50)]  # fmt: skip
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        assert samples_db.add_samples(s, p, rows) == 50
        assert samples_db.add_samples(s, p, rows) == 0
        more = [
            *rows,
            samples_db.SampleData(SampleKind.HEART_RATE, start + timedelta(hours=2), 70, "Watch"),
        ]
        assert samples_db.add_samples(s, p, more) == 1
        # The same minute from another device is a different reading.
        assert (
            samples_db.add_samples(
                s, p, [samples_db.SampleData(SampleKind.HEART_RATE, start, 61, "Phone")]
            )
            == 1
        )
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        got = samples_db.samples_between(
            s, p, SampleKind.HEART_RATE, start, start + timedelta(minutes=1)
        )
        assert [(x.source, x.value, x.unit) for x in got] == [
            ("Phone", 61, "bpm"),
            ("Watch", 60, "bpm"),
        ]
        assert got[0].utc_offset_minutes == 120
        assert samples_db.count_samples(s, p) == 52


def test_deleting_a_profile_deletes_everything_it_owns(db, clock, make_profile):
    pid = make_profile(db, clock)
    keep = make_profile(db, clock, name="Other")
    checkin(db, pid, clock, fatigue="3")
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        entries_db.add_activity(
            s,
            p,
            parse_activity({"what": "Walk", "started_at": "2026-03-15T08:30+01:00", "minutes": 5}),
        )
        samples_db.add_samples(
            s, p, [samples_db.SampleData(SampleKind.STEPS, clock.now(), 100, "Watch")]
        )
        profiles_db.delete_profile(s, pid)
    for table in (CheckIn, CheckInValue, Activity, Sample):
        assert count(db, table) == 0
    assert count(db, Profile) == 1
    assert count(db, Tracker) == len(BUILTIN_TRACKERS)  # only the other profile's
    with db.read() as s:
        assert profiles_db.get_profile(s, keep).name == "Other"


def test_a_failed_transaction_leaves_nothing_behind(db, clock, make_profile):
    pid = make_profile(db, clock)

    def write_then_fail() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            data = parse_checkin(
                {"day": "2026-03-15", "fatigue": "4"}, profiles_db.trackers(p), DAY
            )
            checkins_db.save_checkin(s, p, data, clock.now())
            samples_db.add_samples(
                s, p, [samples_db.SampleData(SampleKind.STEPS, clock.now(), 1, "W")]
            )
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert count(db, CheckIn) == 0
    assert count(db, Sample) == 0


def test_naive_datetimes_are_refused(db, clock, make_profile):
    pid = make_profile(db, clock)

    def store_naive() -> None:
        with db.write() as s:
            profiles_db.get_profile(s, pid).updated_at = datetime(2026, 3, 15, 10, 0)  # noqa: DTZ001

    with pytest.raises(Exception, match="naive datetime"):
        store_naive()
    with db.read() as s:
        assert profiles_db.get_profile(s, pid).updated_at == clock.now()


def test_accounts_and_sessions(db, clock):
    now = clock.now()
    with pytest.raises(ValidationError) as err:
        accounts_db.check_new_account("ann", "short")
    assert err.value.errors[0].field == "passphrase"
    with db.write() as s:
        accounts_db.create_account(s, "ann", "a long enough phrase", now)
    with db.write() as s, pytest.raises(ValidationError) as err:
        accounts_db.create_account(s, "ann", "another long phrase", now)
    assert err.value.by_field() == {"username": "'ann' is taken"}
    with db.write() as s:
        assert accounts_db.authenticate(s, "ann", "wrong phrase here") is None
        assert accounts_db.authenticate(s, "bob", "a long enough phrase") is None
        account = accounts_db.authenticate(s, "ann", "a long enough phrase")
        assert account is not None
        token = accounts_db.start_session(s, account, now)
    with db.read() as s:
        assert accounts_db.session_account(s, token, now + timedelta(days=29)) is not None
        assert accounts_db.session_account(s, token, now + timedelta(days=31)) is None
        assert accounts_db.session_account(s, "forged", now) is None
    with db.write() as s:
        accounts_db.set_passphrase(s, "ann", "a brand new phrase")
    with db.read() as s:
        assert accounts_db.session_account(s, token, now) is None  # signed out everywhere
