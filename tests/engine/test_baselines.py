"""Each baseline does what its docstring says, on tiny hand-made histories."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from pacekeeper.engine.baselines import (
    AcuteChronicRatio,
    MorningStability,
    Persistence,
    SameDayCorrelation,
    SevenDayMean,
    acute_chronic_ratio,
    banded_risk,
    morning_stability_score,
    quantile_bands,
)
from pacekeeper.engine.forecast import Forecast

START = dt.date(2024, 3, 1)


def frame(**columns: list[float | None] | list[bool | None]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    days = pl.date_range(START, START + dt.timedelta(days=n - 1), eager=True)
    return pl.DataFrame({"day": days, **columns}, schema_overrides={"crash": pl.Boolean})


def test_persistence_carries_the_last_known_symptom() -> None:
    history = frame(symptom=[2.0, 3.0, 7.0, None], crash=[False, False, False, False])
    assert Persistence().forecast(history).symptom_next == 7.0


def test_persistence_risk_is_the_past_rate_in_the_same_state() -> None:
    # crash days 2 and 7; after each non-crash day a crash starts within 3 days or not.
    crash = [False, False, True, False, False, False, False, True, False, False, False, False]
    history = frame(symptom=[1.0] * 12, crash=crash)
    risk = Persistence().forecast(history).crash_risk
    assert risk is not None and 0 < risk < 1
    # same answer as the rule computed by hand from the bands
    bands = np.where(np.array(crash), 2.0, 1.0)  # symptoms all equal: all at the top quarter
    from pacekeeper.engine.forecast import crash_targets

    targets = crash_targets(np.array(crash, dtype=float))
    assert risk == pytest.approx(banded_risk(bands, targets, 1.0))


def test_banded_risk_shrinks_towards_the_overall_rate() -> None:
    bands = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    targets = np.array([1.0, 1.0, 0.0, 0.0, 0.0, np.nan])
    overall = (2 + 0.5) / (5 + 1)
    assert banded_risk(bands, targets, 0.0) == pytest.approx((2 + 2 * overall) / (2 + 2))
    assert banded_risk(bands, targets, 1.0) == pytest.approx((0 + 2 * overall) / (3 + 2))
    assert banded_risk(bands, targets, 5.0) == pytest.approx(overall)  # unseen band
    assert banded_risk(bands, np.full(6, np.nan), 0.0) is None
    # forced to rise with the band: band 0 had more events, so both get the pooled rate
    pooled = banded_risk(bands, targets, 0.0, rising=True)
    assert pooled == pytest.approx(banded_risk(bands, targets, 1.0, rising=True))


def test_seven_day_mean() -> None:
    symptom = [9.0, 1.0, 2.0, 3.0, None, 4.0, 5.0, 6.0]
    forecast = SevenDayMean().forecast(frame(symptom=symptom, crash=[False] * 8))
    assert forecast.symptom_next == pytest.approx((1 + 2 + 3 + 4 + 5 + 6) / 6)


def test_same_day_correlation_uses_todays_load() -> None:
    load = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 20.0]
    symptom = [1.0 + x / 10.0 for x in load[:-1]] + [None]
    forecast = SameDayCorrelation().forecast(frame(load=load, symptom=symptom, crash=[False] * 9))
    assert forecast.symptom_next == pytest.approx(3.0)


def test_same_day_correlation_without_enough_pairs_predicts_the_mean() -> None:
    forecast = SameDayCorrelation().forecast(
        frame(load=[1.0, None, 3.0], symptom=[2.0, 4.0, None], crash=[False, True, False])
    )
    assert forecast.symptom_next == pytest.approx(3.0)


def test_acute_chronic_ratio_by_hand() -> None:
    load = np.array([100.0] * 21 + [200.0] * 7)
    ratio = acute_chronic_ratio(load)
    assert np.isnan(ratio[12])  # under 14 days of chronic load
    assert ratio[20] == pytest.approx(1.0)
    assert ratio[27] == pytest.approx(200.0 / (125.0))


def test_acute_chronic_rule_risk_rises_with_the_ratio() -> None:
    # steady load with a spike every 10 days, and a crash 2 days after each spike
    n = 120
    load = [100.0] * n
    crash = [False] * n
    for start in range(30, n - 5, 10):
        for d in range(start, start + 3):
            load[d] = 400.0
        crash[start + 4] = True
    rule = AcuteChronicRatio()
    spike = rule.forecast(frame(load=load[:103], symptom=[1.0] * 103, crash=crash[:103]))
    calm = rule.forecast(frame(load=load[:99], symptom=[1.0] * 99, crash=crash[:99]))
    assert spike.crash_risk is not None and calm.crash_risk is not None
    assert spike.crash_risk > calm.crash_risk


def test_morning_score_drops_when_resting_hr_rises_and_hrv_falls() -> None:
    rng = np.random.default_rng(0)
    rhr = 60.0 + rng.normal(0, 1, 40)
    hrv = 50.0 + rng.normal(0, 3, 40)
    rhr[-1], hrv[-1] = 70.0, 30.0
    score = morning_stability_score(rhr, hrv)
    assert np.all(np.isnan(score[:14]))  # no 14-day baseline yet
    assert score[-1] == 1.0
    assert np.nanmedian(score[14:-1]) >= 4.0


def test_morning_stability_forecasts_from_the_score_band() -> None:
    n = 60
    rhr = [60.0 + (d % 3) for d in range(n)]
    hrv = [50.0 - (d % 4) for d in range(n)]
    rhr[-1] = 80.0
    symptom = [2.0] * n
    forecast = MorningStability().forecast(
        frame(rhr=rhr, hrv=hrv, symptom=symptom, crash=[False] * n)
    )
    assert forecast.symptom_next == pytest.approx(2.0)
    assert forecast.crash_risk is not None and forecast.crash_risk < 0.1


def test_no_data_gives_no_forecast() -> None:
    empty = frame(symptom=[None, None], crash=[None, None])
    for baseline in (
        Persistence(),
        SevenDayMean(),
        SameDayCorrelation(),
        AcuteChronicRatio(),
        MorningStability(),
    ):
        assert baseline.forecast(empty) == Forecast(None, None)


def test_quantile_bands_keep_unknown_apart() -> None:
    bands = quantile_bands(np.array([1.0, 2.0, 3.0, 4.0, np.nan]))
    assert bands.tolist() == [0.0, 1.0, 2.0, 3.0, -1.0]
