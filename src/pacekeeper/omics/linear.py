"""Per-feature linear models fitted for all features at once, and contrasts of their estimates.

Every feature shares the design, so ordinary least squares is one QR-free solve of the normal
equations for the whole matrix. Features with missing values are fitted one by one on the
samples they have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

F64 = NDArray[np.float64]


@dataclass
class Fit:
    """Estimates for F features and p coefficients.

    cov_unscaled[f] times sigma2[f] is the covariance of coef[f]. df is the residual degrees
    of freedom for each feature (ordinary least squares) or per coefficient (mixed models:
    df_coef, shape (F, p)).
    """

    coef: F64  # (F, p)
    cov_unscaled: F64  # (F, p, p)
    sigma2: F64  # (F,)
    df_coef: F64  # (F, p)
    columns: list[str]
    tau2: F64 | None = None  # random-intercept variance, mixed models only


@dataclass
class Contrast:
    """One tested quantity per feature: an estimate, its standard error and the t reference."""

    name: str
    estimate: F64
    se: F64
    df: F64
    sigma: F64  # residual SD, to express the estimate as a standardised effect

    def t(self) -> F64:
        with np.errstate(divide="ignore", invalid="ignore"):
            out: F64 = self.estimate / self.se
        return out

    def p(self) -> F64:
        out: F64 = 2.0 * stats.t.sf(np.abs(self.t()), self.df)
        return out

    def ci(self, level: float = 0.95) -> tuple[F64, F64]:
        half = stats.t.ppf(0.5 + level / 2.0, self.df) * self.se
        return self.estimate - half, self.estimate + half


def fit_ols(y: F64, x: F64, columns: list[str]) -> Fit:
    """y: (F, n) responses, x: (n, p) design."""
    n_feat, n = y.shape
    p = x.shape[1]
    coef = np.full((n_feat, p), np.nan)
    cov = np.full((n_feat, p, p), np.nan)
    sigma2 = np.full(n_feat, np.nan)
    df = np.full(n_feat, np.nan)
    complete = ~np.isnan(y).any(axis=1)
    if complete.any():
        xtx_inv = _pinv_full_rank(x)
        if xtx_inv is not None:
            yc = y[complete]
            b = yc @ x @ xtx_inv  # (F, p); xtx_inv is symmetric
            resid = yc - b @ x.T
            d = n - p
            coef[complete] = b
            cov[complete] = xtx_inv
            sigma2[complete] = (resid**2).sum(axis=1) / d if d > 0 else np.nan
            df[complete] = d
    for f in np.flatnonzero(~complete):
        ok = ~np.isnan(y[f])
        xi = x[ok]
        inv = _pinv_full_rank(xi)
        d = int(ok.sum()) - p
        if inv is None or d <= 0:
            continue
        b = inv @ (xi.T @ y[f, ok])
        coef[f], cov[f] = b, inv
        sigma2[f] = float(((y[f, ok] - xi @ b) ** 2).sum()) / d
        df[f] = d
    return Fit(coef, cov, sigma2, np.repeat(df[:, None], p, axis=1), columns)


def _pinv_full_rank(x: F64) -> F64 | None:
    """(X'X)^-1, or None when the design is rank-deficient (e.g. a level with no samples)."""
    xtx = x.T @ x
    if np.linalg.matrix_rank(xtx) < x.shape[1]:
        return None
    inv = np.linalg.inv(xtx)
    return np.asarray(inv, dtype=np.float64)


def contrast(fit: Fit, name: str, weights: dict[str, float]) -> Contrast:
    """Linear combination sum(w_j * coef_j) with its standard error, for every feature."""
    w = np.zeros(len(fit.columns))
    for col, val in weights.items():
        w[fit.columns.index(col)] = val
    est = fit.coef @ w
    var = np.einsum("p,fpq,q->f", w, fit.cov_unscaled, w) * fit.sigma2
    # A feature with (numerically) no residual variation, e.g. constant after imputation,
    # would give an infinite t; it has nothing to test.
    scale = 1.0 + np.abs(fit.coef).max(axis=1) ** 2
    var = np.where(fit.sigma2 <= 1e-20 * scale, np.nan, var)
    used = w != 0
    # A combination is only as well-determined as its least-determined part.
    df = fit.df_coef[:, used].min(axis=1)
    with np.errstate(invalid="ignore"):
        return Contrast(name, est, np.sqrt(var), df, np.sqrt(fit.sigma2))
