"""Recalibrating the model's crash risk on the person's own past (Platt scaling).

The model's raw risk ranks days well but its level depends on assumptions (normal errors,
independent days) that real check-ins break. So, every week, the current fit is replayed over
the person's past days, its raw risks are compared with the crash onsets that followed, and a
two-number correction logit(p) = a + b * logit(raw) is fitted, with priors that keep it near
no correction (a ~ N(0, 1.5^2), b ~ N(1, 0.5^2)) until the past holds enough onsets. Only days
whose three-day window has ended by the calibration day are used: no look-ahead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit, logit, ndtr

from pacekeeper.engine.forecast import CRASH_HORIZON_DAYS, crash_targets

if TYPE_CHECKING:
    from pacekeeper.engine.pem import Posterior, Prepared

PRIOR_A = (0.0, 1.5)
PRIOR_B = (1.0, 0.5)
MIN_DAYS = 14
NEWTON_STEPS = 12
EPS = 1e-4

Platt = tuple[float, float]
IDENTITY: Platt = (0.0, 1.0)


def raw_risks(prep: Prepared, post: Posterior, upto: int) -> np.ndarray:
    """The raw crash risk the posterior gives each day 0..upto (NaN where it cannot)."""
    from pacekeeper.engine.pem import HORIZON

    s = slice(0, upto + 1)
    b0, k, phi, c, g = (post.mean[:, i] for i in range(post.mean.shape[1]))
    y = prep.y[s]
    level = np.where(np.isfinite(prep.level_next[s]), prep.level_next[s], y)
    sd_noise = np.sqrt(post.noise_var)
    prev = y[:, None] * np.ones_like(b0)
    thr = prep.threshold[s][:, None]
    none_yet = np.ones_like(prev)
    below = np.where(prep.in_crash[s], 0.0, 1.0)[:, None]
    risk = np.zeros_like(prev)
    carried = np.zeros_like(b0)
    for h in range(HORIZON):
        mu = (
            b0
            + k * prep.future[h, s]
            + phi * prev
            + (c * prep.chronic_next[s][:, None])
            + g * level[:, None]
        )
        carried = carried * phi**2 + 1.0
        p_h = 1.0 - ndtr((thr - mu) / (sd_noise * np.sqrt(carried)))
        risk += none_yet * below * p_h
        none_yet *= 1.0 - p_h
        below = 1.0 - p_h
        prev = mu
    out = risk @ post.weights
    return np.where(np.isfinite(y) & np.isfinite(prep.threshold[s]), out, np.nan)


def fit_platt(raw: np.ndarray, target: np.ndarray) -> Platt:
    ok = np.isfinite(raw) & np.isfinite(target)
    if ok.sum() < MIN_DAYS:
        return IDENTITY
    x = logit(np.clip(raw[ok], EPS, 1 - EPS))
    t = target[ok]
    theta = np.array([PRIOR_A[0], PRIOR_B[0]])
    prior_mean = theta.copy()
    prior_prec = np.diag([1 / PRIOR_A[1] ** 2, 1 / PRIOR_B[1] ** 2])
    design = np.stack([np.ones_like(x), x], axis=1)
    for _ in range(NEWTON_STEPS):
        p = expit(design @ theta)
        grad = design.T @ (t - p) - prior_prec @ (theta - prior_mean)
        hess = (design * (p * (1 - p))[:, None]).T @ design + prior_prec
        theta = theta + np.linalg.solve(hess, grad)
    return float(theta[0]), float(theta[1])


def calibrate_at(prep: Prepared, post: Posterior | None, c: int) -> Platt:
    """The correction fitted at day c from days whose outcome is known by day c."""
    if post is None:
        return IDENTITY
    raw = raw_risks(prep, post, c)
    target = crash_targets(prep.crash_seen[: c + 1])
    usable = len(raw) - CRASH_HORIZON_DAYS
    if usable <= 0:
        return IDENTITY
    return fit_platt(raw[:usable], target[:usable])


def apply(platt: Platt, risk: float | None) -> float | None:
    if risk is None:
        return None
    a, b = platt
    return float(expit(a + b * logit(min(max(risk, EPS), 1 - EPS))))
