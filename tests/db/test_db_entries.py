"""Activities and rests: resends are not doubled, time ranges are [start, end), and the UTC offset
a person logged with comes back with the entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from pacekeeper.db import Database
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.tables import Activity, Rest
from pacekeeper.domain import ActivityData, RestData, parse_activity, parse_rest
from pacekeeper.errors import NotFoundError

CID_A = "6f1c2a9e-0000-4000-8000-00000000000a"
CID_B = "6f1c2a9e-0000-4000-8000-00000000000b"
DAY = (datetime(2026, 3, 15, tzinfo=UTC), datetime(2026, 3, 16, tzinfo=UTC))


def walk(started_at: str, **raw: Any) -> ActivityData:
    return parse_activity({"what": "Walk", "started_at": started_at, "minutes": "20", **raw})


def nap(started_at: str, **raw: Any) -> RestData:
    return parse_rest({"kind": "nap", "started_at": started_at, "minutes": "45", **raw})


def add(db: Database, pid: int, entry: ActivityData | RestData) -> tuple[int, bool]:
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        if isinstance(entry, ActivityData):
            row, created = entries_db.add_activity(s, p, entry)
        else:
            row, created = entries_db.add_rest(s, p, entry)
        return row.id, created


def test_a_resent_activity_is_stored_once(db, pid, rows) -> None:
    a = walk("2026-03-15T08:30+02:00", physical="2", client_id=CID_A)
    first_id, created = add(db, pid, a)
    assert created is True
    again_id, created = add(db, pid, a)
    assert (again_id, created) == (first_id, False)
    assert add(db, pid, walk("2026-03-15T09:30+02:00", client_id=CID_B))[1] is True
    # Without a client_id there is nothing to recognise a resend by: both are kept.
    assert add(db, pid, walk("2026-03-15T10:30+02:00"))[1] is True
    assert add(db, pid, walk("2026-03-15T10:30+02:00"))[1] is True
    assert rows(Activity) == 4


def test_a_resent_rest_is_stored_once(db, pid, rows) -> None:
    r = nap("2026-03-15T13:00+01:00", client_id=CID_A)
    first_id, created = add(db, pid, r)
    assert created is True
    assert add(db, pid, r) == (first_id, False)
    assert rows(Rest) == 1


def test_the_same_client_id_in_two_profiles_is_two_entries(db, clock, make_profile, rows) -> None:
    ann, bob = make_profile(db, clock, name="Ann"), make_profile(db, clock, name="Bob")
    assert add(db, ann, walk("2026-03-15T08:30+01:00", client_id=CID_A))[1] is True
    assert add(db, bob, walk("2026-03-15T08:30+01:00", client_id=CID_A))[1] is True
    assert rows(Activity) == 2


def test_activities_between_is_start_inclusive_end_exclusive(db, pid) -> None:
    for when in (
        "2026-03-15T00:00+00:00",
        "2026-03-15T23:59+00:00",
        "2026-03-16T00:00+00:00",
        "2026-03-14T23:59+00:00",
        "2026-03-15T12:00+00:00",
    ):
        add(db, pid, walk(when))
    with db.read() as s:
        got = entries_db.activities_between(s, profiles_db.get_profile(s, pid), *DAY)
    assert [a.started_at for a in got] == [
        datetime(2026, 3, 15, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 15, 23, 59, tzinfo=UTC),
    ]


def test_rests_between_compares_instants_not_wall_clock_times(db, pid) -> None:
    # 01:30+02:00 on the 15th is 23:30 UTC on the 14th; 23:30-05:00 on the 15th is the 16th.
    for when in (
        "2026-03-15T01:30+02:00",
        "2026-03-15T10:00+05:30",
        "2026-03-15T23:30-05:00",
        "2026-03-15T18:00-05:00",
    ):
        add(db, pid, nap(when))
    with db.read() as s:
        got = entries_db.rests_between(s, profiles_db.get_profile(s, pid), *DAY)
        assert [r.started_at for r in got] == [
            datetime(2026, 3, 15, 4, 30, tzinfo=UTC),
            datetime(2026, 3, 15, 23, 0, tzinfo=UTC),
        ]
        assert [entries_db.rest_data(r).started_at.isoformat() for r in got] == [
            "2026-03-15T10:00:00+05:30",
            "2026-03-15T18:00:00-05:00",
        ]


def test_an_activity_comes_back_exactly_as_logged(db, pid) -> None:
    a = walk(
        "2026-03-15T08:30+02:00",
        physical="2",
        cognitive="1",
        emotional="3",
        social="0",
        posture="upright",
        note="To the shop",
        client_id=CID_A,
    )
    add(db, pid, a)
    with db.read() as s:
        (row,) = entries_db.activities_between(s, profiles_db.get_profile(s, pid), *DAY)
        assert row.started_at == datetime(2026, 3, 15, 6, 30, tzinfo=UTC)
        assert row.utc_offset_minutes == 120
        back = entries_db.activity_data(row)
    assert back == a
    assert back.started_at.utcoffset() == timedelta(hours=2)
    assert back.started_at.isoformat() == "2026-03-15T08:30:00+02:00"
    assert back.ended_at == datetime(2026, 3, 15, 8, 50, tzinfo=timezone(timedelta(hours=2)))


def test_a_rest_comes_back_exactly_as_logged(db, pid) -> None:
    r = parse_rest(
        {
            "kind": "lying_rest",
            "started_at": "2026-03-15T13:00-03:30",
            "minutes": "15",
            "note": "dark room",
            "client_id": CID_B,
        },
        source="phone",
    )
    add(db, pid, r)
    with db.read() as s:
        (row,) = entries_db.rests_between(
            s, profiles_db.get_profile(s, pid), DAY[0], DAY[1] + timedelta(days=1)
        )
        assert (row.utc_offset_minutes, row.source) == (-210, "phone")
        back = entries_db.rest_data(row)
    assert back == r
    assert back.started_at.isoformat() == "2026-03-15T13:00:00-03:30"


def test_delete_entries_only_of_their_own_profile(db, clock, make_profile, rows) -> None:
    ann, bob = make_profile(db, clock, name="Ann"), make_profile(db, clock, name="Bob")
    activity_id, _ = add(db, ann, walk("2026-03-15T08:30+01:00"))
    rest_id, _ = add(db, ann, nap("2026-03-15T13:00+01:00"))
    with db.write() as s:
        other = profiles_db.get_profile(s, bob)
        with pytest.raises(NotFoundError, match=f"activity {activity_id} does not exist"):
            entries_db.delete_activity(s, other, activity_id)
        with pytest.raises(NotFoundError, match=f"rest {rest_id} does not exist"):
            entries_db.delete_rest(s, other, rest_id)
    assert (rows(Activity), rows(Rest)) == (1, 1)
    with db.write() as s:
        owner = profiles_db.get_profile(s, ann)
        entries_db.delete_activity(s, owner, activity_id)
        entries_db.delete_rest(s, owner, rest_id)
    assert (rows(Activity), rows(Rest)) == (0, 0)
    with db.write() as s, pytest.raises(NotFoundError):
        entries_db.delete_activity(s, profiles_db.get_profile(s, ann), activity_id)


def test_imported_activities_skip_stored_and_repeated_ones(db, clock, make_profile):
    pid = make_profile(db, clock)
    watch = "Apple Watch de Zoë, the long name of a long-lived watch"  # over 32 characters
    berlin = timezone(timedelta(hours=1))
    first = [
        ActivityData("Walking", datetime(2026, 3, 15, 9, 0, tzinfo=berlin), 30, source=watch),
        ActivityData("Yoga", datetime(2026, 3, 15, 18, 0, tzinfo=berlin), 20, source=watch),
    ]
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        assert entries_db.add_imported_activities(s, p, first) == 2
    again = [
        # the same walk written in UTC: the same instant, so already stored
        ActivityData("Walking", datetime(2026, 3, 15, 8, 0, tzinfo=UTC), 30, source=watch),
        ActivityData("Cycling", datetime(2026, 3, 16, 9, 0, tzinfo=berlin), 45, source=watch),
        ActivityData("Cycling", datetime(2026, 3, 16, 9, 0, tzinfo=berlin), 45, source=watch),
    ]
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        assert entries_db.add_imported_activities(s, p, again) == 1
        assert entries_db.add_imported_activities(s, p, []) == 0
    with db.read() as s:
        rows = s.scalars(select(Activity).order_by(Activity.started_at)).all()
        assert [(r.what, r.minutes, r.utc_offset_minutes) for r in rows] == [
            ("Walking", 30, 60),
            ("Yoga", 20, 60),
            ("Cycling", 45, 60),
        ]
        assert {r.source for r in rows} == {watch[:32]}  # the column's length, on both
