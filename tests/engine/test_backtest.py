"""The walk-forward backtest: targets, scores, JSON, and above all no look-ahead."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from pacekeeper.engine.backtest import SCHEMA_VERSION, backtest, walk_forecasts
from pacekeeper.engine.baselines import all_baselines
from pacekeeper.engine.forecast import (
    DailyArrays,
    Forecast,
    Forecaster,
    crash_onsets,
    crash_targets,
)
from pacekeeper.errors import ValidationError

START = dt.date(2024, 1, 1)


def daily(n: int, seed: int = 0) -> pl.DataFrame:
    """A person whose symptoms follow load two days later, with crashes and gaps."""
    rng = np.random.default_rng(seed)
    load = rng.gamma(2.0, 50.0, n)
    lagged = np.concatenate(([0.0, 0.0], load[:-2]))
    symptom = np.clip(2.0 + lagged / 40.0 + rng.normal(0, 0.8, n), 0, 10)
    frame = pl.DataFrame(
        {
            "day": pl.date_range(START, START + dt.timedelta(days=n - 1), eager=True),
            "load": load,
            "symptom": symptom,
            "crash": symptom > 5.0,
            "rhr": 60.0 + lagged / 50.0 + rng.normal(0, 2, n),
            "hrv": 45.0 - lagged / 20.0 + rng.normal(0, 4, n),
        }
    )
    gaps = rng.random(n) < 0.1
    return frame.with_columns(
        pl.when(pl.Series(gaps)).then(None).otherwise(pl.col("symptom")).alias("symptom"),
        pl.when(pl.Series(np.roll(gaps, 3))).then(None).otherwise(pl.col("rhr")).alias("rhr"),
    )


class LastLoad:
    """A forecaster without a walk fast path: symptom = yesterday's load scaled."""

    name = "last_load"

    def forecast(self, history: pl.DataFrame) -> Forecast:
        load = history.get_column("load").drop_nulls()
        value = float(load[-1]) / 40.0 if len(load) else None
        return Forecast(value, 0.5 if value is None else min(1.0, value / 10.0))


def close(a: Forecast, b: Forecast) -> bool:
    """Equal forecasts, numbers to 1e-9 relative; None only matches None."""
    pairs = ((a.symptom_next, b.symptom_next), (a.crash_risk, b.crash_risk))
    return all(
        x is y or (x is not None and y is not None and x == pytest.approx(y, rel=1e-9))
        for x, y in pairs
    )


def perturb_after(frame: pl.DataFrame, t: int, seed: int) -> pl.DataFrame:
    """Rows 0..t kept; every later row's values shuffled among themselves and jittered."""
    rng = np.random.default_rng(seed)
    head, tail = frame.slice(0, t + 1), frame.slice(t + 1)
    order = rng.permutation(tail.height)
    shuffled = tail.select(pl.all().exclude("day")).select(pl.all().gather(order))
    shuffled = shuffled.with_columns(
        (pl.col("load") * 3 + 7).alias("load"),
        (10 - pl.col("symptom")).alias("symptom"),
        (~pl.col("crash")).alias("crash"),
    )
    return pl.concat([head, pl.concat([tail.select("day"), shuffled], how="horizontal")])


def _models() -> list[Forecaster]:
    """The PEM model too, once it imports (it is written beside this harness)."""
    try:
        from pacekeeper.engine.pem import PemForecaster
    except ImportError:
        return []
    return [PemForecaster()]


@pytest.mark.parametrize(
    "forecaster", [*all_baselines(), LastLoad(), *_models()], ids=lambda f: f.name
)
def test_forecasts_up_to_day_t_ignore_every_later_row(forecaster: Forecaster) -> None:
    frame = daily(160)
    first = 20
    before = walk_forecasts(forecaster, frame, first)
    for t, seed in ((40, 1), (90, 2), (130, 3)):
        changed = perturb_after(frame, t, seed)
        assert (
            changed.slice(t + 1).get_column("load").to_list()
            != frame.slice(t + 1).get_column("load").to_list()
        )
        after = walk_forecasts(forecaster, changed, first)
        assert after[: t - first + 1] == before[: t - first + 1]
        # the walk is the same as forecasting from each cut history (up to float rounding:
        # a fast path may sum in another order)
        assert close(forecaster.forecast(changed.slice(0, t + 1)), before[t - first])


def test_walk_equals_forecast_for_every_day() -> None:
    frame = daily(70, seed=5)
    for forecaster in all_baselines():
        walked = forecaster.walk(frame, 21)
        assert walked == [forecaster.forecast(frame.slice(0, t + 1)) for t in range(21, 70)]


def test_backtest_scores_a_known_series_by_hand() -> None:
    # symptom 1..8; a crash on days 4-5 (onset day 4); forecasts from t = 2 (min_history 3).
    frame = pl.DataFrame(
        {
            "day": pl.date_range(START, START + dt.timedelta(days=7), eager=True),
            "symptom": [1.0, 2.0, 3.0, None, 5.0, 6.0, 7.0, 8.0],
            "crash": [False, False, False, False, True, True, False, False],
        }
    )

    class Fixed:
        name = "fixed"

        def forecast(self, history: pl.DataFrame) -> Forecast:
            return Forecast(4.0, 0.25)

    result = backtest(frame, [Fixed()], min_history=3).by_name("fixed")
    # symptom targets for t=2..7: day 3..8 -> None, 5, 6, 7, 8, (end) -> |4-5|+..+|4-8| = 10 / 4
    assert result.symptom_n == 4
    assert result.symptom_mae == pytest.approx(2.5)
    # crash targets: t=2 (days 3,4,5 -> onset 4) 1; t=3 (4..6) 1; t=4 (5..7) 0; t=5..7 unknown
    assert result.crash_n == 3
    assert result.crash_onsets == 2
    assert result.crash_brier == pytest.approx((0.75**2 * 2 + 0.25**2) / 3)
    assert result.crash_auroc == 0.5


def test_targets_follow_the_onset_rule() -> None:
    crash = np.array([1.0, 1.0, 0.0, np.nan, 1.0, 0.0, 0.0, 0.0, 1.0])
    onset = crash_onsets(crash)
    assert np.isnan(onset[0])  # may have started before the data
    assert onset[1] == 0.0 and onset[8] == 1.0
    assert onset[4] == 1.0  # the day before is unknown, so not a crash day
    target = crash_targets(crash)
    assert target[1] == 1.0  # day 4 within days 2..4
    assert target[4] == 0.0  # days 5..7 known, no onset
    assert np.isnan(target[0])  # day 3 unknown, no onset seen on days 1..3
    # an onset seen before the data ends settles the target even with days missing after it
    assert target[5] == target[6] == target[7] == 1.0
    assert np.isnan(target[8])


def test_json_has_a_version_and_every_forecaster() -> None:
    result = backtest(daily(120), all_baselines())
    document = json.loads(result.to_json())
    assert document["schema"] == "pacekeeper.backtest"
    assert document["version"] == SCHEMA_VERSION
    assert document["first_forecast_day"] == "2024-01-21"
    names = [f["name"] for f in document["forecasters"]]
    assert names == [f.name for f in all_baselines()]
    for entry in document["forecasters"]:
        crash = entry["crash_onset"]
        assert crash["n"] > 0 and 0 < crash["onsets"] < crash["n"]
        assert 0.0 <= crash["auroc"] <= 1.0
        assert sum(b["count"] for b in crash["calibration"]) == crash["n"]
        assert entry["symptom_next"]["mae"] >= 0


def test_the_true_delayed_model_beats_the_baselines_on_symptoms() -> None:
    frame = daily(200, seed=3)

    class TrueDelay:
        """Knows how daily() makes symptoms: 2 + the load of two days before / 40."""

        name = "true_delay"

        def forecast(self, history: pl.DataFrame) -> Forecast:
            load = DailyArrays.from_frame(history).load
            return Forecast(2.0 + float(load[-2]) / 40.0, None)

    result = backtest(frame, [TrueDelay(), *all_baselines()])
    best = result.by_name("true_delay").symptom_mae
    assert best is not None and best < 0.9  # the noise has sd 0.8
    for baseline in all_baselines():
        other = result.by_name(baseline.name).symptom_mae
        assert other is not None and other > best
    assert result.by_name("true_delay").crash_n == 0  # no risk given, nothing scored


def test_bad_frames_and_arguments_are_refused() -> None:
    frame = daily(30)
    with pytest.raises(ValidationError, match="row 10"):
        backtest(frame.filter(pl.col("day") != START + dt.timedelta(days=10)), all_baselines())
    with pytest.raises(ValidationError, match="min_history"):
        backtest(frame, all_baselines(), min_history=0)
    with pytest.raises(ValidationError, match="repeat"):
        backtest(frame, [*all_baselines(), all_baselines()[0]])
    with pytest.raises(ValidationError, match="'day'"):
        backtest(frame.drop("day"), all_baselines())
