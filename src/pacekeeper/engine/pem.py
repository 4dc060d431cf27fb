"""The per-person delayed-PEM model, fitted walking forward through the days.

    symptom[t] = b0 + k * sum_d w(d) load[t-d] + phi * symptom[t-1] + c * chronic[t]
                 + g * level[t] + noise

- w is a delayed response kernel (`kernels.py`): the share of a day's exertion felt d days later;
- k, the sensitivity: symptom points added per load point, summed over the kernel;
- phi, recovery: how much of today's excess is still there tomorrow (slow recovery);
- chronic: the exponentially weighted load of the past weeks (half-life 21 days), for slow
  effects of a sustained level (deconditioning or cumulative strain; its sign is learned);
- level: the mean burden of the previous week, so a baseline that drifts over months (a better
  season, a relapse) is followed rather than averaged away; g is its weight;
- b0 with phi and g gives the personal baseline b0 / (1 - phi - g).

Fit: for every kernel of the grid, Bayesian linear regression with a normal-inverse-gamma prior
(shrinkage toward population priors: k > 0 small, phi about 0.5, c about 0), scaled to the
person's own spread of load so the prior means the same for every device; kernels are weighed
by their marginal likelihood times the literature prior on the delay. Predictions average over
kernels, so every estimate carries the uncertainty of the delay as well. Sufficient statistics
are cumulative sums, so a walk-forward over years refits every day in well under a second, and
day t's fit uses only rows up to t (no look-ahead by construction).

A missing load is read as the person's usual load (median of the previous 28 known days),
never as zero; rows before the first known load (plus a week) are not used to learn k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.special import gammaln, ndtr

from pacekeeper.engine.calibration import Platt, calibrate_at
from pacekeeper.engine.calibration import apply as apply_platt
from pacekeeper.engine.forecast import Forecast
from pacekeeper.engine.kernels import LAGS, kernel_grid, kernel_matrix

P = 5  # coefficients: intercept, acute (kernel) load, yesterday's symptom, chronic load, level
LEVEL_DAYS = 7  # the recent level: mean burden of the previous week
TYPICAL_DAYS = 28
CHRONIC_HALF_LIFE = 21.0
WARM_UP_DAYS = 7  # days after the first known load before rows inform the load effect
MIN_ROWS = 7  # fitted rows before any forecast is given
HORIZON = 3  # crash risk looks at the next three days
MARGIN_MIN, MARGIN_MAX, THRESHOLD_MAX = 1.5, 3.0, 9.5  # flare threshold bounds (points)
MIN_LOAD_SD = 0.5  # load points: below this spread the load effect is not identifiable
CALIBRATE_EVERY = 7  # days between recalibrations of the crash risk
MAX_UNSEEN = 3  # days without a check-in the model bridges with its own predictions
# Priors, in units of the person's own spread (standard deviations) where scales differ.
PRIOR_PHI = (0.5, 0.25)  # mean, sd
PRIOR_K_STD = (0.3, 0.5)  # symptom points per SD of kernel-weighted load
PRIOR_C_STD = (0.0, 0.3)
PRIOR_LEVEL = (0.2, 0.3)
PRIOR_B0_SD = 5.0
NOISE_A0, NOISE_B0 = 2.0, 1.0  # inverse-gamma prior on the noise variance (about 1 point)


@dataclass(frozen=True)
class Prepared:
    """Everything the walk needs, computed once with causal operations only."""

    y: np.ndarray  # symptom, nan where missing
    ybar_known: np.ndarray  # bool: y known
    x_fill: np.ndarray  # load, missing read as usual
    typical: np.ndarray  # usual load known at the end of day t (median of the last 28 known)
    acute: np.ndarray  # (T, K) kernel-weighted load up to and including day t
    future: np.ndarray  # (H, T, K): kernel-weighted load on day t+h if days t+1.. are usual
    chronic: np.ndarray  # (T,) chronic load before day t
    chronic_next: np.ndarray  # (T,) chronic load before day t+1
    level_next: np.ndarray  # (T,) mean burden of days t-6..t (the level for day t+1)
    threshold: np.ndarray  # (T,) flare threshold known at the end of day t
    in_crash: np.ndarray  # (T,) bool: day t is a crash day (ticked, or burden over threshold)
    crash_seen: np.ndarray  # (T,) the `crash` column as 1.0 / 0.0 / NaN (unknown)
    use_all: np.ndarray  # (T,) bool: no load known yet, fit without the load effect
    design: np.ndarray  # (T, K, P) regressors of each day under each kernel
    load_rows: np.ndarray  # (T,) bool: rows that inform the load effect
    all_rows: np.ndarray  # (T,) bool: rows usable before any load is known


def _column(days: pl.DataFrame, name: str) -> np.ndarray:
    if name not in days.columns:
        return np.full(days.height, np.nan)
    return days[name].cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)


def flare_threshold(days: pl.DataFrame) -> pl.Series:
    """The symptom burden above which a day counts as a flare, as known at the end of each day.

    The person's own level: the median burden of the previous 28 days plus a margin of 1.5
    robust standard deviations (MAD x 1.4826) of the previous 90 days, kept between 1.5 and 3
    points, and never above 9.5 on the 0-10 scale; once the person has ticked crashes, their
    mean burden on those days pulls it toward what a crash is for them (weighted as three
    ticks' worth of the rule).
    """
    y = pl.col("symptom")
    past = y.shift(1)
    median28 = past.rolling_median(28, min_samples=5)
    med90 = past.rolling_median(90, min_samples=7)
    mad90 = (past - med90).abs().rolling_median(90, min_samples=7) * 1.4826
    margin = (1.5 * mad90.fill_null(1.0)).clip(MARGIN_MIN, MARGIN_MAX)
    rule = pl.min_horizontal(median28 + margin, pl.lit(THRESHOLD_MAX))
    ticked = pl.col("crash").fill_null(False) & y.is_not_null() if "crash" in days.columns else None
    if ticked is None:
        return days.select(rule.alias("threshold"))["threshold"]
    n = ticked.cast(pl.Float64).cum_sum()
    total = pl.when(ticked).then(y).otherwise(0.0).cum_sum()
    blended = (total + 3.0 * rule) / (n + 3.0)
    return days.select(blended.alias("threshold"))["threshold"]


def _kernel_load(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(T, K): sum over d of weights[k, d] * x[t - d], days before the start read as x[0]."""
    t = len(x)
    padded = np.concatenate([np.full(weights.shape[1], x[0] if t else 0.0), x])
    out = np.zeros((t, weights.shape[0]))
    for d in range(weights.shape[1]):
        out += np.outer(padded[weights.shape[1] - d : weights.shape[1] - d + t], weights[:, d])
    return out


Stats = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def running_stats(prep: Prepared, rows: np.ndarray, start: int) -> Stats:
    """X'X (K,P,P), X'y (K,P), y'y and n over the marked rows up to each day t >= start,
    stacked along a first axis of length T - start. Rows before start are summed once."""
    m = rows.astype(np.float64)
    y = np.where(rows, prep.y, 0.0)
    x = prep.design * m[:, None, None]
    head = (
        np.einsum("tki,tkj->kij", x[:start], prep.design[:start]),
        np.einsum("tki,t->ki", x[:start], y[:start]),
        float(y[:start] @ y[:start]),
        float(m[:start].sum()),
    )
    tail = slice(start, None)
    xtx = head[0] + np.cumsum(np.einsum("tki,tkj->tkij", x[tail], prep.design[tail]), axis=0)
    xty = head[1] + np.cumsum(x[tail] * y[tail, None, None], axis=0)
    return xtx, xty, head[2] + np.cumsum(y[tail] ** 2), head[3] + np.cumsum(m[tail])


def prepare(days: pl.DataFrame) -> Prepared:
    weights = kernel_matrix()
    t_len = days.height
    y = _column(days, "symptom")
    load = _column(days, "load")
    known_load = np.isfinite(load)
    # Known loads only: the median of the last 28 known values, carried over unknown days.
    typical = _known_median(load, TYPICAL_DAYS)
    before = np.concatenate([[0.0], typical[:-1]]) if t_len else typical
    x_fill = np.where(known_load, load, before)
    acute = _kernel_load(x_fill, weights)
    future = np.stack([_shifted_future(x_fill, typical, weights, h) for h in range(1, HORIZON + 1)])
    chronic_next = _ewma(x_fill, CHRONIC_HALF_LIFE)
    chronic = np.concatenate([[chronic_next[0] if t_len else 0.0], chronic_next[:-1]])
    prev = np.concatenate([[np.nan], y[:-1]])
    level_next = _recent_mean(y, prev_fallback=y)
    level = np.concatenate([[np.nan], level_next[:-1]])
    rows = np.isfinite(y) & np.isfinite(prev)
    first_known = int(np.argmax(known_load)) if known_load.any() else t_len
    idx = np.arange(t_len)
    load_rows = rows & (idx >= first_known + WARM_UP_DAYS)
    design = np.empty((t_len, weights.shape[0], P))
    design[:, :, 0] = 1.0
    design[:, :, 1] = acute
    design[:, :, 2] = np.where(np.isfinite(prev), prev, 0.0)[:, None]
    design[:, :, 3] = chronic[:, None]
    design[:, :, 4] = np.where(np.isfinite(level), level, design[:, 0, 2])[:, None]
    threshold = flare_threshold(days).fill_null(np.nan).to_numpy().astype(np.float64)
    ticked = (
        days["crash"].fill_null(False).to_numpy().astype(bool)
        if "crash" in days.columns
        else np.zeros(t_len, dtype=bool)
    )
    in_crash = ticked | (np.isfinite(y) & np.isfinite(threshold) & (y >= threshold))
    return Prepared(
        y=y,
        ybar_known=np.isfinite(y),
        x_fill=x_fill,
        typical=typical,
        acute=acute,
        future=future,
        chronic=chronic,
        chronic_next=chronic_next,
        level_next=level_next,
        threshold=threshold,
        in_crash=in_crash,
        crash_seen=_column(days, "crash"),
        use_all=idx < first_known + WARM_UP_DAYS,
        design=design,
        load_rows=load_rows,
        all_rows=rows,
    )


def _recent_mean(y: np.ndarray, prev_fallback: np.ndarray) -> np.ndarray:
    """Mean of the known burdens of days t-6..t (at least two), else day t's own value."""
    mean = (
        pl.Series(y)
        .fill_nan(None)
        .rolling_mean(LEVEL_DAYS, min_samples=2)
        .fill_null(np.nan)
        .to_numpy()
        .astype(np.float64)
    )
    return np.where(np.isfinite(mean), mean, prev_fallback)


def _known_median(load: np.ndarray, window: int) -> np.ndarray:
    known = pl.Series(load[np.isfinite(load)])
    med = known.rolling_median(window, min_samples=1).to_numpy()
    positions = np.cumsum(np.isfinite(load)) - 1  # index into known values, -1 before any
    return np.where(positions >= 0, med[np.maximum(positions, 0)] if len(med) else 0.0, 0.0)


def _shifted_future(
    x_fill: np.ndarray, typical: np.ndarray, weights: np.ndarray, h: int
) -> np.ndarray:
    """Kernel-weighted load on day t+h, if days t+1..t+h carry the usual load of day t."""
    past = _kernel_load(x_fill, weights[:, h:]) if h < weights.shape[1] else 0.0
    usual = weights[:, :h].sum(axis=1)
    return np.asarray(past + np.outer(typical, usual))


def _ewma(x: np.ndarray, half_life: float) -> np.ndarray:
    if not len(x):
        return x
    alpha = 1.0 - 0.5 ** (1.0 / half_life)
    return pl.Series(x).ewm_mean(alpha=alpha, adjust=True).to_numpy().astype(np.float64)


@dataclass(frozen=True)
class Posterior:
    """Per-kernel posterior at one day: the model state from which everything is predicted."""

    weights: np.ndarray  # (K,) posterior weight of each kernel
    mean: np.ndarray  # (K, P)
    cov_unit: np.ndarray  # (K, P, P): inverse posterior precision (times noise variance)
    a: np.ndarray  # (K,) inverse-gamma shape
    b: np.ndarray  # (K,) inverse-gamma scale
    n: int  # rows fitted
    load_effect: bool  # False while no load is known: k stays at its prior
    load_varies: bool  # False when load barely changed: the data cannot tell its effect

    @property
    def noise_var(self) -> np.ndarray:
        return self.b / (self.a - 1.0)


class Walk:
    """Posteriors day by day from `start` on, from running sums (each day costs the same)."""

    def __init__(self, prep: Prepared, start: int) -> None:
        self.prep, self.start = prep, start
        self._load = running_stats(prep, prep.load_rows, start)
        self._all = running_stats(prep, prep.all_rows, start)

    def posterior(self, t: int) -> Posterior | None:
        i = t - self.start
        use_all = bool(self.prep.use_all[t])
        xtx, xty, yty, n = self._all if use_all else self._load
        return posterior_from(xtx[i], xty[i], float(yty[i]), int(n[i]), use_all)


def _spread(var: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """A standard deviation for scaling priors, floored so that steady load (every day alike)
    does not turn a small prior into a huge one: at least a tenth of the mean, or one point."""
    floor = np.maximum(0.1 * np.abs(mean), 1.0)
    return np.asarray(np.maximum(np.sqrt(np.maximum(var, 0.0)), floor), dtype=np.float64)


def posterior_from(
    xtx_t: np.ndarray, xty_t: np.ndarray, yty_t: float, n_t: int, use_all: bool
) -> Posterior | None:
    """The posterior from one day's sufficient statistics, or None with too few rows."""
    if n_t < MIN_ROWS:
        return None
    k_count = xtx_t.shape[0]
    mean_a = xtx_t[:, 0, 1] / n_t
    var_a = xtx_t[:, 1, 1] / n_t - mean_a**2
    sd_a = _spread(var_a, mean_a)
    mean_c = xtx_t[:, 0, 3] / n_t
    sd_c = _spread(xtx_t[:, 3, 3] / n_t - mean_c**2, mean_c)
    ybar = xty_t[:, 0] / n_t
    m0 = np.zeros((k_count, P))
    m0[:, 0] = ybar * (1.0 - PRIOR_PHI[0] - PRIOR_LEVEL[0])
    m0[:, 1] = 0.0 if use_all else PRIOR_K_STD[0] / sd_a
    m0[:, 2] = PRIOR_PHI[0]
    m0[:, 3] = PRIOR_C_STD[0] / sd_c
    m0[:, 4] = PRIOR_LEVEL[0]
    prec0 = np.zeros((k_count, P, P))
    prec0[:, 0, 0] = 1.0 / PRIOR_B0_SD**2
    prec0[:, 1, 1] = (sd_a / PRIOR_K_STD[1]) ** 2 * (1e6 if use_all else 1.0)
    prec0[:, 2, 2] = 1.0 / PRIOR_PHI[1] ** 2
    prec0[:, 3, 3] = (sd_c / PRIOR_C_STD[1]) ** 2
    prec0[:, 4, 4] = 1.0 / PRIOR_LEVEL[1] ** 2
    prec_n = prec0 + xtx_t
    rhs = np.einsum("kij,kj->ki", prec0, m0) + xty_t
    mean = np.linalg.solve(prec_n, rhs[..., None])[..., 0]
    quad_n = np.einsum("ki,kij,kj->k", mean, prec_n, mean)
    quad_0 = np.einsum("ki,kij,kj->k", m0, prec0, m0)
    a_n = NOISE_A0 + n_t / 2.0
    b_n = NOISE_B0 + 0.5 * np.maximum(yty_t + quad_0 - quad_n, 1e-9)
    _, logdet0 = np.linalg.slogdet(prec0)
    _, logdet_n = np.linalg.slogdet(prec_n)
    log_ml = (
        0.5 * (logdet0 - logdet_n)
        + NOISE_A0 * np.log(NOISE_B0)
        - a_n * np.log(b_n)
        + gammaln(a_n)
        - gammaln(NOISE_A0)
    )
    _, prior = kernel_grid()
    logw = np.log(prior) + (0.0 if use_all else log_ml)
    w = np.exp(logw - logw.max())
    return Posterior(
        weights=w / w.sum(),
        mean=mean,
        cov_unit=np.linalg.inv(prec_n),
        a=np.full(k_count, a_n),
        b=b_n,
        n=n_t,
        load_effect=not use_all,
        load_varies=bool(np.median(var_a) >= MIN_LOAD_SD**2),
    )


@dataclass(frozen=True)
class Outlook:
    """Predicted symptom burden for days t+1..t+H (per kernel), if those days are usual."""

    mean: np.ndarray  # (H, K)
    var: np.ndarray  # (H, K)
    weights: np.ndarray  # (K,)

    def mixture_mean(self, h: int = 0) -> float:
        return float(self.weights @ self.mean[h])

    def prob_above(self, threshold: float) -> np.ndarray:
        """(H,) probability that day t+1+h is at or above the threshold."""
        z = (threshold - self.mean) / np.sqrt(self.var)
        return np.asarray((1.0 - ndtr(z)) @ self.weights)


def outlook(prep: Prepared, post: Posterior, t: int, today: float) -> Outlook:
    """Roll the model forward from day t, whose symptom burden is `today` (known or predicted)."""
    means, variances = [], []
    prev = np.full(post.mean.shape[0], today)
    b0, k, phi, c, g = (post.mean[:, i] for i in range(P))
    level = prep.level_next[t] if np.isfinite(prep.level_next[t]) else today
    noise = post.noise_var
    carried = np.zeros_like(noise)
    for h in range(HORIZON):
        chronic = np.full_like(prev, prep.chronic_next[t])
        row = np.stack(
            [np.ones_like(prev), prep.future[h, t], prev, chronic, np.full_like(prev, level)],
            axis=1,
        )
        mu = b0 + k * prep.future[h, t] + phi * prev + c * chronic + g * level
        param = np.einsum("ki,kij,kj->k", row, post.cov_unit, row) * noise
        carried = carried * phi**2 + noise
        means.append(mu)
        variances.append(carried + param)
        prev = mu
    return Outlook(np.stack(means), np.stack(variances), post.weights)


def crash_risk(prep: Prepared, look: Outlook, t: int) -> float | None:
    """P(a crash starts on day t+1, t+2 or t+3): the first of those days at or over the flare
    threshold, after a day under it."""
    thr = prep.threshold[t]
    if not np.isfinite(thr):
        return None
    p = look.prob_above(float(thr))
    below = 0.0 if prep.in_crash[t] else 1.0  # a crash already running does not "start"
    risk, none_yet = 0.0, 1.0
    for p_h in p:
        risk += none_yet * below * p_h
        none_yet *= 1.0 - p_h
        below = 1.0 - p_h
    return float(min(max(risk, 0.0), 1.0))


class PemForecaster:
    """The model as a `Forecaster` for the backtest: refits every day on the past only."""

    name = "pem"

    def forecast(self, history: pl.DataFrame) -> Forecast:
        if history.height == 0:
            return Forecast(None, None)
        return self.walk(history, history.height - 1)[-1]

    def walk(self, days: pl.DataFrame, first: int) -> list[Forecast]:
        prep = prepare(days)
        # A forecast needs the state at t, and at earlier days back to the last known symptom
        # when days in between have no check-in (their burden is the model's own prediction).
        known = np.flatnonzero(prep.ybar_known[: first + 1])
        start = int(known[-1]) if len(known) else first
        # Crash risks are recalibrated weekly, at days c = 0, 7, 14, ...: see calibration.py.
        start = max(0, min(start, first - first % CALIBRATE_EVERY))
        walk = Walk(prep, start)
        platts: dict[int, Platt] = {}
        out: list[Forecast] = []
        expected = np.nan  # mixture prediction for day t made at t-1
        unseen = 0  # days since the last check-in
        for t in range(start, days.height):
            unseen = 0 if prep.ybar_known[t] else unseen + 1
            needed = t >= first or (t + 1 < days.height and not prep.ybar_known[t + 1])
            today = prep.y[t] if prep.ybar_known[t] else expected
            if unseen > MAX_UNSEEN:
                today = np.nan
            post = walk.posterior(t) if needed and np.isfinite(today) else None
            if post is None:
                expected = np.nan
                if t >= first:
                    out.append(Forecast(None, None))
                continue
            look = outlook(prep, post, t, float(today))
            expected = look.mixture_mean(0)
            if t >= first:
                c = t - t % CALIBRATE_EVERY
                if c not in platts:
                    platts[c] = calibrate_at(prep, walk.posterior(c), c)
                risk = apply_platt(platts[c], crash_risk(prep, look, t))
                out.append(Forecast(float(np.clip(expected, 0.0, 10.0)), risk))
        return out


__all__ = [
    "LAGS",
    "Outlook",
    "PemForecaster",
    "Posterior",
    "Prepared",
    "Walk",
    "crash_risk",
    "flare_threshold",
    "outlook",
    "posterior_from",
    "prepare",
]
