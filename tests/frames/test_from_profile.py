"""A stored profile's logs as engine inputs (frames/from_profile.py), on SQLite and PostgreSQL:
each activity and rest lands on the person's local day exactly as domain.localday says, across
the day boundary and both daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain.entries import ActivityData, Posture, RestData, RestKind
from pacekeeper.domain.localday import local_day
from pacekeeper.frames.from_profile import inputs_for_profile

# Oslo: summer time from 29 Mar 2026 01:00 UTC to 25 Oct 2026 01:00 UTC; the day starts 04:00.
INSTANTS = [
    datetime(2026, 3, 28, 2, 59, tzinfo=UTC),  # 03:59 local: still 27 Mar
    datetime(2026, 3, 28, 3, 0, tzinfo=UTC),  # 04:00 local: 28 Mar
    datetime(2026, 3, 29, 1, 59, tzinfo=UTC),  # 03:59 summer time: still 28 Mar
    datetime(2026, 3, 29, 2, 0, tzinfo=UTC),  # 04:00 summer time: 29 Mar
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 summer time: 24 Oct
    datetime(2026, 10, 25, 2, 30, tzinfo=UTC),  # 03:30 winter time: still 24 Oct
    datetime(2026, 10, 25, 3, 0, tzinfo=UTC),  # 04:00 winter time: 25 Oct
    datetime(2026, 12, 31, 22, 59, tzinfo=UTC),  # 23:59 local on 31 Dec
]


def test_logs_land_on_the_local_day_of_domain_localday(db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        for n, at in enumerate(INSTANTS):
            posture = Posture.UPRIGHT if n % 2 else Posture.LYING
            entries_db.add_activity(s, p, ActivityData(f"a{n}", at, 10 + n, physical=1,
                                                       posture=posture))  # fmt: skip
            entries_db.add_rest(
                s, p, RestData(RestKind.LYING_REST, at + timedelta(minutes=1), 5 + n)
            )
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
        inputs = inputs_for_profile(s, p)
    acts = inputs.activities.sort("minutes")
    assert acts["day"].to_list() == [local_day(at, tz, boundary) for at in INSTANTS]
    assert acts["what"].to_list() == [f"a{n}" for n in range(len(INSTANTS))]
    assert acts["posture"].to_list()[:2] == ["lying", "walking"]  # upright counts as walking
    assert acts.schema == inputs.activities.schema and acts["physical"].dtype.is_float()
    rests = inputs.rests.sort("minutes")
    expected = [local_day(at + timedelta(minutes=1), tz, boundary) for at in INSTANTS]
    assert rests["day"].to_list() == expected
