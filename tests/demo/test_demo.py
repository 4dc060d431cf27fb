"""The generated demo history: labelled, deterministic, realistic, and installed safely."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Activity, Profile, Rest
from pacekeeper.demo import DEMO_NAME, DemoHistory, generate_history, install_demo
from pacekeeper.domain import BUILTIN_TRACKERS, CeilingMethod, CheckInData, Condition, SampleKind
from pacekeeper.domain.localday import local_day, zone

END = date(2026, 3, 15)
DAYS = 182
FIRST = END - timedelta(days=DAYS - 1)
TZ = zone("Europe/London")
SLEEP = {
    SampleKind.SLEEP_AWAKE,
    SampleKind.SLEEP_LIGHT,
    SampleKind.SLEEP_DEEP,
    SampleKind.SLEEP_REM,
}


@pytest.fixture(scope="module")
def history() -> DemoHistory:
    return generate_history(end_day=END, days=DAYS, seed=7)


def daily_load(h: DemoHistory) -> np.ndarray:
    """Minutes x the sum of the four 0-3 ratings, per local day."""
    load = np.zeros(DAYS)
    for a in h.activities:
        i = (local_day(a.started_at, TZ) - FIRST).days
        load[i] += a.minutes * (a.physical + a.cognitive + a.emotional + a.social)
    return load


def onsets(h: DemoHistory) -> list[date]:
    crash = set(h.crash_days)
    return [d for d in sorted(crash) if d - timedelta(days=1) not in crash]


def per_day(h: DemoHistory, kind: SampleKind) -> dict[date, list[float]]:
    out: dict[date, list[float]] = defaultdict(list)
    for x in h.samples:
        if x.kind is kind:
            out[local_day(x.start, TZ)].append(x.value)
    return out


def test_deterministic_for_a_seed_and_labelled_generated(history):
    assert generate_history(end_day=END, days=DAYS, seed=7) == history
    other = generate_history(end_day=END, days=DAYS, seed=8)
    assert other.checkins != history.checkins
    p = history.profile
    assert p.is_generated and p.name == DEMO_NAME == "Demo (generated data)"
    assert p.conditions == (Condition.ME_CFS,)
    assert (p.birth_year, p.resting_hr, p.time_zone) == (1984, 64, "Europe/London")
    # The documented default: the lower of 64 + 15 and 0.55 x (220 - 42) = 98.
    assert (p.hr_ceiling, p.hr_ceiling_method) == (79, CeilingMethod.DEFAULT)
    assert {c.source for c in history.checkins} == {"demo"}
    assert {a.source for a in history.activities} == {"demo"}
    assert {x.source for x in history.samples} == {"Demo watch"}


def test_covers_the_days_asked_for_with_missing_days_never_zero_filled(history):
    days = [c.day for c in history.checkins]
    assert days == sorted(set(days))
    assert FIRST <= days[0] <= FIRST + timedelta(days=3) and END - timedelta(days=3) <= days[-1]
    missing = {FIRST + timedelta(days=i) for i in range(DAYS)} - set(days)
    assert 0.03 * DAYS <= len(missing) <= 0.15 * DAYS  # about 8% missed ...
    crash = set(history.crash_days)
    assert len(missing & crash) / len(crash) > len(missing) / DAYS  # ... more often in a crash
    keys = {t.key for t in BUILTIN_TRACKERS}
    for c in history.checkins:
        assert set(c.values) == keys  # ... and a check-in that exists is complete
        assert all(v == int(v) and 0 <= v <= 10 for v in c.values.values())
        assert c.values["crash"] == (1.0 if c.day in crash else 0.0)
        assert sum(c.values.values()) > 0
    assert {local_day(a.started_at, TZ) for a in history.activities} >= {FIRST, END}
    sample_days = {local_day(x.start, TZ) for x in history.samples}
    assert len(sample_days) in (DAYS, DAYS + 1)  # + the evening before the first night
    notes = [c.note for c in history.checkins if c.note]
    assert 5 <= len(notes) <= 60 and len(set(notes)) >= 4


def test_symptoms_follow_exertion_with_a_delay(history):
    load = daily_load(history)
    starts = [(d - FIRST).days for d in onsets(history) if (d - FIRST).days >= 2]
    assert 4 <= len(starts) <= 14
    crash_days = len(history.crash_days)
    assert 3 * len(starts) <= crash_days <= 8 * len(starts)  # crashes last several days
    # The days before a crash carry far more load than usual, the crash day itself far less.
    before = np.mean([max(load[i - 1], load[i - 2]) for i in starts])
    assert before > 2 * load.mean()
    assert np.mean([load[i] for i in starts]) < 0.5 * load.mean()
    # Boom days lead crashes by 1-3 days far more often than chance would.
    booms = set(history.boom_days)
    assert booms.isdisjoint(history.crash_days)

    def boom_within_3_days_before(d: date) -> bool:
        return any(d - timedelta(days=k) in booms for k in (1, 2, 3))

    after_boom = np.mean([boom_within_3_days_before(d) for d in onsets(history)])
    chance = np.mean([boom_within_3_days_before(FIRST + timedelta(days=i)) for i in range(DAYS)])
    assert after_boom >= 0.6 and after_boom > 2.5 * chance
    # And the person feels it later, not on the boom day (when mood is even a little better).
    by_day = {c.day: c.values for c in history.checkins}

    def mean(key: str, days: set[date]) -> float:
        return float(np.mean([by_day[d][key] for d in days if d in by_day]))

    def after(lag: int) -> set[date]:
        return {b + timedelta(days=lag) for b in booms}

    fatigue = [mean("fatigue", after(lag)) for lag in range(-1, 7)]
    assert int(np.argmax(fatigue)) - 1 in (1, 2, 3)  # the worst day comes 1-3 days later
    assert min(fatigue[2:5]) > fatigue[1] + 1  # days 1-3 after a boom against the boom day
    assert fatigue[-1] < max(fatigue) - 1  # and it wears off within a week
    assert mean("brain_fog", after(2)) > mean("brain_fog", after(0)) + 1
    assert mean("mood", after(0)) > mean("mood", after(2))


def test_trackers_are_plausible_and_correlated(history):
    values = {
        k: np.array([c.values[k] for c in history.checkins]) for k in history.checkins[0].values
    }
    assert 4 <= values["fatigue"].mean() <= 7
    for key in ("pain", "brain_fog", "unrefreshing_sleep", "back_soreness"):
        assert np.corrcoef(values["fatigue"], values[key])[0, 1] > 0.3
    for key in ("mood", "sleep_quality"):  # higher is better
        assert np.corrcoef(values["fatigue"], values[key])[0, 1] < -0.2
    crash = values["crash"] == 1
    assert values["fatigue"][crash].mean() > values["fatigue"][~crash].mean() + 2


def test_wearables_move_with_crashes_and_booms(history):
    crash, booms = set(history.crash_days), set(history.boom_days)
    rhr = {d: v[0] for d, v in per_day(history, SampleKind.RESTING_HEART_RATE).items()}
    hrv = {d: v[0] for d, v in per_day(history, SampleKind.HRV_RMSSD).items()}
    calm = [d for d in rhr if d not in crash]
    assert 62 <= np.mean([rhr[d] for d in calm]) <= 68
    rise = np.mean([rhr[d] for d in crash]) - np.mean([rhr[d] for d in calm])
    assert 4 <= rise <= 10
    assert np.mean([hrv[d] for d in crash]) < np.mean([hrv[d] for d in calm]) - 5
    ceiling = history.profile.hr_ceiling
    hr = per_day(history, SampleKind.HEART_RATE)

    def share_over(days: set[date]) -> float:
        return float(np.mean([v > ceiling for d in days for v in hr[d]]))

    everyday = set(hr) - crash - booms
    assert share_over(booms) > 3 * share_over(everyday)
    assert all(len(hr[d]) >= 40 for d in hr if FIRST <= d <= END)  # every 15 min while awake
    steps = {d: sum(v) for d, v in per_day(history, SampleKind.STEPS).items()}
    assert 1200 < np.mean([steps[d] for d in everyday]) < 4000
    assert np.mean([steps[d] for d in crash]) < 0.5 * np.mean([steps[d] for d in everyday])
    assert np.mean([steps[d] for d in booms]) > 1.5 * np.mean([steps[d] for d in everyday])
    assert len(history.samples) < 20_000


def test_rests_every_day_and_more_after_booms_and_in_crashes(history):
    rests: dict[date, int] = defaultdict(int)
    for r in history.rests:
        rests[local_day(r.started_at, TZ)] += r.minutes
    assert all(rests[FIRST + timedelta(days=i)] > 0 for i in range(DAYS))
    crash, booms = set(history.crash_days), set(history.boom_days)
    day_after = {b + timedelta(days=1) for b in booms} - crash
    ordinary = set(rests) - crash - booms - day_after
    assert day_after and ordinary
    assert np.mean([rests[d] for d in day_after]) > np.mean([rests[d] for d in ordinary])
    assert np.mean([rests[d] for d in crash]) > 2 * np.mean([rests[d] for d in ordinary])


@pytest.mark.parametrize("time_zone", ["Europe/London", "America/New_York", "Asia/Kolkata"])
def test_times_are_aware_local_and_right_across_dst(time_zone):
    end = date(2026, 4, 20)  # spans both of London's and New York's DST changes
    h = generate_history(end_day=end, days=DAYS, seed=3, time_zone=time_zone)
    tz = zone(time_zone)
    for c in h.checkins:
        assert c.recorded_at is not None and c.recorded_at.tzinfo is tz
        assert local_day(c.recorded_at, tz) == c.day <= end
    assert all(x.start.tzinfo is tz and (x.end is None or x.end.tzinfo is tz) for x in h.samples)
    spans = sorted(
        [(a.started_at.astimezone(UTC), a.minutes) for a in h.activities]
        + [(r.started_at.astimezone(UTC), r.minutes) for r in h.rests]
    )
    assert all(t.tzinfo is tz for t in [a.started_at for a in h.activities])
    for (s1, m1), (s2, _) in itertools.pairwise(spans):
        assert s1 + timedelta(minutes=m1) <= s2  # nothing overlaps
    assert all(s.astimezone(tz).hour >= 8 or s.astimezone(tz).hour < 2 for s, _ in spans)
    for x in h.samples:  # sleep stages last what they say, in real time, DST nights included
        if x.kind in SLEEP:
            assert x.end is not None
            assert (x.end.astimezone(UTC) - x.start.astimezone(UTC)) == timedelta(minutes=x.value)
    starts = [(x.kind, x.start.astimezone(UTC)) for x in h.samples]
    assert len(set(starts)) == len(starts)  # the natural key never collides


def _counts(s, p: Profile) -> tuple[int, int, int, int]:
    acts = s.scalars(select(Activity).where(Activity.profile_id == p.id)).all()
    rests = s.scalars(select(Rest).where(Rest.profile_id == p.id)).all()
    cis = checkins_db.checkins_between(s, p, date(1900, 1, 1), date(2100, 1, 1))
    return len(cis), len(acts), len(rests), samples_db.count_samples(s, p)


def test_install_writes_everything_and_replaces_only_the_demo(db, clock, make_profile):
    mine = make_profile(db, clock, name="Me")
    with db.write() as s:
        me = profiles_db.get_profile(s, mine)
        checkins_db.save_checkin(
            s, me, CheckInData(date(2026, 3, 14), {"fatigue": 6.0}), clock.now()
        )
    now = clock.now()
    first = install_demo(db, clock, days=40, seed=5)
    h = generate_history(end_day=local_day(now, TZ), days=40, seed=5)
    expected = (
        sum(1 for c in h.checkins if c.recorded_at <= now),
        sum(1 for a in h.activities if a.started_at + timedelta(minutes=a.minutes) <= now),
        sum(1 for r in h.rests if r.started_at + timedelta(minutes=r.minutes) <= now),
        sum(1 for x in h.samples if (x.end or x.start) <= now),
    )
    assert expected[0] >= 30 and expected[3] > 3000
    with db.read() as s:
        p = profiles_db.get_profile(s, first)
        assert p.is_generated and p.name == DEMO_NAME and p.hr_ceiling == 79
        assert _counts(s, p) == expected
        stored = checkins_db.get_checkin(s, p, h.checkins[0].day)
        assert stored is not None and stored.values == dict(h.checkins[0].values)
        assert stored.source == "demo"
        day0 = local_day(h.activities[0].started_at, TZ)
        acts = entries_db.activities_between(s, p, *_bounds(day0))
        assert entries_db.activity_data(acts[0]).what == h.activities[0].what
        assert entries_db.activity_data(acts[0]).started_at == h.activities[0].started_at
        hr = samples_db.samples_between(
            s, p, SampleKind.HEART_RATE, now - timedelta(days=3), now + timedelta(days=3)
        )
        assert hr and max(x.start for x in hr) <= now  # nothing stored in the clock's future

    again = install_demo(db, clock, days=40, seed=5)
    with db.read() as s:
        profiles = s.scalars(select(Profile).order_by(Profile.id)).all()
        assert [(x.name, x.is_generated) for x in profiles] == [("Me", False), (DEMO_NAME, True)]
        assert _counts(s, profiles_db.get_profile(s, again)) == expected
        me = profiles_db.get_profile(s, mine)
        assert _counts(s, me) == (1, 0, 0, 0)
        mine_checkin = checkins_db.get_checkin(s, me, date(2026, 3, 14))
        assert mine_checkin is not None and mine_checkin.values == {"fatigue": 6.0}


def _bounds(day: date):
    from pacekeeper.domain.localday import day_bounds

    return day_bounds(day, TZ)
