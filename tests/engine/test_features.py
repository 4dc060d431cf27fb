"""Daily features: every source of load counts, nothing missing becomes zero."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA
from pacekeeper.domain.source_priority import daily_by_source
from pacekeeper.domain.trackers import BUILTIN_TRACKERS
from pacekeeper.engine.features import daily_features
from pacekeeper.engine.wearable import wearable_days

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def _samples(rows: list[tuple[str, datetime, float, str, datetime | None, int]]) -> pl.DataFrame:
    return pl.from_arrow(
        __import__("pyarrow").Table.from_pylist(
            [
                {
                    "kind": k,
                    "start": s,
                    "utc_offset_minutes": off,
                    "end": e,
                    "value": v,
                    "source": src,
                    "extra": None,
                }
                for k, s, v, src, e, off in rows
            ],
            schema=SAMPLE_SCHEMA,
        )
    )  # type: ignore[return-value]


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def test_symptom_burden_combines_symptom_trackers_on_one_scale() -> None:
    checkins = pl.DataFrame(
        {
            "day": [D1, D1, D1, D1, D2],
            "key": ["fatigue", "pain", "mood", "crash", "brain_fog"],
            "value": [6.0, 2.0, 1.0, 1.0, 8.0],
        }
    )
    f = daily_features(D1, D3, checkins=checkins, trackers=BUILTIN_TRACKERS)
    assert f["symptom"].to_list() == [4.0, 8.0, None]  # mood is not a symptom
    assert f["crash"].to_list() == [True, None, None]
    assert f["checked_in"].to_list() == [True, True, False]
    assert f["load"].to_list() == [None, None, None]  # nothing known about effort


def test_every_kind_of_effort_counts_and_the_physical_part_is_not_counted_twice() -> None:
    activities = pl.DataFrame(
        {
            "day": [D1, D2],
            "minutes": [60.0, 30.0],
            "physical": [2.0, 0.0],
            "cognitive": [0.0, 3.0],
            "emotional": [0.0, 2.0],
            "social": [1.0, 0.0],
            "posture": ["walking", "sitting"],
        }
    )
    wearable = pl.DataFrame({"day": [D1], "steps": [4000.0]}).with_columns(
        pl.lit(None, dtype=pl.Float64).alias("above_ceiling_min")
    )
    full = wearable_days(_samples([]), boundary=time(4), hr_ceiling=None)
    wearable = pl.concat([full, wearable], how="diagonal_relaxed")
    f = daily_features(D1, D3, activities=activities, wearable=wearable)
    # Day 1: walk 60 min physical 2 = 6 points; watch 4000 steps = 4 points: the larger, once.
    assert f["load_physical"][0] == pytest.approx(6.0)
    assert f["load_social"][0] == pytest.approx(3.0)
    assert f["load"][0] == pytest.approx(9.0)
    assert f["upright_min"][0] == 60.0
    # Day 2: thinking and feelings are load too.
    assert f["load"][1] == pytest.approx(30 / 10 * 3 / 2 + 30 / 10 * 2 / 2)
    assert f["load"][2] is None


def test_day_level_exertion_ratings_from_visible_count_as_load() -> None:
    checkins = pl.DataFrame(
        {"day": [D1, D1], "key": ["mentally_demanding", "physically_active"], "value": [2.0, 1.0]}
    )
    f = daily_features(D1, D1, checkins=checkins, trackers=BUILTIN_TRACKERS)
    assert f["load_cognitive"][0] == 6.0 and f["load_physical"][0] == 3.0
    assert f["load"][0] == 9.0


def test_wearable_days_believe_one_device_and_use_the_local_day() -> None:
    samples = _samples(
        [
            # 02:30 local on day 2 is still day 1 (the day ends at 04:00).
            ("steps", utc(D2, 1, 30), 3000.0, "Zoë's Apple Watch", utc(D2, 1, 40), 60),
            ("steps", utc(D2, 1, 30), 2500.0, "iPhone", utc(D2, 1, 40), 60),
            ("steps", utc(D2, 12), 1000.0, "iPhone", utc(D2, 12, 10), 60),
            ("resting_heart_rate", utc(D2, 7), 62.0, "Zoë's Apple Watch", None, 60),
            ("sleep_deep", utc(D2, 0), 60.0, "Zoë's Apple Watch", utc(D2, 1), 60),
            ("sleep_light", utc(D2, 1), 240.0, "Zoë's Apple Watch", utc(D2, 5), 60),
        ]
    )
    w = wearable_days(samples, boundary=time(4), hr_ceiling=110)
    by_day = {r["day"]: r for r in w.iter_rows(named=True)}
    assert by_day[D1]["steps"] == 3000.0  # watch believed over phone, not 5500
    assert by_day[D2]["steps"] == 1000.0  # a phone-only day still counts
    assert by_day[D2]["rhr"] == 62.0
    assert by_day[D2]["sleep_min"] == 300.0  # the night belongs to the morning it ended
    assert by_day[D1]["rhr"] is None


def test_steps_count_each_minute_once_as_the_history_page_does() -> None:
    # The watch and the phone both saw the morning walk; only the phone saw the evening (the
    # watch was charging). One device per minute: 3000 from the watch + 800 from the phone.
    samples = _samples(
        [
            ("steps", utc(D1, 8), 3000.0, "Zoë's Apple Watch", utc(D1, 8, 30), 60),
            ("steps", utc(D1, 8), 2600.0, "iPhone", utc(D1, 8, 30), 60),
            ("steps", utc(D1, 19), 800.0, "iPhone", utc(D1, 19, 20), 60),
        ]
    )
    w = wearable_days(samples, boundary=time(4), hr_ceiling=None)
    assert w.filter(pl.col("day") == D1)["steps"][0] == 3800.0
    # The history page's split of the same day (Oslo is UTC+1 in March, the samples' offset).
    page = daily_by_source(samples, ZoneInfo("Europe/Oslo"), time(4))
    assert page[D1] == {"Zoë's Apple Watch": 3000.0, "iPhone": 800.0}


def test_daily_totals_stamped_in_utc_land_on_their_local_day() -> None:
    # Importers stamp a day's value at the day's start (04:00 Oslo = 03:00 UTC) with no local
    # offset kept: still that day's, not the evening before. The day's minutes and its total
    # are not added up.
    start = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    rows = [
        ("resting_heart_rate", start, 58.0, "Fitbit", None, 0),
        ("steps", start, 5000.0, "Garmin Connect", None, 0),
        ("steps", utc(D2, 9), 800.0, "iPhone", utc(D2, 9, 10), 60),
    ]
    frame = _samples(rows).with_columns(
        pl.when(pl.col("utc_offset_minutes") == 0)
        .then(pl.lit('{"daily": true}'))
        .otherwise(pl.lit(None))
        .alias("extra")
    )
    w = wearable_days(frame, boundary=time(4), hr_ceiling=None)
    by_day = {r["day"]: r for r in w.iter_rows(named=True)}
    assert by_day[D2]["rhr"] == 58.0 and D1 not in by_day
    assert by_day[D2]["steps"] == 5000.0  # the service's total outranks the phone's minutes


def test_minutes_above_the_ceiling_from_heart_rate() -> None:
    start = utc(D1, 10)
    rows = [
        ("heart_rate", start + timedelta(minutes=m), hr, "Polar H10", None, 0)
        for m, hr in [(0, 90.0), (1, 120.0), (2, 125.0), (3, 100.0), (30, 130.0)]
    ]
    w = wearable_days(_samples(rows), boundary=time(4), hr_ceiling=110)
    row = w.row(0, named=True)
    # 120 and 125 stand for one minute each; the last reading for one minute, not the gap.
    assert row["above_ceiling_min"] == pytest.approx(3.0)
    assert row["zone_far_above_min"] == pytest.approx(1.0)
    f = daily_features(D1, D1, wearable=w)
    assert f["load"][0] is None  # heart rate alone, no steps: no physical points


def test_resting_hr_and_hrv_against_the_personal_baseline() -> None:
    days = [D1 + timedelta(days=i) for i in range(20)]
    w = pl.DataFrame({"day": days, "rhr": [60.0] * 19 + [70.0], "hrv": [50.0] * 19 + [40.0]})
    f = daily_features(days[0], days[-1], wearable=w)
    assert f["rhr_dev"][-1] == pytest.approx(10.0)
    assert f["hrv_dev"][-1] == pytest.approx(-0.2)
    assert f["rhr_dev"][3] is None  # a baseline needs a week


def test_fitbit_zone_minutes_stand_in_for_minutes_above_the_ceiling() -> None:
    rows = [
        ("hr_zone_minutes", utc(D1, 12), m, f"Fitbit ({zone})", None, 0)
        for zone, m in [("below zones", 900.0), ("fat burn", 40.0), ("cardio", 10.0)]
    ]
    rows.append(("steps", utc(D1, 12), 2000.0, "Fitbit", None, 0))
    w = wearable_days(_samples(rows), boundary=time(4), hr_ceiling=110)
    assert w["above_ceiling_min"][0] == 50.0
    f = daily_features(D1, D1, wearable=w)
    assert f["load_physical"][0] == pytest.approx(2.0 + 50 / 5)
