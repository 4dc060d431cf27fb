"""What the model has learned about one person, with intervals, in plain words.

Intervals are 80% intervals from draws of the posterior (kernel, coefficients and noise
together), so they widen honestly when the data are few or contradictory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pacekeeper.engine.kernels import kernel_grid
from pacekeeper.engine.pem import LEVEL_DAYS, Posterior, Walk, prepare

DRAWS = 2000
REFERENCE_LOAD = 10.0  # "a day with 10 more load points than usual" (about 100 busy minutes)
RESPONSE_DAYS = 14
PICTURE_DAYS = 8


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float  # 10th percentile
    high: float  # 90th percentile

    @classmethod
    def of(cls, draws: np.ndarray) -> Estimate:
        lo, mid, hi = np.percentile(draws, [10, 50, 90])
        return cls(float(mid), float(lo), float(hi))

    def to_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class PemSummary:
    days_used: int  # days with a symptom score (and yesterday's) the fit used
    load_effect: bool  # False while no exertion data exist: only baseline and recovery
    delay: Estimate  # days from exertion to the worst of the response
    duration: Estimate  # days the response stays above a quarter of its peak
    peak_rise: Estimate  # symptom points added at the peak by REFERENCE_LOAD extra points
    recovery_half_life: Estimate  # days for half of a symptom rise to fade
    baseline: Estimate  # symptom burden on a usual day
    certainty: str  # "low", "moderate" or "high"
    # Rise on each day after a day REFERENCE_LOAD points busier than usual (day 0 = that day):
    # (10th percentile, median, 90th percentile) per day, for the picture.
    response: tuple[tuple[float, float, float], ...] = ()

    def words(self) -> list[str]:
        """Short sentences for the person (and the clinician report)."""
        if not self.load_effect:
            return [
                "There is no exertion data yet (activities, steps or heart rate), so I cannot "
                "learn how effort affects you. Log activities or import a wearable.",
                f"Your usual symptom level is about {self.baseline.value:.1f} out of 10.",
            ]
        d, dur, rise = self.delay, self.duration, self.peak_rise
        sure = {
            "low": "I am not sure yet: these are early estimates.",
            "moderate": "I am fairly sure, and will get surer with more days.",
            "high": "I am quite sure: this pattern is consistent in your data.",
        }[self.certainty]
        if rise.high <= 0.2:
            effect = "I see no clear rise in symptoms after busier days so far."
        else:
            effect = (
                f"After a busier day (about {REFERENCE_LOAD:.0f} load points above usual) your "
                f"symptoms rise by about {max(rise.value, 0):.1f} points at worst "
                f"(likely {max(rise.low, 0):.1f} to {rise.high:.1f})."
            )
        likely = f" (likely {_days(d.low)} to {_days(d.high)})" if d.high > d.low else ""
        half = self.recovery_half_life.value
        fades = "within a day" if half <= 1 else f"in about {_days(half)}"
        return [
            f"Your symptoms tend to peak {_when(d.value)}{likely}, and the effect lasts about "
            f"{_days(dur.value)}.",
            effect,
            f"Half of a rise fades {fades}.",
            sure + f" Based on {self.days_used} days.",
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "days_used": self.days_used,
            "load_effect": self.load_effect,
            "delay_days": self.delay.to_dict(),
            "duration_days": self.duration.to_dict(),
            "peak_rise_points": self.peak_rise.to_dict(),
            "recovery_half_life_days": self.recovery_half_life.to_dict(),
            "baseline_burden": self.baseline.to_dict(),
            "certainty": self.certainty,
            "response_by_day": [
                {"day": i, "low": lo, "value": mid, "high": hi}
                for i, (lo, mid, hi) in enumerate(self.response)
            ],
            "words": self.words(),
        }


def _when(x: float) -> str:
    return "the same day as the exertion" if x < 0.75 else f"about {_days(x)} after exertion"


def _days(x: float) -> str:
    if x < 0.75:
        return "the same day"
    n = round(x * 2) / 2
    return f"{n:g} day" if n == 1 else f"{n:g} days"


@dataclass(frozen=True)
class Draws:
    kernel: np.ndarray  # (S,) kernel index
    beta: np.ndarray  # (S, P)


def draw(post: Posterior, n: int = DRAWS, seed: int = 0) -> Draws:
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(post.weights), size=n, p=post.weights)
    sigma2 = post.b[idx] / rng.gamma(post.a[idx])
    chol = np.linalg.cholesky(post.cov_unit[idx] + np.eye(post.mean.shape[1]) * 1e-12)
    z = rng.standard_normal((n, post.mean.shape[1]))
    beta = post.mean[idx] + np.sqrt(sigma2)[:, None] * np.einsum("sij,sj->si", chol, z)
    return Draws(idx, beta)


def response(draws: Draws) -> np.ndarray:
    """(S, RESPONSE_DAYS): symptom rise on each following day per load point, with recovery."""
    kernels, _ = kernel_grid()
    w = np.stack([kernels[i].weights[:RESPONSE_DAYS] for i in draws.kernel])
    k, phi = draws.beta[:, 1], np.clip(draws.beta[:, 2], -0.99, 0.99)
    g = np.clip(draws.beta[:, 4], -0.99, 0.99)
    out = np.zeros_like(w)
    for h in range(RESPONSE_DAYS):
        carried = phi * out[:, h - 1] if h else 0.0
        # The week's level (days h-7..h-1) carries a share g of their mean.
        level = out[:, max(0, h - LEVEL_DAYS) : h].sum(axis=1) / LEVEL_DAYS if h else 0.0
        out[:, h] = k * w[:, h] + carried + g * level
    return out


def _half_life(d: Draws, horizon: int = 60) -> np.ndarray:
    phi, g = d.beta[:, 2], d.beta[:, 4]
    path = np.zeros((len(phi), horizon + 1))
    path[:, 0] = 1.0
    for h in range(1, horizon + 1):
        level = path[:, max(0, h - LEVEL_DAYS) : h].sum(axis=1) / LEVEL_DAYS
        path[:, h] = phi * path[:, h - 1] + g * level
    below = path <= 0.5
    first = np.where(below.any(axis=1), below.argmax(axis=1), horizon)
    return first.astype(np.float64)


def summarize(days: pl.DataFrame) -> PemSummary | None:
    """The model's picture of the person from all their days; None with too few check-ins."""
    if days.height == 0:
        return None
    prep = prepare(days)
    last = days.height - 1
    post = Walk(prep, last).posterior(last)
    if post is None:
        return None
    d = draw(post)
    kernels, _ = kernel_grid()
    resp = response(d) * REFERENCE_LOAD
    # The delay the person feels: the worst day of the whole response (kernel and recovery
    # together); where a draw shows no rise at all, the kernel's own peak.
    delay = np.array([kernels[i].delay for i in d.kernel])
    felt = np.where(resp.max(axis=1) > 0, resp.argmax(axis=1).astype(np.float64), delay)
    duration = np.array([kernels[i].duration for i in d.kernel], dtype=np.float64)
    # Recovery: days until a one-point rise is down to half, following the fitted dynamics.
    half_life = _half_life(d)
    persistence = d.beta[:, 2] + d.beta[:, 4]
    baseline = d.beta[:, 0] / np.maximum(1.0 - persistence, 0.05)
    rise = Estimate.of(resp.max(axis=1))
    delay_est = Estimate.of(felt)
    return PemSummary(
        days_used=post.n,
        load_effect=post.load_effect,
        delay=delay_est,
        duration=Estimate.of(duration),
        peak_rise=rise,
        recovery_half_life=Estimate.of(np.clip(half_life, 0.0, 60.0)),
        baseline=Estimate.of(np.clip(baseline, 0.0, 10.0)),
        certainty=_certainty(post, rise, delay_est),
        response=tuple(
            (float(lo), float(mid), float(hi))
            for lo, mid, hi in np.percentile(resp[:, :PICTURE_DAYS], [10, 50, 90], axis=0).T
        ),
    )


def _certainty(post: Posterior, rise: Estimate, delay: Estimate) -> str:
    if not post.load_effect or not post.load_varies or post.n < 21 or rise.low <= 0:
        return "low"
    if post.n >= 60 and delay.high - delay.low <= 1.5 and rise.high < 3 * max(rise.low, 1e-9):
        return "high"
    return "moderate"
