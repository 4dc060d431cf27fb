"""One device per minute: a watch and a phone counting the same walk are counted once, a minute
only the phone saw still counts, and heart rate keeps the believed device's readings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from pacekeeper.domain.source_priority import (
    additive_per_minute,
    daily_by_source,
    hourly,
    prefer_per_minute,
)

T0 = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


def frame(rows: list[tuple[str, int, float, str, int | None]]) -> pl.DataFrame:
    """(kind, minute offset from T0, value, source, interval length in minutes or None)."""
    return pl.DataFrame(
        {
            "kind": [r[0] for r in rows],
            "start": [T0 + timedelta(minutes=r[1]) for r in rows],
            "utc_offset_minutes": [60] * len(rows),
            "end": [None if r[4] is None else T0 + timedelta(minutes=r[1] + r[4]) for r in rows],
            "value": [float(r[2]) for r in rows],
            "source": [r[3] for r in rows],
        },
        schema={
            "kind": pl.String,
            "start": pl.Datetime("us", "UTC"),
            "utc_offset_minutes": pl.Int16,
            "end": pl.Datetime("us", "UTC"),
            "value": pl.Float64,
            "source": pl.String,
        },
    )


def test_the_watch_wins_a_shared_minute_and_a_phone_only_minute_counts() -> None:
    steps = frame(
        [
            ("steps", 0, 100, "Ann’s Apple Watch", None),
            ("steps", 0, 130, "Ann’s iPhone", None),  # the same walk: not added
            ("steps", 1, 80, "Ann’s Apple Watch", None),
            ("steps", 2, 40, "Ann’s iPhone", None),  # the watch was off: counts
        ]
    )
    got = additive_per_minute(steps)
    assert got.select("source", "value").rows() == [
        ("Ann’s Apple Watch", 100.0),
        ("Ann’s Apple Watch", 80.0),
        ("Ann’s iPhone", 40.0),
    ]
    days = daily_by_source(steps, OSLO, time(4, 0))
    assert days == {date(2026, 3, 11): {"Ann’s Apple Watch": 180.0, "Ann’s iPhone": 40.0}}


def test_an_interval_is_spread_over_its_minutes_before_choosing() -> None:
    steps = frame(
        [
            ("steps", 0, 600, "Garmin Venu", 10),  # 60 a minute over minutes 0-9
            ("steps", 3, 500, "Pixel phone", None),  # inside the watch's interval: dropped
            ("steps", 12, 70, "Pixel phone", None),  # after it: counts
        ]
    )
    got = additive_per_minute(steps)
    assert got.height == 11
    assert got.filter(pl.col("source") == "Garmin Venu")["value"].to_list() == [60.0] * 10
    assert daily_by_source(steps, OSLO, time(4, 0)) == {
        date(2026, 3, 11): {"Garmin Venu": 600.0, "Pixel phone": 70.0}
    }


def test_within_one_rank_the_larger_count_then_the_name_wins() -> None:
    steps = frame(
        [
            ("steps", 0, 50, "Watch B", None),
            ("steps", 0, 90, "Watch A", None),
            ("steps", 1, 30, "Watch B", None),
            ("steps", 1, 30, "Watch A", None),  # equal: the first name
        ]
    )
    got = additive_per_minute(steps).select("source", "value").rows()
    assert got == [("Watch A", 90.0), ("Watch A", 30.0)]


def test_several_readings_in_a_minute_of_one_source_are_added() -> None:
    steps = frame([("steps", 0, 5, "Band", None), ("steps", 0, 7, "Band", None)])
    # Same start twice can't be stored, but seconds apart can: build them by hand.
    steps = steps.with_columns(
        pl.Series("start", [T0, T0 + timedelta(seconds=20)], dtype=pl.Datetime("us", "UTC"))
    )
    assert additive_per_minute(steps)["value"].to_list() == [12.0]


def test_heart_rate_keeps_every_reading_of_the_chosen_source() -> None:
    hr = frame(
        [
            ("heart_rate", 0, 70, "Apple Watch", None),
            ("heart_rate", 0, 90, "iPhone", None),
            ("heart_rate", 1, 95, "iPhone", None),
        ]
    )
    got = prefer_per_minute(hr)
    assert got.select("source", "value").rows() == [("Apple Watch", 70.0), ("iPhone", 95.0)]


def test_hourly_sums_additive_kinds_and_averages_instant_ones() -> None:
    rows = frame(
        [
            ("steps", 0, 100, "Apple Watch", None),
            ("steps", 0, 300, "iPhone", None),
            ("steps", 61, 10, "iPhone", None),
            ("heart_rate", 0, 60, "Apple Watch", None),
            ("heart_rate", 1, 80, "Apple Watch", None),
        ]
    )
    got = hourly(rows).sort("kind", "hour")
    assert got.select("kind", "value").rows() == [
        ("heart_rate", 70.0),
        ("steps", 100.0),
        ("steps", 10.0),
    ]
    assert got["hour"].to_list()[1:] == [T0, T0 + timedelta(hours=1)]


def test_nothing_in_gives_nothing_out() -> None:
    empty = frame([])
    assert daily_by_source(empty, OSLO, time(4, 0)) == {}
    assert additive_per_minute(empty).height == 0
    assert hourly(empty).height == 0


def with_daily(rows: pl.DataFrame, daily: list[tuple[float, str]]) -> pl.DataFrame:
    """`rows` (no daily flag) plus day totals stamped at 11 Mar 04:00 Oslo (03:00 UTC)."""
    at = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
    totals = pl.DataFrame(
        {
            "kind": ["steps"] * len(daily),
            "start": [at] * len(daily),
            "utc_offset_minutes": [0] * len(daily),  # as day_start() gives it: UTC
            "end": [None] * len(daily),
            "value": [v for v, _ in daily],
            "source": [s for _, s in daily],
            "extra": ['{"daily": true}'] * len(daily),
        },
        schema={**rows.schema, "extra": pl.String},
    )
    return pl.concat([rows.with_columns(pl.lit(None, dtype=pl.String).alias("extra")), totals])


def test_a_day_is_its_minutes_or_a_daily_total_never_both() -> None:
    minutes = frame([("steps", 0, 800, "Forerunner 255", 10), ("steps", 60, 400, "iPhone", 10)])
    day = date(2026, 3, 11)
    # A service's daily total (rank 2) under a watch's minutes (rank 3): the minutes count.
    got = daily_by_source(with_daily(minutes, [(5000, "Garmin Connect")]), OSLO, time(4))
    assert got[day] == {"Forerunner 255": 800.0, "iPhone": 400.0}
    # Over a phone's minutes alone (rank 0): the daily total counts, alone.
    phone = frame([("steps", 60, 400, "iPhone", 10)])
    got = daily_by_source(with_daily(phone, [(5000, "Garmin Connect")]), OSLO, time(4))
    assert got[day] == {"Garmin Connect": 5000.0}
    # Same rank (Google Fit's daily file and its 15-minute file): the larger account, alone.
    fit = frame([("steps", 0, 700, "Google Fit", 15), ("steps", 30, 200, "Google Fit", 15)])
    got = daily_by_source(with_daily(fit, [(902, "Google Fit (daily)")]), OSLO, time(4))
    assert got[day] == {"Google Fit (daily)": 902.0}  # 902 > 700 + 200
    # Only a daily total: it counts, on its own day (stamped in UTC, read on the local day).
    only = daily_by_source(with_daily(frame([]), [(3421, "Google Fit (daily)")]), OSLO, time(4))
    assert only == {day: {"Google Fit (daily)": 3421.0}}
