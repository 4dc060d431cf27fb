"""Local days: a person's day runs from their boundary (04:00 by default) to the next one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacekeeper.domain.localday import (
    day_bounds,
    day_start,
    instant_on_day,
    is_time_zone,
    later,
    local_day,
    minutes_to_time,
    time_to_minutes,
    utc_offset_minutes,
    with_offset,
    zone,
)

OSLO = zone("Europe/Oslo")
NEW_YORK = zone("America/New_York")


def test_early_hours_belong_to_the_day_before():
    # 01:30 in Oslo on Sunday 15 March is still Saturday for a late sleeper.
    assert local_day(datetime(2026, 3, 15, 1, 30, tzinfo=OSLO), OSLO) == date(2026, 3, 14)
    assert local_day(datetime(2026, 3, 15, 0, 30, tzinfo=UTC), OSLO) == date(2026, 3, 14)
    assert local_day(datetime(2026, 3, 15, 3, 59, tzinfo=OSLO), OSLO) == date(2026, 3, 14)
    # The boundary itself starts the new day.
    assert local_day(datetime(2026, 3, 15, 4, 0, tzinfo=OSLO), OSLO) == date(2026, 3, 15)
    assert local_day(datetime(2026, 3, 15, 23, 59, tzinfo=OSLO), OSLO) == date(2026, 3, 15)


def test_the_boundary_is_configurable():
    late = datetime(2026, 3, 15, 1, 30, tzinfo=OSLO)
    assert local_day(late, OSLO, time(0, 0)) == date(2026, 3, 15)
    assert local_day(late, OSLO, time(1, 0)) == date(2026, 3, 15)
    assert local_day(late, OSLO, time(6, 0)) == date(2026, 3, 14)
    assert local_day(datetime(2026, 3, 15, 5, 59, tzinfo=OSLO), OSLO, time(6, 0)) == date(
        2026, 3, 14
    )


def test_the_day_is_the_persons_not_the_instants_offset():
    # 23:30 in New York is already the next morning in Oslo.
    instant = datetime(2026, 3, 15, 23, 30, tzinfo=NEW_YORK)
    assert local_day(instant, NEW_YORK) == date(2026, 3, 15)
    assert local_day(instant, OSLO) == date(2026, 3, 16)


def test_ordinary_days_are_24_hours():
    start, end = day_bounds(date(2026, 3, 15), OSLO)
    assert (start, end) == (
        datetime(2026, 3, 15, 3, 0, tzinfo=UTC),
        datetime(2026, 3, 16, 3, 0, tzinfo=UTC),
    )
    assert start.tzinfo is UTC and end.tzinfo is UTC


def test_days_are_23_or_25_hours_across_daylight_saving():
    # Oslo's clocks go forward at 02:00 on Sunday 29 March 2026: before the 04:00 boundary, so
    # inside the person's Saturday 28th. They go back at 03:00 on Sunday 25 October: inside
    # Saturday the 24th.
    start, end = day_bounds(date(2026, 3, 28), OSLO)
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 3, 0, tzinfo=UTC)  # 04:00 +01:00
    assert end == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 04:00 +02:00
    start, end = day_bounds(date(2026, 10, 24), OSLO)
    assert end - start == timedelta(hours=25)
    # Either side of a change, days are 24 hours again.
    for day in (date(2026, 3, 27), date(2026, 3, 29), date(2026, 10, 23), date(2026, 10, 25)):
        start, end = day_bounds(day, OSLO)
        assert end - start == timedelta(hours=24), day
    # With a midnight boundary the short and long days are the Sundays themselves.
    start, end = day_bounds(date(2026, 3, 29), OSLO, time(0, 0))
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(date(2026, 10, 25), OSLO, time(0, 0))
    assert end - start == timedelta(hours=25)


@settings(deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1)))  # noqa: DTZ001
def test_every_instant_falls_inside_the_bounds_of_its_own_day(naive_utc: datetime):
    instant = naive_utc.replace(tzinfo=UTC)
    day = local_day(instant, OSLO)
    start, end = day_bounds(day, OSLO)
    assert start <= instant < end
    assert day_start(day, OSLO) == start


def test_utc_offset_minutes():
    assert utc_offset_minutes(datetime(2026, 1, 15, 12, tzinfo=OSLO)) == 60
    assert utc_offset_minutes(datetime(2026, 7, 1, 12, tzinfo=OSLO)) == 120
    assert utc_offset_minutes(datetime(2026, 7, 1, 12, tzinfo=UTC)) == 0
    assert utc_offset_minutes(datetime(2026, 7, 1, 12, tzinfo=NEW_YORK)) == -240
    assert utc_offset_minutes(datetime(2026, 7, 1, 12, tzinfo=zone("Asia/Kolkata"))) == 330
    assert utc_offset_minutes(datetime(2026, 1, 1, 12, tzinfo=zone("America/St_Johns"))) == -210
    assert utc_offset_minutes(datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-9.5)))) == -570


def test_with_offset_shows_a_utc_instant_as_it_was_recorded():
    summer = datetime(2026, 7, 1, 12, tzinfo=OSLO)
    back = with_offset(summer.astimezone(UTC), utc_offset_minutes(summer))
    assert back == summer
    assert back.isoformat() == "2026-07-01T12:00:00+02:00"
    assert with_offset(datetime(2026, 1, 1, 5, 0, tzinfo=UTC), -210).isoformat() == (
        "2026-01-01T01:30:00-03:30"
    )


def test_clock_time_on_a_local_day():
    assert (
        instant_on_day(date(2026, 3, 15), time(9, 30), OSLO).isoformat()
        == "2026-03-15T09:30:00+01:00"
    )
    # 01:30 "on Sunday" with a 04:00 boundary is early Monday by the calendar...
    late = instant_on_day(date(2026, 3, 15), time(1, 30), OSLO)
    assert late.date() == date(2026, 3, 16)
    # ...and so belongs to Sunday again.
    assert local_day(late, OSLO) == date(2026, 3, 15)


def test_minutes_and_times():
    assert time_to_minutes(time(4, 0)) == 240
    assert minutes_to_time(330) == time(5, 30)
    assert all(time_to_minutes(minutes_to_time(m)) == m for m in range(0, 721, 15))


def test_naive_times_are_refused():
    naive = datetime(2026, 3, 15, 10, 0)  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        local_day(naive, OSLO)
    with pytest.raises(ValueError, match="naive"):
        utc_offset_minutes(naive)
    with pytest.raises(ValueError, match="naive"):
        with_offset(naive, 60)


def test_zone_names():
    assert zone("Europe/Oslo").key == "Europe/Oslo"
    assert is_time_zone("America/New_York")
    for bad in ("Mars/Olympus_Mons", "", "../etc/passwd", "Europe/Oslo\x00"):
        assert not is_time_zone(bad), bad
    with pytest.raises(KeyError):
        zone("Mars/Olympus_Mons")


def test_later_counts_real_time_across_a_clock_change():
    before = datetime(2026, 3, 29, 1, 30, tzinfo=OSLO)  # clocks jump from 02:00 to 03:00
    after = later(before, timedelta(hours=1))
    assert after.isoformat() == "2026-03-29T03:30:00+02:00"
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=1)
    assert (before + timedelta(hours=1)).isoformat() == "2026-03-29T02:30:00+01:00"  # the trap
    autumn = datetime(2026, 10, 25, 2, 30, tzinfo=OSLO)  # 02:00-03:00 happens twice
    assert later(autumn, timedelta(hours=1)).isoformat() == "2026-10-25T02:30:00+01:00"
    with pytest.raises(ValueError, match="naive"):
        later(datetime(2026, 3, 29, 1, 30), timedelta(hours=1))  # noqa: DTZ001
