"""The energy envelope: the most load today that keeps the predicted symptom burden of today and
the next two days (72 h) under the person's own flare threshold, and what is left of it.

For each posterior draw the model's prediction is linear in today's load, so the largest safe
load has a closed form per draw; the spread over draws is the interval. The figure offered is
the draws' lower quartile (`SAFE_QUANTILE`): when unsure, err toward rest. When the data show no
harm from load at all, the envelope is capped at what the person has done on days that were not
followed by a crash (their 90th percentile), never "unlimited".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from pacekeeper.engine.kernels import kernel_grid
from pacekeeper.engine.pem import HORIZON, P, Walk, prepare
from pacekeeper.engine.summary import draw

SAFE_QUANTILE = 25
CAP_QUANTILE = 90
CAP_DAYS = 90


@dataclass(frozen=True)
class Envelope:
    day: date  # the day the envelope is for ("today")
    safe_load: float  # load points
    low: float  # 10th percentile over the posterior
    high: float  # 90th percentile
    threshold: float  # the flare threshold it keeps under
    usual_load: float  # the person's usual day, for scale
    used: float  # load so far today
    reason: str  # "model", "over_threshold" (rest today) or "no_harm_seen" (capped)

    @property
    def left(self) -> float:
        return max(self.safe_load - self.used, 0.0)

    @property
    def share_of_usual(self) -> float | None:
        return self.safe_load / self.usual_load if self.usual_load > 0 else None

    def words(self) -> str:
        if self.reason == "over_threshold":
            return (
                "Your symptoms are predicted to stay at flare level even on a quiet day: "
                "rest is the plan today."
            )
        usual = self.share_of_usual
        scale = f" (about {usual:.0%} of a usual day)" if usual is not None else ""
        tail = (
            " You have not had a crash after days like this; the limit is what you have "
            "managed before."
            if self.reason == "no_harm_seen"
            else ""
        )
        return (
            f"Up to about {self.safe_load:.0f} load points today{scale} should keep the next "
            f"three days under your flare level. {self.left:.0f} left.{tail}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "safe_load": self.safe_load,
            "low": self.low,
            "high": self.high,
            "threshold": self.threshold,
            "usual_load": self.usual_load,
            "used": self.used,
            "left": self.left,
            "reason": self.reason,
            "words": self.words(),
        }


def _cap(days: pl.DataFrame) -> float:
    """The 90th percentile of the last 90 known loads on days with no crash within 3 days."""
    recent = days.tail(CAP_DAYS)
    crash = (
        recent["crash"].fill_null(False)
        if "crash" in recent.columns
        else pl.Series([False] * recent.height)
    )
    ahead = pl.DataFrame({"c": crash}).select(
        pl.col("c").shift(-1).fill_null(False)
        | pl.col("c").shift(-2).fill_null(False)
        | pl.col("c").shift(-3).fill_null(False)
    )["c"]
    loads = recent["load"].filter(~ahead & recent["load"].is_not_null())
    if loads.is_empty():
        loads = recent["load"].drop_nulls()
    q = loads.quantile(CAP_QUANTILE / 100) if not loads.is_empty() else None
    return float(q) if q is not None else 0.0


def energy_envelope(days: pl.DataFrame, used_today: float = 0.0) -> Envelope | None:
    """The envelope for the day after the last row of `days` (the history up to yesterday).

    None until the model has enough days (see `pem.MIN_ROWS`) or while no load is known.
    """
    if days.height == 0 or days["load"].drop_nulls().is_empty():
        return None
    prep = prepare(days)
    t = days.height - 1
    post = Walk(prep, t).posterior(t)
    yesterday = prep.y[t]
    if post is None or not post.load_effect or not np.isfinite(yesterday):
        return None
    thr = float(prep.threshold[t]) if np.isfinite(prep.threshold[t]) else 10.0
    usual = float(prep.typical[t])
    cap = max(_cap(days), usual)
    d = draw(post, seed=1)
    kernels, _ = kernel_grid()
    w = np.stack([kernels[i].weights for i in d.kernel])
    b0, k, phi, c, g = (d.beta[:, i] for i in range(P))
    level = prep.level_next[t] if np.isfinite(prep.level_next[t]) else yesterday
    # Predicted burden on day t+1+h = alpha_h + gamma_h * x (x = today's load).
    alpha_prev = np.full(len(b0), yesterday)
    gamma_prev = np.zeros(len(b0))
    limit = np.full(len(b0), np.inf)
    for h in range(HORIZON):
        usual_part = prep.future[h, t][d.kernel] - w[:, h] * usual  # today counted separately
        alpha = b0 + k * usual_part + phi * alpha_prev + c * prep.chronic_next[t] + g * level
        gamma = k * w[:, h] + phi * gamma_prev
        with np.errstate(divide="ignore", invalid="ignore"):
            bound = np.where(gamma > 1e-9, (thr - alpha) / gamma, np.inf)
        bound = np.where((gamma <= 1e-9) & (alpha > thr), -np.inf, bound)
        limit = np.minimum(limit, bound)
        alpha_prev, gamma_prev = alpha, gamma
    limit = np.clip(limit, 0.0, cap)
    safe = float(np.percentile(limit, SAFE_QUANTILE))
    lo, hi = (float(v) for v in np.percentile(limit, [10, 90]))
    reason = "model"
    if safe <= 0.0:
        reason = "over_threshold"
    elif np.mean(limit >= cap) > 1 - SAFE_QUANTILE / 100:
        reason = "no_harm_seen"
    last_day: date = days["day"][-1]
    return Envelope(
        day=last_day + timedelta(days=1),
        safe_load=safe,
        low=lo,
        high=hi,
        threshold=thr,
        usual_load=usual,
        used=used_today,
        reason=reason,
    )
