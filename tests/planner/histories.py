"""Simulated daily histories for the planner's rules (in the style of tests/engine/simulate.py)."""

from __future__ import annotations

import numpy as np
import polars as pl

from tests.engine.simulate import frame


def steady(n: int = 90, seed: int = 3, load: float = 6.0) -> pl.DataFrame:
    """Even days: the same load give or take a little, symptoms flat."""
    rng = np.random.default_rng(seed)
    x = np.full(n, load) + rng.normal(0, 0.8, n)
    y = np.full(n, 3.0) + rng.normal(0, 0.4, n)
    return frame(x, np.clip(y, 0, 10))


def boom_bust(n: int = 90, seed: int = 3) -> pl.DataFrame:
    """A slightly lighter usual day, but every 12 days a big one followed two days later by a
    three-day flare."""
    rng = np.random.default_rng(seed)
    x = np.full(n, 5.0) + rng.normal(0, 0.8, n)
    y = np.full(n, 3.0) + rng.normal(0, 0.4, n)
    for s in range(10, n - 4, 12):
        x[s] = 14.0
        y[s + 2 : s + 5] += [4.0, 4.5, 3.0]
    return frame(x, np.clip(y, 0, 10))


def improving(n: int = 84, seed: int = 5) -> pl.DataFrame:
    """Steady load that slowly rises while symptoms fall, with no crash: a stable improvement."""
    rng = np.random.default_rng(seed)
    x = np.linspace(5.0, 6.0, n) + rng.normal(0, 0.3, n)
    y = np.linspace(4.5, 2.5, n) + rng.normal(0, 0.2, n)
    return frame(x, np.clip(y, 0, 10))
