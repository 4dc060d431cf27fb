from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import select

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Profile
from pacekeeper.demo import DEMO_NAME, generate_history, install_demo
from pacekeeper.domain import SampleKind
from pacekeeper.domain.localday import local_day, zone

END = date(2026, 3, 15)


def test_history_is_deterministic_and_labelled():
    a = generate_history(end_day=END, seed=3)
    b = generate_history(end_day=END, seed=3)
    assert a == b
    assert a != generate_history(end_day=END, seed=4)
    assert a.profile.is_generated and a.profile.name == DEMO_NAME


def test_about_six_months_with_gaps_never_zero_filled():
    h = generate_history(end_day=END)
    days = [c.day for c in h.checkins]
    assert days == sorted(days) and days[-1] <= END
    assert (END - days[0]).days <= 181
    missing = 182 - len(days)
    assert 5 <= missing <= 40  # some days are simply missing ...
    assert all(len(c.values) == 8 for c in h.checkins)  # ... and the rest are complete


def test_times_are_aware_and_checkins_fall_on_their_local_day():
    h = generate_history(end_day=END, time_zone="Europe/Oslo")
    tz = zone("Europe/Oslo")
    for c in h.checkins:
        assert c.recorded_at is not None and c.recorded_at.utcoffset() is not None
        assert local_day(c.recorded_at, tz) == c.day
    assert all(a.started_at.utcoffset() is not None for a in h.activities)
    assert all(x.start.utcoffset() is not None for x in h.samples)


def test_symptoms_follow_exertion_with_a_delay():
    """The point of the demo: crash onsets come a day or two after heavy days, not the same day."""
    h = generate_history(end_day=END, seed=7, days=365)
    first = END - timedelta(days=364)
    load = np.zeros(365)
    for a in h.activities:
        i = (a.started_at.date() - first).days
        load[i] += a.minutes * (a.physical + 0.7 * (a.cognitive + a.emotional) + 0.6 * a.social)
    crash = {(d - first).days for d in h.crash_days}
    onsets = [i for i in sorted(crash) if i - 1 not in crash and i >= 3]
    assert len(onsets) >= 10
    before = np.mean([max(load[i - 1], load[i - 2]) for i in onsets])
    assert before > 1.5 * np.mean(load)  # heavy days 1-2 days before onsets
    assert set(h.boom_days) & {first + timedelta(days=i - 1) for i in onsets}


def test_wearables_move_with_crashes():
    h = generate_history(end_day=END)
    crash = set(h.crash_days)
    rhr = {x.start.date(): x.value for x in h.samples if x.kind is SampleKind.RESTING_HEART_RATE}
    hrv = {x.start.date(): x.value for x in h.samples if x.kind is SampleKind.HRV_RMSSD}
    assert (
        np.mean([v for d, v in rhr.items() if d in crash])
        > np.mean([v for d, v in rhr.items() if d not in crash]) + 3
    )
    assert (
        np.mean([v for d, v in hrv.items() if d in crash])
        < np.mean([v for d, v in hrv.items() if d not in crash]) - 3
    )
    assert len(h.samples) < 20_000


def test_install_replaces_only_the_demo(db, clock, make_profile):
    mine = make_profile(db, clock, name="Me")
    install_demo(db, clock, days=30)
    with db.read() as s:
        once = samples_db.count_samples(s, profiles_db.find_profile(s, DEMO_NAME))
    second = install_demo(db, clock, days=30)
    with db.read() as s:
        names = {p.id: p.name for p in s.scalars(select(Profile))}
        assert names == {mine: "Me", second: DEMO_NAME}
        assert samples_db.count_samples(s, profiles_db.get_profile(s, second)) == once
        p = profiles_db.get_profile(s, second)
        assert p.is_generated
        assert samples_db.count_samples(s, p) > 1000
        assert samples_db.count_samples(s, profiles_db.get_profile(s, mine)) == 0
        # Nothing is stored in the future of the clock.
        latest = max(x.start for x in samples_db.samples_between(
            s, p, SampleKind.HEART_RATE, clock.now() - timedelta(days=2), clock.now() + timedelta(days=2)))  # fmt: skip
        assert latest <= clock.now()
