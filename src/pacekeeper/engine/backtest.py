"""Walk-forward backtest: at each day t, every forecaster sees only rows 0..t and forecasts
the next day's symptom burden and a crash onset on days t+1..t+3; the forecasts are then
scored against what happened. Per person, beside the baselines (science.md, "Evaluation")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from pacekeeper.engine.forecast import (
    CRASH_HORIZON_DAYS,
    DailyArrays,
    Forecast,
    Forecaster,
    WalkingForecaster,
    crash_targets,
    next_day,
)
from pacekeeper.engine.metrics import CalibrationBin, auroc, brier, calibration_table, mae
from pacekeeper.errors import ValidationError

SCHEMA = "pacekeeper.backtest"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ForecasterResult:
    """One forecaster's forecasts and scores over the walk.

    ``symptom_predicted`` / ``risk_predicted`` hold one entry per forecast day (NaN: no
    forecast); ``symptom_observed`` / ``crash_observed`` the targets (NaN: unknown). Scores use
    only days where both sides are known."""

    name: str
    symptom_predicted: np.ndarray
    risk_predicted: np.ndarray
    symptom_observed: np.ndarray
    crash_observed: np.ndarray
    symptom_n: int
    symptom_mae: float | None
    crash_n: int
    crash_onsets: int
    crash_auroc: float | None
    crash_brier: float | None
    calibration: list[CalibrationBin] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "symptom_next": {"n": self.symptom_n, "mae": self.symptom_mae},
            "crash_onset": {
                "n": self.crash_n,
                "onsets": self.crash_onsets,
                "auroc": self.crash_auroc,
                "brier": self.crash_brier,
                "calibration": [
                    {
                        "lo": b.lo,
                        "hi": b.hi,
                        "count": b.count,
                        "mean_predicted": b.mean_predicted,
                        "observed_rate": b.observed_rate,
                    }
                    for b in self.calibration
                ],
            },
        }


@dataclass(frozen=True)
class BacktestResult:
    """The walk's span and one ForecasterResult per forecaster, in the order given."""

    days: int
    first_forecast_day: str | None
    last_forecast_day: str | None
    min_history: int
    forecasters: list[ForecasterResult]

    def by_name(self, name: str) -> ForecasterResult:
        for result in self.forecasters:
            if result.name == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "version": SCHEMA_VERSION,
            "days": self.days,
            "first_forecast_day": self.first_forecast_day,
            "last_forecast_day": self.last_forecast_day,
            "min_history": self.min_history,
            "crash_horizon_days": CRASH_HORIZON_DAYS,
            "forecasters": [f.to_dict() for f in self.forecasters],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)


def walk_forecasts(forecaster: Forecaster, days: pl.DataFrame, first: int) -> list[Forecast]:
    """Forecasts for t = first..len(days)-1, each from rows 0..t only (the fast path when the
    forecaster has one)."""
    if isinstance(forecaster, WalkingForecaster):
        out = forecaster.walk(days, first)
        if len(out) != days.height - first:
            raise ValueError(
                f"{forecaster.name}.walk returned {len(out)} forecasts for "
                f"{days.height - first} days"
            )
        return out
    return [forecaster.forecast(days.slice(0, t + 1)) for t in range(first, days.height)]


def _as_float(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _score(
    name: str, forecasts: list[Forecast], symptom_obs: np.ndarray, crash_obs: np.ndarray
) -> ForecasterResult:
    symptom_pred = np.array([_as_float(f.symptom_next) for f in forecasts], dtype=np.float64)
    risk_pred = np.array([_as_float(f.crash_risk) for f in forecasts], dtype=np.float64)
    bad = (risk_pred < 0) | (risk_pred > 1)
    if bad.any():
        raise ValueError(f"{name}: crash_risk {risk_pred[bad][0]} is not a probability")
    s_ok = ~np.isnan(symptom_pred) & ~np.isnan(symptom_obs)
    c_ok = ~np.isnan(risk_pred) & ~np.isnan(crash_obs)
    p, y = risk_pred[c_ok], crash_obs[c_ok] > 0.5
    return ForecasterResult(
        name=name,
        symptom_predicted=symptom_pred,
        risk_predicted=risk_pred,
        symptom_observed=symptom_obs,
        crash_observed=crash_obs,
        symptom_n=int(s_ok.sum()),
        symptom_mae=mae(symptom_pred[s_ok], symptom_obs[s_ok]),
        crash_n=int(c_ok.sum()),
        crash_onsets=int(y.sum()),
        crash_auroc=auroc(p, y),
        crash_brier=brier(p, y),
        calibration=calibration_table(p, y),
    )


def backtest(
    days: pl.DataFrame,
    forecasters: Sequence[Forecaster],
    *,
    min_history: int = 21,
    target: str = "crash",
) -> BacktestResult:
    """Walk forward over ``days`` (a daily frame with a ``crash`` column already labelled):
    forecast at every t with at least ``min_history`` rows of history, score each forecaster
    on next-day symptom (MAE) and crash onset within CRASH_HORIZON_DAYS (AUROC, Brier,
    calibration).

    ``target`` names the column the crash targets are read from; forecasters see the whole
    frame, so when the targets are labelled with hindsight keep them in their own column and
    give forecasters a ``crash`` column judged day by day (engine/evaluate.py does this)."""
    if min_history < 1:
        raise ValidationError.single("min_history", f"must be at least 1, got {min_history}")
    names = [f.name for f in forecasters]
    if len(set(names)) != len(names):
        raise ValidationError.single("forecasters", f"names repeat: {names}")
    arrays = DailyArrays.from_frame(days)
    first = min_history - 1
    symptom_obs = next_day(arrays.symptom)[first:]
    if target not in days.columns:
        raise ValidationError.single("target", f"the daily frame has no {target!r} column")
    labels = days.get_column(target).cast(pl.Float64).to_numpy().astype(np.float64)
    crash_obs = crash_targets(labels)[first:]
    results = [
        _score(f.name, walk_forecasts(f, days, first), symptom_obs, crash_obs) for f in forecasters
    ]
    day = days.get_column("day")
    span = first < days.height
    return BacktestResult(
        days=days.height,
        first_forecast_day=str(day[first]) if span else None,
        last_forecast_day=str(day[-1]) if span else None,
        min_history=min_history,
        forecasters=results,
    )
