"""Empirical-Bayes moderated statistics for small cohorts (the approach of limma, Smyth 2004).

Each feature's residual variance s^2 (on d degrees of freedom) is shrunk toward a common prior
s0^2 carried by d0 prior degrees of freedom, both estimated from all features at once:

    s~^2 = (d0 s0^2 + d s^2) / (d0 + d),    t~ = estimate / (s~ sqrt(v)),    df = d + d0.

d0 and s0^2 come from matching the first two moments of log s^2, whose distribution under the
scaled chi-square model has mean log s0^2 + digamma(d/2) - log(d/2) and variance
trigamma(d0/2) + trigamma(d/2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from pacekeeper.omics.linear import Contrast

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Prior:
    d0: float
    s0_sq: float


def estimate_prior(s2: F64, df: F64) -> Prior:
    ok = np.isfinite(s2) & (s2 > 0) & np.isfinite(df) & (df > 0)
    s2, df = s2[ok], df[ok]
    if s2.size < 3:
        return Prior(0.0, float(np.nanmean(s2)) if s2.size else 1.0)
    e = np.log(s2) - special.digamma(df / 2) + np.log(df / 2)
    e_mean = float(e.mean())
    excess = float(e.var(ddof=1) - special.polygamma(1, df / 2).mean())
    if excess <= 0:
        # Variances no more spread than sampling alone explains: full shrinkage.
        return Prior(np.inf, float(np.exp(e_mean)))
    d0 = 2.0 * _trigamma_inverse(excess)
    s0_sq = float(np.exp(e_mean + special.digamma(d0 / 2) - np.log(d0 / 2)))
    return Prior(d0, s0_sq)


def _trigamma_inverse(x: float) -> float:
    """y with trigamma(y) = x, by Newton's method on 1/trigamma (Smyth's scheme)."""
    if x > 1e7:
        return 1.0 / float(np.sqrt(x))
    if x < 1e-6:
        return 1.0 / x
    y = 0.5 + 1.0 / x
    for _ in range(50):
        tri = float(special.polygamma(1, y))
        step = tri * (1 - tri / x) / float(special.polygamma(2, y))
        y += step
        if -step / y < 1e-8:
            break
    return float(y)


def moderate(c: Contrast, prior: Prior) -> Contrast:
    """The same contrast with its variance shrunk toward the prior."""
    s2 = c.sigma**2
    if np.isinf(prior.d0):
        post = np.full_like(s2, prior.s0_sq)
        df = np.full_like(c.df, np.inf)
    else:
        post = (prior.d0 * prior.s0_sq + c.df * s2) / (prior.d0 + c.df)
        df = c.df + prior.d0
    with np.errstate(divide="ignore", invalid="ignore"):
        se = c.se * np.sqrt(post / s2)
    return Contrast(c.name + " (moderated)", c.estimate, se, df, np.sqrt(post))
