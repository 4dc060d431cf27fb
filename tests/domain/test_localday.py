from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from pacekeeper.domain.localday import (
    day_bounds,
    instant_on_day,
    local_day,
    utc_offset_minutes,
    with_offset,
    zone,
)

OSLO = zone("Europe/Oslo")


def test_early_hours_belong_to_the_evening_before():
    # 01:30 in Oslo on Sunday 15 March is still Saturday for a late sleeper (04:00 boundary).
    assert local_day(datetime(2026, 3, 15, 0, 30, tzinfo=UTC), OSLO) == date(2026, 3, 14)
    assert local_day(datetime(2026, 3, 15, 3, 0, tzinfo=UTC), OSLO) == date(2026, 3, 15)
    assert local_day(datetime(2026, 3, 15, 0, 30, tzinfo=UTC), OSLO, time(0, 0)) == date(
        2026, 3, 15
    )


def test_days_are_23_or_25_hours_across_daylight_saving():
    # Clocks go forward at 02:00 on 29 March: before the 04:00 boundary, so in the person's
    # Saturday 28 March, which is 23 hours long. In October the 25-hour day is Saturday 24th.
    start, end = day_bounds(date(2026, 3, 28), OSLO)
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(date(2026, 10, 24), OSLO)
    assert end - start == timedelta(hours=25)
    start, end = day_bounds(date(2026, 3, 29), OSLO, time(0, 0))  # midnight boundary: the 29th
    assert end - start == timedelta(hours=23)
    assert day_bounds(date(2026, 3, 15), OSLO)[0] == datetime(2026, 3, 15, 3, 0, tzinfo=UTC)


def test_clock_time_on_a_local_day():
    assert (
        instant_on_day(date(2026, 3, 15), time(9, 30), OSLO).isoformat()
        == "2026-03-15T09:30:00+01:00"
    )
    # 01:30 "on Sunday" with a 04:00 boundary is early Monday by the calendar.
    assert instant_on_day(date(2026, 3, 15), time(1, 30), OSLO).date() == date(2026, 3, 16)


def test_offsets():
    summer = datetime(2026, 7, 1, 12, tzinfo=OSLO)
    assert utc_offset_minutes(summer) == 120
    back = with_offset(summer.astimezone(UTC), 120)
    assert back.isoformat() == "2026-07-01T12:00:00+02:00"


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        local_day(datetime(2026, 3, 15, 10, 0), OSLO)  # noqa: DTZ001
    with pytest.raises(KeyError):
        zone("Mars/Olympus_Mons")


def test_later_counts_real_time_across_a_clock_change():
    from pacekeeper.domain.localday import later

    before = datetime(2026, 3, 29, 1, 30, tzinfo=OSLO)  # clocks jump from 02:00 to 03:00
    after = later(before, timedelta(hours=1))
    assert after.isoformat() == "2026-03-29T03:30:00+02:00"
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=1)
    assert (before + timedelta(hours=1)).isoformat() == "2026-03-29T02:30:00+01:00"  # the trap
