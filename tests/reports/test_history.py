"""history_days: one row per local day from plain objects (and from the real domain types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from pacekeeper.db.checkins import StoredCheckIn
from pacekeeper.domain import ActivityData, RestData, RestKind
from pacekeeper.domain.localday import zone
from pacekeeper.reports import HistoryDay, history_days

OSLO = zone("Europe/Oslo")
CET = timezone(timedelta(hours=1))
FOUR = time(4, 0)


@dataclass
class C:
    day: date
    values: dict[str, float]


@dataclass
class A:
    started_at: datetime
    minutes: int
    physical: int = 0
    cognitive: int = 0
    emotional: int = 0
    social: int = 0


@dataclass
class R:
    started_at: datetime
    minutes: int


@dataclass
class S:
    start: datetime
    value: float
    source: str = "watch"


def week(**kw: object) -> list[HistoryDay]:
    args: dict[str, object] = {
        "checkins": [],
        "activities": [],
        "rests": [],
        "steps_by_day": {},
        "tz": OSLO,
        "boundary": FOUR,
    }
    args.update(kw)
    return history_days(date(2026, 3, 10), date(2026, 3, 16), **args)


def test_one_row_per_day_and_a_day_without_check_in_is_a_gap_not_zeros():
    rows = week(checkins=[C(date(2026, 3, 10), {"fatigue": 4}), C(date(2026, 3, 12), {"pain": 2})])
    assert [r.day for r in rows] == [date(2026, 3, d) for d in range(10, 17)]
    assert rows[0].values == {"fatigue": 4}
    assert rows[1].values is None
    assert rows[2].values == {"pain": 2}
    assert all(r.values is None for r in rows[3:])
    # with nothing logged a day still has every load kind, at zero, and no steps
    assert rows[1].load == {"physical": 0, "cognitive": 0, "emotional": 0, "social": 0}
    assert (rows[1].active_minutes, rows[1].rest_minutes, rows[1].steps) == (0, 0, None)


def test_an_activity_at_two_in_the_morning_counts_for_the_day_before():
    # Stored rows are UTC: 01:00 UTC is 02:00 in Oslo, before the 04:00 day boundary.
    late = datetime(2026, 3, 12, 1, 0, tzinfo=UTC)
    after = datetime(2026, 3, 12, 3, 30, tzinfo=UTC)  # 04:30 in Oslo: the 12th
    rows = week(activities=[A(late, 60, cognitive=3), A(after, 10, physical=1)])
    by_day = {r.day.day: r for r in rows}
    assert by_day[11].load["cognitive"] == 180 and by_day[11].active_minutes == 60
    assert by_day[12].load["physical"] == 10 and by_day[12].load["cognitive"] == 0


def test_the_boundary_holds_across_the_spring_clock_change():
    # Oslo moves to CEST at 01:00 UTC on 29 March 2026: 01:30 UTC is 03:30 local (still the
    # 28th), 02:30 UTC is 04:30 local (the 29th).
    rows = history_days(
        date(2026, 3, 28),
        date(2026, 3, 29),
        [],
        [
            A(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 20, physical=1),
            A(datetime(2026, 3, 29, 2, 30, tzinfo=UTC), 30, physical=1),
        ],
        [],
        {},
        OSLO,
        FOUR,
    )
    assert [r.active_minutes for r in rows] == [20, 30]


def test_load_points_are_minutes_times_rating_summed_over_the_day():
    day = datetime(2026, 3, 11, 10, tzinfo=CET)
    rows = week(
        activities=[
            A(day, 30, physical=2, social=1),
            A(day + timedelta(hours=3), 45, cognitive=2, emotional=1, social=3),
        ]
    )
    d = rows[1]
    assert d.load == {"physical": 60, "cognitive": 90, "emotional": 45, "social": 165}
    assert d.total_load == 360
    assert d.active_minutes == 75


def test_rests_and_steps_are_taken_per_day():
    morning = datetime(2026, 3, 11, 9, tzinfo=CET)
    rows = week(
        rests=[R(morning, 20), R(morning + timedelta(hours=6), 45)],
        steps_by_day={date(2026, 3, 11): {"watch": 1500.0}},
    )
    assert rows[1].rest_minutes == 65
    assert rows[1].steps == 1500
    assert rows[0].steps is None and rows[2].steps is None


def test_steps_of_several_devices_are_their_chosen_minutes_added():
    # The store gave each minute to one device: the watch's minutes and the phone-only ones.
    rows = week(steps_by_day={date(2026, 3, 11): {"Ann’s Watch": 6210.0, "Ann’s iPhone": 312.0}})
    d = rows[1]
    assert (d.steps, d.steps_source) == (6522, "Ann’s Watch")
    assert d.steps_from == "Ann’s Watch 6,210 · Ann’s iPhone 312"


def test_crash_day_comes_from_the_crash_answer():
    rows = week(
        checkins=[
            C(date(2026, 3, 10), {"crash": 1, "fatigue": 9}),
            C(date(2026, 3, 11), {"crash": 0, "fatigue": 5}),
            C(date(2026, 3, 12), {"fatigue": 5}),
        ]
    )
    assert [r.crash for r in rows[:4]] == [True, False, False, False]


def test_entries_outside_the_period_are_left_out():
    rows = week(
        checkins=[C(date(2026, 3, 9), {"fatigue": 9}), C(date(2026, 3, 17), {"fatigue": 9})],
        activities=[A(datetime(2026, 3, 10, 2, tzinfo=CET), 60, physical=3)],  # the 9th
        steps_by_day={date(2026, 3, 17): {"watch": 999.0}},
    )
    assert all(r.values is None and r.total_load == 0 and r.steps is None for r in rows)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        history_days(date(2026, 3, 2), date(2026, 3, 1), [], [], [], {}, OSLO, FOUR)


def test_takes_the_stored_and_domain_types_as_they_are():
    start = datetime(2026, 3, 11, 10, tzinfo=CET)
    checkin = StoredCheckIn(
        day=date(2026, 3, 11),
        values={"fatigue": 6.0},
        note="",
        recorded_at=start,
        utc_offset_minutes=60,
        client_id=None,
        source="web",
    )
    rows = week(
        checkins=[checkin],
        activities=[ActivityData("Shower", start, 15, physical=2)],
        rests=[RestData(RestKind.NAP, start + timedelta(hours=2), 40)],
    )
    assert rows[1].values == {"fatigue": 6.0}
    assert (rows[1].load["physical"], rows[1].rest_minutes) == (30, 40)


def test_the_devices_are_shown_in_the_table():
    rows = history_days(
        date(2026, 3, 11), date(2026, 3, 11), [], [], [],
        {date(2026, 3, 11): {"Ann’s Apple Watch": 7000.0}}, OSLO, time(4, 0),
    )  # fmt: skip
    from pacekeeper.domain import BUILTIN_TRACKERS
    from pacekeeper.reports import history_table

    (row,) = history_table(rows, BUILTIN_TRACKERS)
    assert row["Steps"] == 7000 and row["Steps from"] == "Ann’s Apple Watch"
