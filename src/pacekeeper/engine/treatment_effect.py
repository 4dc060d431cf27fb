"""Before and after a treatment change, against the trend that was already there.

An interrupted time series (segmented regression) on one daily outcome around an event day t0
(a start, a stop or a dose change). With t the day's offset from t0:

- before window: t in [-BEFORE_DAYS, -1]; fit  y_t = a + b t + e_t  by least squares;
- after window: t in [WASH_IN_DAYS, WASH_IN_DAYS + AFTER_DAYS - 1]; the first days are skipped
  because most treatments take days to act (and a first week of side effects or extra care is
  common), so averaging them in would blur a real change;
- effect = mean over after days of (y_t - (a + b t)): observed minus what the earlier trend
  predicted. The naive difference (mean after - mean before) is reported beside it, and their
  gap is the part the earlier trend explains.

Days are autocorrelated (a bad day follows a bad day), so the interval uses an AR(1) error:
corr(e_s, e_t) = rho^|s - t| by calendar day, which also handles missing days. The effect is a
linear combination w'y of the used days, so Var(effect) = s^2 w'Rw exactly, with s^2 pooled from
the before residuals and the after deviations (divided by their expected share under that
correlation, tr((I - H) R), not by n - 3), and rho from their lag-1 pairs plus a small-sample
bias correction of (2 + 4 rho) / n (Kendall's (1 + 3 rho) / n is for a fitted mean; a fitted
trend biases rho further down; the tests' simulations check the coverage), kept in [0, 0.95]
(a negative estimate is read as 0, which never narrows the interval). Intervals are 80%, like
engine/summary.py, from a t distribution on n_before + n_after - 3 degrees of freedom. The
details and sources are in docs/treatments.md.

Refused below MIN_BEFORE days with a value before and MIN_AFTER after. Flags: another change
inside the windows (confounded), and a crash in the CRASH_GAP_DAYS before t0 (regression to the
mean: a low point is usually followed by some recovery anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import polars as pl
from scipy import stats

LEVEL = 0.80
BEFORE_DAYS = 42
MIN_BEFORE = 14
WASH_IN_DAYS = 7
AFTER_DAYS = 28
MIN_AFTER = 7
CRASH_GAP_DAYS = 14
RHO_MAX = 0.95


@dataclass(frozen=True)
class Windows:
    before_days: int = BEFORE_DAYS
    min_before: int = MIN_BEFORE
    wash_in_days: int = WASH_IN_DAYS
    after_days: int = AFTER_DAYS
    min_after: int = MIN_AFTER

    def before(self, t0: date) -> tuple[date, date]:
        return t0 - timedelta(days=self.before_days), t0 - timedelta(days=1)

    def after(self, t0: date) -> tuple[date, date]:
        first = t0 + timedelta(days=self.wash_in_days)
        return first, first + timedelta(days=self.after_days - 1)


DEFAULT_WINDOWS = Windows()


@dataclass(frozen=True)
class Effect:
    column: str
    event_day: date
    n_before: int
    n_after: int
    enough: bool
    effect: float = float("nan")  # observed after minus projected after
    low: float = float("nan")
    high: float = float("nan")
    naive: float = float("nan")  # mean after minus mean before
    level: float = float("nan")  # a: the earlier trend's value on t0
    slope: float = float("nan")  # b: per day
    rho: float = float("nan")
    confounders: tuple[tuple[date, str], ...] = ()
    crash_before: bool = False
    points: tuple[tuple[int, float], ...] = ()  # (t, y) of the used days, before then after
    band: tuple[tuple[int, float, float, float], ...] = field(default=())  # (t, line, low, high)

    @property
    def explained_by_trend(self) -> float:
        return self.naive - self.effect

    @property
    def clear(self) -> bool:
        """The interval leaves out zero."""
        return self.enough and (self.low > 0 or self.high < 0)


def _offsets(frame: pl.DataFrame, column: str, t0: date) -> tuple[np.ndarray, np.ndarray]:
    rows = frame.select("day", pl.col(column).cast(pl.Float64)).drop_nulls().sort("day")
    t = np.array([(d - t0).days for d in rows["day"].to_list()], dtype=np.int64)
    y = np.asarray(rows[column].to_numpy(), dtype=np.float64)
    keep = np.isfinite(y)
    return t[keep], y[keep]


def _ar1(residuals: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float]:
    """(sum of squares, rho) from residual runs (t, r): lag-1 pairs only where both days have a
    value."""
    ss = sum(float(np.sum(r**2)) for _, r in residuals)
    n = sum(len(r) for _, r in residuals)
    num, pairs = 0.0, 0
    for t, r in residuals:
        nxt = np.isin(t + 1, t)
        idx = np.searchsorted(t, t[nxt] + 1)
        num += float(np.sum(r[nxt] * r[idx]))
        pairs += int(nxt.sum())
    rho = (num / pairs) / (ss / n) if pairs and ss > 0 else 0.0
    rho += (2 + 4 * rho) / n
    return ss, float(np.clip(rho, 0.0, RHO_MAX))


def _residual_dof(x: np.ndarray, corr: np.ndarray) -> float:
    """E[sum of squared residuals] / s^2 for a least-squares fit on x under correlated errors:
    tr((I - H) R). With independent days this is n - columns; correlated residuals are smaller
    than the errors, and dividing by this undoes that."""
    hat = x @ np.linalg.pinv(x.T @ x) @ x.T
    return float(np.trace(corr) - np.trace(hat @ corr))


def before_after(
    frame: pl.DataFrame,
    column: str,
    event_day: date,
    *,
    windows: Windows = DEFAULT_WINDOWS,
    others: Sequence[tuple[date, str]] = (),
    crash_days: Sequence[date] = (),
) -> Effect:
    """The trend-adjusted before/after of `column` of a daily frame around `event_day` (see the
    module doc). `others`: other treatment changes (day, words) to check for confounding, the
    event itself left out;
    `crash_days`: days the person had a crash."""
    w = windows
    t_all, y_all = _offsets(frame, column, event_day)
    before = (t_all >= -w.before_days) & (t_all <= -1)
    last_after = w.wash_in_days + w.after_days - 1
    after = (t_all >= w.wash_in_days) & (t_all <= last_after)
    tb, yb, ta, ya = t_all[before], y_all[before], t_all[after], y_all[after]
    span = (event_day - timedelta(days=w.before_days), event_day + timedelta(days=last_after))
    confounders = tuple((d, words) for d, words in sorted(others) if span[0] <= d <= span[1])
    gap = event_day - timedelta(days=CRASH_GAP_DAYS)
    crash_before = any(gap <= d < event_day for d in crash_days)
    base = Effect(column, event_day, len(tb), len(ta), False, confounders=confounders,
                  crash_before=crash_before)  # fmt: skip
    if len(tb) < w.min_before or len(ta) < w.min_after or np.ptp(tb) == 0:
        return base
    xb = np.column_stack([np.ones(len(tb)), tb.astype(float)])
    xtx_inv = np.linalg.inv(xb.T @ xb)
    beta = xtx_inv @ xb.T @ yb
    gaps = ya - (beta[0] + beta[1] * ta)
    effect = float(gaps.mean())
    df = len(tb) + len(ta) - 3
    ss, rho = _ar1([(tb, yb - xb @ beta), (ta, gaps - effect)])
    # effect = w'y: after days weigh 1/n_a; before days -X_b (X'X)^-1 xbar_a through the fit.
    xbar = np.array([1.0, float(ta.mean())])
    t_used = np.concatenate([tb, ta])
    weights = np.concatenate([-(xb @ xtx_inv @ xbar), np.full(len(ta), 1.0 / len(ta))])
    corr = rho ** np.abs(t_used[:, None] - t_used[None, :]).astype(float)
    nb = len(tb)
    dof = _residual_dof(xb, corr[:nb, :nb]) + _residual_dof(np.ones((len(ta), 1)), corr[nb:, nb:])
    s2 = ss / max(dof, 1.0)
    se = float(np.sqrt(s2 * weights @ corr @ weights))
    q = float(stats.t.ppf(0.5 + LEVEL / 2, df))
    # The earlier trend's line with its band (uncertainty of the line, not of single days).
    corr_b = corr[:nb, :nb]
    grid = np.arange(int(tb.min()), last_after + 1)
    g = np.column_stack([np.ones(len(grid)), grid.astype(float)]) @ xtx_inv @ xb.T
    line_se = np.sqrt(np.maximum(s2 * np.einsum("ij,jk,ik->i", g, corr_b, g), 0.0))
    line = beta[0] + beta[1] * grid
    return Effect(
        column, event_day, len(tb), len(ta), True,
        effect=effect, low=effect - q * se, high=effect + q * se,
        naive=float(ya.mean() - yb.mean()), level=float(beta[0]), slope=float(beta[1]), rho=rho,
        confounders=confounders, crash_before=crash_before,
        points=tuple(zip(t_used.tolist(), np.concatenate([yb, ya]).tolist(), strict=True)),
        band=tuple(
            (int(t), float(m), float(m - q * e), float(m + q * e))
            for t, m, e in zip(grid, line, line_se, strict=True)
        ),
    )  # fmt: skip
