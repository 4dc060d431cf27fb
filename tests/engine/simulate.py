"""Daily frames simulated for the engine's tests: from the model's own equations, and from a
different process (a two-compartment energy reservoir), so recovery is not circular."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from pacekeeper.engine.kernels import gamma_weights

START = date(2024, 1, 1)


def frame(load: np.ndarray, symptom: np.ndarray, **extra: object) -> pl.DataFrame:
    n = len(load)
    days = pl.date_range(START, START + timedelta(days=n - 1), "1d", eager=True)
    data: dict[str, object] = {"day": days, "load": load, "symptom": symptom, **extra}
    return pl.DataFrame(data).with_columns(pl.col("load", "symptom").fill_nan(None))


def loads(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).gamma(2.0, 1.5, n)


def from_model(
    n: int, *, delay: float, scale: float, k: float, phi: float, seed: int = 1, noise: float = 0.6
) -> pl.DataFrame:
    """symptom = b0 + k * (kernel * load) + phi * yesterday + noise (the model's own form)."""
    rng = np.random.default_rng(seed + 100)
    x = loads(n, seed)
    w = gamma_weights(delay, scale)
    y = np.zeros(n)
    base = 1.5
    for t in range(n):
        acute = sum(w[d] * x[t - d] for d in range(len(w)) if t >= d)
        y[t] = base * (1 - phi) + k * acute + phi * (y[t - 1] if t else base) + rng.normal(0, noise)
    return frame(x, np.clip(y, 0, 10))


def from_reservoir(n: int, *, lag_days: int, seed: int = 2) -> pl.DataFrame:
    """A different process: effort drains a hidden reserve `lag_days` later (the body's bill
    arrives late); the reserve refills slowly; symptoms track the shortfall, with noise."""
    rng = np.random.default_rng(seed + 200)
    x = loads(n, seed)
    reserve, y = 10.0, np.zeros(n)
    for t in range(n):
        bill = x[t - lag_days] if t >= lag_days else 0.0
        reserve += 0.25 * (10.0 - reserve) - 0.6 * max(bill - 2.5, 0.0)
        y[t] = 2.0 + 0.5 * (10.0 - reserve) + rng.normal(0, 0.5)
    return frame(x, np.clip(y, 0, 10))
