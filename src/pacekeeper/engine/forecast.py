"""What a forecaster is: a function from a person's daily history to tomorrow's forecast.

The walk-forward backtest (backtest.py) and the baselines (baselines.py) speak only this
contract, so the PEM model and every baseline are measured the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import polars as pl

from pacekeeper.errors import ValidationError

CRASH_HORIZON_DAYS = 3
"""A crash forecast is about an onset on one of the next 1..3 days (PEM delay, science.md)."""


@dataclass(frozen=True)
class Forecast:
    """A forecast made at the end of the last day of a history.

    ``symptom_next``: predicted symptom burden (0-10) for the next day, None if no guess.
    ``crash_risk``: probability (0..1) that a crash episode starts on one of the next
    ``CRASH_HORIZON_DAYS`` days, None if no guess.
    """

    symptom_next: float | None
    crash_risk: float | None


@runtime_checkable
class Forecaster(Protocol):
    """Anything with a ``name`` and ``forecast(history)``.

    ``history`` is a daily frame (one row per consecutive local day, sorted) holding the rows
    up to and including day t; the forecast is for day t + 1 (and t + 1..t + 3 for crashes).
    A forecaster may also offer ``walk(days, first) -> list[Forecast]`` as a fast path: the
    forecasts for t = first..len(days) - 1, equal to ``forecast(days[: t + 1])`` for each t.
    """

    name: str

    def forecast(self, history: pl.DataFrame) -> Forecast: ...


@runtime_checkable
class WalkingForecaster(Forecaster, Protocol):
    """A forecaster with the optional ``walk`` fast path."""

    def walk(self, days: pl.DataFrame, first: int) -> list[Forecast]: ...


@dataclass(frozen=True)
class DailyArrays:
    """The columns of a daily frame the baselines and the backtest read, as float arrays with
    NaN for unknown (``crash``: 1.0 crash day, 0.0 not, NaN unknown). Slicing ``[: t + 1]``
    gives the history up to day t without copying."""

    load: np.ndarray
    symptom: np.ndarray
    crash: np.ndarray
    rhr: np.ndarray
    hrv: np.ndarray

    def __len__(self) -> int:
        return len(self.symptom)

    def upto(self, t: int) -> DailyArrays:
        """The rows 0..t (views, no copy)."""
        end = t + 1
        return DailyArrays(
            self.load[:end], self.symptom[:end], self.crash[:end], self.rhr[:end], self.hrv[:end]
        )

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> DailyArrays:
        """Check the daily-frame contract (a ``day`` column of consecutive sorted dates) and
        take its columns; an absent optional column reads as all unknown."""
        check_daily_frame(frame)

        def column(name: str) -> np.ndarray:
            if name not in frame.columns:
                return np.full(frame.height, np.nan)
            values = frame.get_column(name).cast(pl.Float64).to_numpy()
            return np.asarray(values, dtype=np.float64)

        return cls(column("load"), column("symptom"), column("crash"), column("rhr"), column("hrv"))


def check_daily_frame(frame: pl.DataFrame) -> None:
    """Raise ValidationError unless ``day`` is a Date column of consecutive, sorted days."""
    if "day" not in frame.columns:
        raise ValidationError.single("day", "the daily frame has no 'day' column")
    day = frame.get_column("day")
    if day.dtype != pl.Date:
        raise ValidationError.single("day", f"expected Date values, got {day.dtype}")
    if day.null_count():
        row = int(day.is_null().arg_true()[0])
        raise ValidationError.single("day", f"row {row}: the day is missing")
    if frame.height > 1:
        steps = day.diff().dt.total_days().to_numpy()[1:]
        bad = np.flatnonzero(steps != 1)
        if len(bad):
            row = int(bad[0]) + 1
            raise ValidationError.single(
                "day",
                f"row {row}: {day[row]} does not follow {day[row - 1]} by one day "
                "(a daily frame has one row per day, sorted, with no gaps)",
            )


def crash_onsets(crash: np.ndarray) -> np.ndarray:
    """1.0 where a crash starts (crash today, and yesterday not a crash day), 0.0 where none
    starts, NaN where unknown. Day 0 crashing is unknown: it may have started before."""
    onset = np.where(np.isnan(crash), np.nan, 0.0)
    today = crash == 1.0
    before = np.concatenate(([np.nan], crash[:-1])) if len(crash) else crash
    onset[today & (before != 1.0)] = 1.0
    if len(crash) and today[0]:
        onset[0] = np.nan
    return onset


def crash_targets(crash: np.ndarray, horizon: int = CRASH_HORIZON_DAYS) -> np.ndarray:
    """For each day t: 1.0 when a crash starts on one of days t+1..t+horizon, 0.0 when all of
    those days are known and none is an onset, NaN otherwise (also past the end of the data).
    Computed from ``crash`` alone, so on a history up to day T it only uses what is known at T.
    """
    onset = crash_onsets(crash)
    n = len(onset)
    target = np.full(n, np.nan)
    if n == 0:
        return target
    padded = np.concatenate((onset, np.full(horizon, np.nan)))
    window = np.stack([padded[k : k + n] for k in range(1, horizon + 1)])
    any_onset = np.any(window == 1.0, axis=0)
    all_known = np.all(~np.isnan(window), axis=0)
    target[all_known] = 0.0
    target[any_onset] = 1.0
    return target


def next_day(values: np.ndarray) -> np.ndarray:
    """values shifted one day earlier: element t holds day t+1's value (NaN at the end)."""
    return np.concatenate((values[1:], [np.nan])) if len(values) else values
