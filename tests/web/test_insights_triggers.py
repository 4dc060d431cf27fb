"""The "Possible triggers" section: "not enough data yet" on a new profile, and a trigger
planted in a stored history (flares two days after visitors) named on the page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain.entries import ActivityData, CheckInData
from pacekeeper.domain.trackers import TrackerDef, TrackerKind

DAYS = 300
LAG = 2


def test_a_new_profile_is_told_there_is_not_enough_data(client, db, clock, make_profile):
    make_profile(db, clock)
    text = client.get("/insights").text
    assert "Possible triggers" in text
    assert "Not enough data yet: 0 flares so far, I need at least 5." in text


def _store_history(db, clock, profile_id: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(5)
    with db.write() as s:
        p = profiles_db.get_profile(s, profile_id)
        visitors = TrackerDef("visitors", "Visitors", kind=TrackerKind.YES_NO, max_value=1)
        profiles_db.add_tracker(s, p, visitors)
        tz = profiles_db.profile_zone(p)
        today = profiles_db.today_for(p, clock)
        first = today - timedelta(days=DAYS)
        visit = rng.random(DAYS) < 0.15
        fatigue = 3.0 + rng.normal(0, 0.3, DAYS)
        t = 14
        while t < DAYS:
            if (visit[t - LAG] and rng.random() < 0.7) or rng.random() < 0.03:
                fatigue[t : t + 3] = 8.0
                t += 5
            else:
                t += 1
        for i in range(DAYS):
            day = first + timedelta(days=i)
            values = {"fatigue": round(float(fatigue[i])), "visitors": float(visit[i])}
            at = datetime.combine(day, time(20, 0), tzinfo=tz)
            checkins_db.save_checkin(s, p, CheckInData(day, values, recorded_at=at), clock.now())
            walk = ActivityData("Walk", datetime.combine(day, time(11, 0), tzinfo=tz), 20, 1)
            entries_db.add_activity(s, p, walk)


def test_a_planted_trigger_shows_with_its_lag(client, db, clock, make_profile):
    _store_history(db, clock, make_profile(db, clock))
    text = client.get("/insights").text
    assert "Possible triggers" in text and "Not enough data yet" not in text
    assert "days with visitors, a flare started 2 days later" in text
    assert "Likely real (FDR" in text
    assert "does not prove one caused the other" in text
