"""Simple forecasters the PEM model has to beat, each standing for what people use today.

Every baseline sees only the history it is given (rows up to day t) and turns a simple score
into a probability the honest way: the rate of crash onsets in the next days among the
person's *past* days with the same score band, shrunk towards their overall past rate.
Symptom forecasts are either the rule itself (persistence, 7-day mean, regression) or the
mean next-day symptom of past days in the same band.

``walk`` computes each forecast from the history sliced at day t, exactly as ``forecast``
would, so the two agree by construction; it only skips rebuilding the frame.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
import polars as pl

from pacekeeper.engine.forecast import DailyArrays, Forecast, crash_targets, next_day

UNKNOWN_BAND = -1.0
"""Band code of a day whose score is unknown; it gets its own past rate."""

PRIOR_DAYS = 2.0
"""Weight (in days) of the person's overall past rate when a band has few past days."""


def _overall_rate(targets: np.ndarray) -> float | None:
    known = targets[~np.isnan(targets)]
    if len(known) == 0:
        return None
    # Half an event over one day of prior keeps the rate off exactly 0 or 1.
    return float((known.sum() + 0.5) / (len(known) + 1.0))


def band_rates(bands: np.ndarray, targets: np.ndarray) -> dict[float, tuple[float, float]]:
    """For each band seen on days with a known target: (events, days)."""
    known = ~np.isnan(targets)
    out: dict[float, tuple[float, float]] = {}
    for band in np.unique(bands[known]):
        members = known & (bands == band)
        out[float(band)] = (float(targets[members].sum()), float(members.sum()))
    return out


def _pool_adjacent(rates: list[float], weights: list[float]) -> list[float]:
    """Pool-adjacent-violators: the non-decreasing sequence closest to ``rates``."""
    blocks: list[list[float]] = []  # [rate, weight, size]
    for rate, weight in zip(rates, weights, strict=True):
        blocks.append([rate, weight, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            r2, w2, n2 = blocks.pop()
            r1, w1, n1 = blocks.pop()
            total = w1 + w2
            blocks.append([(r1 * w1 + r2 * w2) / total if total else r1, total, n1 + n2])
    out: list[float] = []
    for rate, _weight, size in blocks:
        out.extend([rate] * int(size))
    return out


def banded_risk(
    bands: np.ndarray, targets: np.ndarray, band_now: float, *, rising: bool | None = None
) -> float | None:
    """P(onset in the next days) for today's band from the past days' (bands, targets).

    Each band's rate is shrunk towards the overall rate by ``PRIOR_DAYS``. ``rising=True``
    forces the known bands' rates to rise with the band value (False: to fall), the rule's
    claim; the unknown band is left out of that ordering."""
    overall = _overall_rate(targets)
    if overall is None:
        return None
    stats = band_rates(bands, targets)
    shrunk = {b: (k + PRIOR_DAYS * overall) / (n + PRIOR_DAYS) for b, (k, n) in stats.items()}
    if rising is not None:
        ordered = sorted(b for b in shrunk if b != UNKNOWN_BAND)
        if not rising:
            ordered.reverse()
        fitted = _pool_adjacent([shrunk[b] for b in ordered], [stats[b][1] for b in ordered])
        shrunk.update(zip(ordered, fitted, strict=True))
    return shrunk.get(band_now, overall)


def banded_mean(bands: np.ndarray, values: np.ndarray, band_now: float) -> float | None:
    """Mean of ``values`` (next-day symptoms) over past days in today's band, shrunk towards
    the overall past mean by ``PRIOR_DAYS``."""
    known = ~np.isnan(values)
    if not known.any():
        return None
    overall = float(values[known].mean())
    members = known & (bands == band_now)
    n = float(members.sum())
    return (float(values[members].sum()) + PRIOR_DAYS * overall) / (n + PRIOR_DAYS)


def last_known(values: np.ndarray) -> float | None:
    """The most recent known value, or None."""
    known = np.flatnonzero(~np.isnan(values))
    return float(values[known[-1]]) if len(known) else None


def rolling_mean(values: np.ndarray, window: int, min_known: int) -> np.ndarray:
    """Mean of the known values among days t-window+1..t, NaN with fewer than ``min_known``."""
    known = ~np.isnan(values)
    sums = np.concatenate(([0.0], np.cumsum(np.where(known, values, 0.0))))
    counts = np.concatenate(([0], np.cumsum(known)))
    end = np.arange(1, len(values) + 1)
    start = np.maximum(end - window, 0)
    n = counts[end] - counts[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (sums[end] - sums[start]) / n
    return np.where(n >= min_known, mean, np.nan)


def quantile_bands(
    scores: np.ndarray, quantiles: tuple[float, ...] = (0.25, 0.5, 0.75)
) -> np.ndarray:
    """Band 0..len(quantiles) of each score by the quantiles of the known scores given (the
    past only), UNKNOWN_BAND for NaN scores."""
    known = ~np.isnan(scores)
    bands = np.full(len(scores), UNKNOWN_BAND)
    if known.any():
        edges = np.quantile(scores[known], quantiles)
        bands[known] = np.searchsorted(edges, scores[known], side="right")
    return bands


def _clip_symptom(value: float | None) -> float | None:
    return None if value is None else min(10.0, max(0.0, value))


class ArrayBaseline(ABC):
    """A baseline computed on the history arrays; ``forecast`` and ``walk`` share ``predict``."""

    name: str = ""

    @abstractmethod
    def predict(self, past: DailyArrays) -> Forecast:
        """The forecast after the last day of ``past`` (which holds nothing later)."""

    def forecast(self, history: pl.DataFrame) -> Forecast:
        arrays = DailyArrays.from_frame(history)
        if len(arrays) == 0:
            return Forecast(None, None)
        return self.predict(arrays)

    def walk(self, days: pl.DataFrame, first: int) -> list[Forecast]:
        arrays = DailyArrays.from_frame(days)
        return [self.predict(arrays.upto(t)) for t in range(max(first, 0), len(arrays))]


class Persistence(ArrayBaseline):
    """Tomorrow is like today: symptom = the last known symptom; crash risk from today's state
    (in a crash / symptom in the person's top quarter so far / neither / unknown), calibrated
    on the past. The naive forecast every other model must beat."""

    name = "persistence"

    def predict(self, past: DailyArrays) -> Forecast:
        symptom = past.symptom
        known = symptom[~np.isnan(symptom)]
        high = float(np.quantile(known, 0.75)) if len(known) else np.inf
        bands = np.where(np.isnan(symptom), UNKNOWN_BAND, (symptom >= high).astype(float))
        bands = np.where(past.crash == 1.0, 2.0, bands)
        risk = banded_risk(bands, crash_targets(past.crash), float(bands[-1]))
        return Forecast(last_known(symptom), risk)


class SevenDayMean(ArrayBaseline):
    """The average of the last 7 days (what a weekly summary shows): symptom = mean of the
    known symptoms of the last 7 days (else the last known); crash risk by the quarter of the
    person's past 7-day means that today's mean falls in."""

    name = "mean_7d"

    def predict(self, past: DailyArrays) -> Forecast:
        means = rolling_mean(past.symptom, 7, 1)
        now = float(means[-1])
        symptom = now if not np.isnan(now) else last_known(past.symptom)
        bands = quantile_bands(means)
        risk = banded_risk(bands, crash_targets(past.crash), float(bands[-1]))
        return Forecast(symptom, risk)


MIN_PAIRS = 7
"""Fewest past days with both load and symptom before the same-day regression is fitted."""


class SameDayCorrelation(ArrayBaseline):
    """What Bearable-style trackers show: the same-day link between exertion and symptoms.
    Fits symptom ~ a + b * load by least squares over past days with both known, and predicts
    tomorrow's symptom from today's load; crash risk by the quarter of that fitted value.
    It ignores the delay of PEM, which is the point of comparing with it."""

    name = "same_day_correlation"

    def predict(self, past: DailyArrays) -> Forecast:
        load, symptom = past.load, past.symptom
        pairs = ~np.isnan(load) & ~np.isnan(symptom)
        if pairs.sum() < MIN_PAIRS or np.ptp(load[pairs]) == 0:
            fallback = (
                float(symptom[~np.isnan(symptom)].mean()) if (~np.isnan(symptom)).any() else None
            )
            risk = banded_risk(np.zeros(len(load)), crash_targets(past.crash), 0.0)
            return Forecast(fallback, risk)
        slope, intercept = np.polyfit(load[pairs], symptom[pairs], 1)
        fitted = intercept + slope * load
        now = float(fitted[-1])
        symptom_next = now if not np.isnan(now) else float(symptom[pairs].mean())
        bands = quantile_bands(fitted)
        risk = banded_risk(bands, crash_targets(past.crash), float(bands[-1]))
        return Forecast(_clip_symptom(symptom_next), risk)


ACWR_EDGES = (0.8, 1.3, 1.5)
"""Band edges of the acute:chronic workload ratio as sports science uses them (Gabbett 2016:
under 0.8, a 0.8-1.3 'sweet spot', 1.3-1.5, and a 'danger zone' above 1.5)."""


def acute_chronic_ratio(load: np.ndarray) -> np.ndarray:
    """Mean load of the last 7 days over the mean of the last 28 (each day of it from that
    day's past); NaN with under 4 or 14 known days, or a chronic mean of 0."""
    acute = rolling_mean(load, 7, 4)
    chronic = rolling_mean(load, 28, 14)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(chronic > 0, acute / chronic, np.nan)


class AcuteChronicRatio(ArrayBaseline):
    """The acute:chronic workload ratio rule: risk rises with the 7-day over 28-day load ratio
    (band rates from the past, forced to rise across the ACWR_EDGES bands); symptom = the mean
    next-day symptom of past days in the same band. science.md: a 2020 re-analysis found it
    predicts injury no better than chance, so expect little; it is here to show that."""

    name = "acute_chronic_ratio"

    def predict(self, past: DailyArrays) -> Forecast:
        ratio = acute_chronic_ratio(past.load)
        bands = np.where(
            np.isnan(ratio),
            UNKNOWN_BAND,
            np.searchsorted(ACWR_EDGES, np.nan_to_num(ratio), side="right"),
        ).astype(float)
        now = float(bands[-1])
        risk = banded_risk(bands, crash_targets(past.crash), now, rising=True)
        symptom = banded_mean(bands, next_day(past.symptom), now)
        return Forecast(_clip_symptom(symptom), risk)


BASELINE_DAYS = 90
MIN_BASELINE_DAYS = 14


def _zscores(values: np.ndarray) -> np.ndarray:
    """z of each day against the known values of the previous BASELINE_DAYS days (today
    excluded); NaN with under MIN_BASELINE_DAYS of them or no spread."""
    known = ~np.isnan(values)
    filled = np.where(known, values, 0.0)
    s1 = np.concatenate(([0.0], np.cumsum(filled)))
    s2 = np.concatenate(([0.0], np.cumsum(filled * filled)))
    cnt = np.concatenate(([0], np.cumsum(known)))
    end = np.arange(len(values))  # previous days are start..end-1
    start = np.maximum(end - BASELINE_DAYS, 0)
    n = cnt[end] - cnt[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (s1[end] - s1[start]) / n
        var = (s2[end] - s2[start]) / n - mean * mean
        sd = np.sqrt(np.maximum(var * n / np.maximum(n - 1, 1), 0.0))
        z = (values - mean) / sd
    return np.where((n >= MIN_BASELINE_DAYS) & (sd > 0), z, np.nan)


def morning_stability_score(rhr: np.ndarray, hrv: np.ndarray) -> np.ndarray:
    """A Visible-like 1-5 morning score per day (5 = stable): start at 5 and take 1 point for
    resting HR more than 1 SD above its 90-day baseline (2 points above 2 SD), and the same for
    HRV below its baseline; NaN when neither signal has a z-score that day."""
    z_rhr = _zscores(rhr)
    z_hrv = -_zscores(hrv)  # low HRV is the bad direction
    penalty = np.zeros(len(rhr))
    for z in (z_rhr, z_hrv):
        penalty += np.where(np.nan_to_num(z) > 2, 2.0, np.where(np.nan_to_num(z) > 1, 1.0, 0.0))
    score = np.maximum(5.0 - penalty, 1.0)
    return np.where(np.isnan(z_rhr) & np.isnan(z_hrv), np.nan, score)


class MorningStability(ArrayBaseline):
    """Morning stability as Visible shows it: resting HR and HRV against a 90-day personal
    baseline, as a 1-5 score; crash risk = past onset rate of days with the same score (forced
    to fall as the score rises), symptom = mean next-day symptom of past days with that score.
    Users report the score does not always match how they feel (science.md): one signal."""

    name = "morning_stability"

    def predict(self, past: DailyArrays) -> Forecast:
        score = morning_stability_score(past.rhr, past.hrv)
        bands = np.where(np.isnan(score), UNKNOWN_BAND, score)
        now = float(bands[-1])
        risk = banded_risk(bands, crash_targets(past.crash), now, rising=False)
        symptom = banded_mean(bands, next_day(past.symptom), now)
        return Forecast(_clip_symptom(symptom), risk)


def all_baselines() -> list[ArrayBaseline]:
    """One of each baseline, in the order the reports list them."""
    return [
        Persistence(),
        SevenDayMean(),
        SameDayCorrelation(),
        AcuteChronicRatio(),
        MorningStability(),
    ]
