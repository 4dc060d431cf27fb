"""Scores for forecasts: AUROC, Brier score, a calibration table and mean absolute error.

Plain NumPy (no scikit-learn). Inputs are paired sequences of predictions and outcomes; the
caller drops pairs where either side is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata


def _as_arrays(
    predicted: Sequence[float], observed: Sequence[float] | Sequence[bool]
) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(predicted, dtype=np.float64)
    y = np.asarray(observed, dtype=np.float64)
    if p.shape != y.shape or p.ndim != 1:
        raise ValueError(f"predicted and observed differ in shape: {p.shape} vs {y.shape}")
    return p, y


def auroc(scores: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the chance that a random positive day scores above a random
    negative day, ties counting one half (Mann-Whitney U over average ranks).

    None when there is no positive or no negative outcome: the area is then undefined.
    """
    s, y = _as_arrays(scores, outcomes)
    positives = y > 0.5
    n_pos = int(positives.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = rankdata(s)  # average ranks: tied scores share their mean rank
    u = float(ranks[positives].sum()) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)


def brier(probabilities: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Mean squared difference between predicted probability and outcome (0 or 1); lower is
    better. None for no pairs."""
    p, y = _as_arrays(probabilities, outcomes)
    if len(p) == 0:
        return None
    return float(np.mean((p - y) ** 2))


def mae(predicted: Sequence[float], observed: Sequence[float]) -> float | None:
    """Mean absolute error; None for no pairs."""
    p, y = _as_arrays(predicted, observed)
    if len(p) == 0:
        return None
    return float(np.mean(np.abs(p - y)))


@dataclass(frozen=True)
class CalibrationBin:
    """One band of predicted risk [lo, hi): how many forecasts fell in it, their mean, and how
    often the event then happened."""

    lo: float
    hi: float
    count: int
    mean_predicted: float
    observed_rate: float


def calibration_table(
    probabilities: Sequence[float], outcomes: Sequence[bool], bins: int = 10
) -> list[CalibrationBin]:
    """Equal-width bins over 0..1 (the last one closed at 1); empty bins are left out."""
    if bins < 1:
        raise ValueError("bins must be at least 1")
    p, y = _as_arrays(probabilities, outcomes)
    index = np.clip((p * bins).astype(np.int64), 0, bins - 1)
    table: list[CalibrationBin] = []
    for b in range(bins):
        members = index == b
        count = int(members.sum())
        if count == 0:
            continue
        table.append(
            CalibrationBin(
                lo=b / bins,
                hi=(b + 1) / bins,
                count=count,
                mean_predicted=float(p[members].mean()),
                observed_rate=float(y[members].mean()),
            )
        )
    return table
