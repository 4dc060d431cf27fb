"""Delayed response kernels: how one day's exertion spreads over the following days' symptoms.

A kernel is a discretised gamma density g(d) = d^(a-1) e^(-d/theta) / (Gamma(a) theta^a), whose
mode (a-1) theta is the delay to the peak and whose scale theta sets how long it lasts
(science.md, "Models"). The model does not pick one kernel: it weighs a grid of them by how
well each explains the person's history, starting from the priors below.

Priors on the delay to the peak (science.md, "Post-exertional malaise"): PEM typically worsens
12-48 h after the exertion (NICE NG206 1.2; CDC), onset is mostly within 0-2 days with real mass
to about 5 days (Stussman et al. 2020; Chu et al. 2018), and recovery can take one to several
weeks after a two-day CPET (Moore et al. 2023). So most prior weight sits on peaks at 1-2 days,
less on the same day and on 3-6 days; the duration grid reaches weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.stats import gamma as gamma_dist

LAGS = 22  # days 0..21: long enough for a three-week tail
DELAYS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)  # days from exertion to peak
DELAY_PRIOR = (0.05, 0.10, 0.18, 0.18, 0.18, 0.15, 0.09, 0.07)
SCALES = (0.5, 1.0, 2.0, 4.0)  # gamma scale theta in days: short to long-lasting
PEAK_SHARE = (
    0.25  # a day counts toward the duration while the kernel is above this share of its peak
)


@dataclass(frozen=True)
class Kernel:
    delay: float  # days from the exertion to the peak response
    scale: float
    weights: np.ndarray  # length LAGS, sums to 1; weights[d] = share felt d days later

    @property
    def duration(self) -> int:
        """Days the response stays above PEAK_SHARE of its peak."""
        return int((self.weights >= PEAK_SHARE * self.weights.max()).sum())


def gamma_weights(delay: float, scale: float, lags: int = LAGS) -> np.ndarray:
    shape = delay / scale + 1.0
    # Day 0 covers the rest of the exertion's own day (0 to 0.5), day d covers d-0.5 to d+0.5.
    edges = np.concatenate([[0.0], np.arange(lags) + 0.5])
    w = np.diff(gamma_dist.cdf(edges, shape, scale=scale))
    return np.asarray(w / w.sum(), dtype=np.float64)


@cache
def kernel_grid() -> tuple[tuple[Kernel, ...], np.ndarray]:
    """Every (delay, scale) kernel and its prior weight (sums to 1)."""
    kernels: list[Kernel] = []
    prior: list[float] = []
    for delay, p in zip(DELAYS, DELAY_PRIOR, strict=True):
        for scale in SCALES:
            kernels.append(Kernel(delay, scale, gamma_weights(delay, scale)))
            prior.append(p / len(SCALES))
    weights = np.asarray(prior)
    return tuple(kernels), weights / weights.sum()


def kernel_matrix() -> np.ndarray:
    """(K, LAGS) array of the grid's weights."""
    kernels, _ = kernel_grid()
    return np.stack([k.weights for k in kernels])
