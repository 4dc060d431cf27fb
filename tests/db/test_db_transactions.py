"""One write block is one transaction; times are stored as UTC and never guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, StatementError

from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Activity, CheckIn, CheckInValue, Profile, SamplePart, Tracker
from pacekeeper.domain import (
    BUILTIN_TRACKERS,
    SampleKind,
    parse_activity,
    parse_checkin,
    parse_profile,
)

TODAY = date(2026, 3, 15)


class PowerCut(Exception):
    pass


def test_an_exception_in_a_write_block_leaves_nothing_written(db: Database, clock, rows) -> None:
    def write_then_fail() -> None:
        with db.write() as s:
            p = profiles_db.create_profile(s, parse_profile({"name": "Ann"}, TODAY), clock.now())
            raw = {"day": "2026-03-15", "fatigue": "4"}
            checkins_db.save_checkin(
                s, p, parse_checkin(raw, profiles_db.trackers(p), TODAY), clock.now()
            )
            walk = {"what": "Walk", "started_at": "2026-03-15T09:00+01:00", "minutes": "10"}
            entries_db.add_activity(s, p, parse_activity(walk))
            steps = samples_db.SampleData(SampleKind.STEPS, clock.now(), 1, "W")
            samples_db.add_samples(s, p, [steps])
            s.flush()
            assert s.execute(text("SELECT count(*) FROM sample_parts")).scalar() == 1  # written
            raise PowerCut

    with pytest.raises(PowerCut):
        write_then_fail()
    for table in (Profile, Tracker, CheckIn, CheckInValue, Activity, SamplePart):
        assert rows(table) == 0, table.__tablename__


def test_a_failed_write_keeps_what_was_committed_before(db: Database, pid, clock) -> None:
    def change_then_fail() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            p.name = "Changed"
            profiles_db.set_tracker_enabled(s, p, "pain", False)
            profiles_db.delete_profile(s, pid)
            raise PowerCut

    with pytest.raises(PowerCut):
        change_then_fail()
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert p.name == "Test person"
        assert all(t.enabled for t in profiles_db.trackers(p))


def test_a_database_error_rolls_back_the_whole_block(db: Database, pid, clock, rows) -> None:
    def tracker(key: str) -> Tracker:
        return Tracker(profile_id=pid, key=key, label=key, kind="scale", min_value=0, max_value=10)

    def add_two() -> None:
        with db.write() as s:
            s.add(tracker("new_one"))
            s.flush()  # written...
            s.add(tracker("fatigue"))  # ...then the (profile, key) unique constraint breaks

    with pytest.raises(IntegrityError):
        add_two()
    assert rows(Tracker) == len(BUILTIN_TRACKERS)
    with db.read() as s:
        assert "new_one" not in {t.key for t in profiles_db.get_profile(s, pid).trackers}
    # The store is usable again straight after.
    with db.write() as s:
        profiles_db.get_profile(s, pid).name = "Still fine"
    with db.read() as s:
        assert profiles_db.get_profile(s, pid).name == "Still fine"


# -- UTCDateTime ------------------------------------------------------------------------------


def test_a_naive_datetime_is_refused_on_write(db: Database, pid, clock) -> None:
    naive = datetime(2026, 3, 15, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime") as err, db.write() as s:
        profiles_db.get_profile(s, pid).updated_at = naive
    assert isinstance(err.value.orig, ValueError)
    with db.read() as s:
        assert profiles_db.get_profile(s, pid).updated_at == clock.now()


def test_a_naive_datetime_is_refused_in_a_query_too(db: Database, pid) -> None:
    naive = datetime(2026, 3, 15)  # noqa: DTZ001
    with pytest.raises(StatementError, match="naive datetime"), db.read() as s:
        entries_db.activities_between(s, profiles_db.get_profile(s, pid), naive, naive)


AWARE = [
    datetime(2026, 3, 15, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2026, 3, 16, 10, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2026, 7, 1, 0, 0, 0, 123456, tzinfo=UTC),
]


def test_values_come_back_aware_and_in_utc(db: Database, pid) -> None:
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        for when in AWARE:
            entries_db.add_activity(
                s, p, parse_activity({"what": "x", "started_at": when, "minutes": 1})
            )
    with db.read() as s:
        got = entries_db.activities_between(
            s,
            profiles_db.get_profile(s, pid),
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
        )
    assert [a.started_at for a in got] == sorted(AWARE)
    assert all(a.started_at.tzinfo is UTC for a in got)
    assert [a.started_at.isoformat() for a in got] == [
        "2026-03-16T04:30:00+00:00",
        "2026-03-16T04:30:00+00:00",
        "2026-07-01T00:00:00.123456+00:00",
    ]


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_the_postgresql_session_time_zone_does_not_leak_in(database_url: str) -> None:
    """A clinic server may run in any time zone: values still come back in UTC."""
    base = Database(database_url)
    base.upgrade()
    when = datetime(2026, 3, 15, 8, 0, tzinfo=UTC)
    url = make_url(database_url).update_query_dict({"options": "-c TimeZone=Pacific/Auckland"})
    elsewhere = Database(url.render_as_string(hide_password=False))
    try:
        with elsewhere.write() as s:
            assert s.execute(text("SHOW TimeZone")).scalar() == "Pacific/Auckland"
            profiles_db.create_profile(s, parse_profile({"name": "Kiri"}, TODAY), when)
        with base.read() as s:
            (p,) = profiles_db.list_profiles(s)
            assert p.created_at == when and p.created_at.tzinfo is UTC
        with elsewhere.read() as s:
            (p,) = profiles_db.list_profiles(s)
            assert p.created_at == when and p.created_at.tzinfo is UTC
            assert p.created_at.isoformat() == "2026-03-15T08:00:00+00:00"
    finally:
        elsewhere.dispose()
        base.dispose()
