"""Linear mixed models with a random intercept per subject, fitted by REML for all features.

Model for one feature: y = X b + Z u + e, u ~ N(0, tau2 I) per subject, e ~ N(0, sigma2 I).
With g = tau2 / sigma2, V = sigma2 (I + g Z Z'). Within subject i (n_i samples) the map
z -> z - c_i mean_i(z), c_i = 1 - 1/sqrt(1 + n_i g), whitens V, so every quantity the REML
likelihood needs is a correction of the ordinary cross-products by per-subject sums:

    A(g)  = X'X - sum_i k_i Sx_i Sx_i',   k_i = g / (1 + n_i g)
    b(g)  = X'y - sum_i k_i Sx_i Sy_i,     r(g) = y'y - sum_i k_i Sy_i^2
    beta  = A^-1 b,   RSS = r - b' beta,   sigma2 = RSS / (n - p)
    -2 REML(g) = (n - p) log sigma2 + sum_i log(1 + n_i g) + log det A + const.

(Sx_i, Sy_i: sums of X rows and y over subject i.) The profile is maximised over log g by a
grid and then golden-section search, for all features in parallel; g = 0 is allowed (the
boundary). Degrees of freedom follow the between-within rule: coefficients constant within
every subject get (subjects - between-subject columns), the rest (n - subjects - within
columns).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pacekeeper.omics.linear import Fit

F64 = NDArray[np.float64]
_GRID = np.linspace(-9.0, 7.0, 17)  # log g: from nearly no subject effect to a dominant one
_GOLDEN_STEPS = 28


class _Stats:
    def __init__(self, y: F64, x: F64, subj: NDArray[np.intp], n_subj: int) -> None:
        self.n, self.p = x.shape
        self.counts = np.bincount(subj, minlength=n_subj).astype(np.float64)  # (s,)
        onehot = np.zeros((n_subj, self.n))
        onehot[subj, np.arange(self.n)] = 1.0
        self.sx = onehot @ x  # (s, p)
        self.sy = onehot @ y.T  # (s, F)
        self.xtx = x.T @ x
        self.xty = (y @ x).T  # (p, F)
        self.yty = (y**2).sum(axis=1)
        self.sxx = np.einsum("sp,sq->spq", self.sx, self.sx).reshape(n_subj, -1)  # (s, p*p)
        self.sxy = self.sx[:, :, None] * self.sy[:, None, :]  # (s, p, F)
        self.sy2 = self.sy**2

    def profile(self, log_g: F64) -> tuple[F64, F64, F64, F64]:
        """-2 REML (up to a constant), beta, A^-1 and sigma2 for one log g per feature."""
        g = np.exp(log_g)  # (F,); exp(-inf) = 0 is the boundary
        k = g[None, :] / (1.0 + self.counts[:, None] * g[None, :])  # (s, F)
        p = self.p
        a = self.xtx[None] - (k.T @ self.sxx).reshape(-1, p, p)
        b = self.xty.T - np.einsum("sf,spf->fp", k, self.sxy)
        r = self.yty - (k * self.sy2).sum(axis=0)
        a_inv = np.linalg.inv(a)
        beta = np.einsum("fpq,fq->fp", a_inv, b)
        rss = np.maximum(r - (b * beta).sum(axis=1), 1e-300)
        d = self.n - p
        _, logdet = np.linalg.slogdet(a)
        logdet_v = np.log1p(self.counts[:, None] * g[None, :]).sum(axis=0)
        neg2 = d * np.log(rss / d) + logdet_v + logdet
        return neg2, beta, a_inv, rss / d


def fit_lmm(y: F64, x: F64, subjects: list[str], columns: list[str]) -> Fit:
    """y: (F, n), x: (n, p), subjects: one label per sample. Missing values: fitted per feature."""
    n_feat = y.shape[0]
    p = x.shape[1]
    out = Fit(
        np.full((n_feat, p), np.nan),
        np.full((n_feat, p, p), np.nan),
        np.full(n_feat, np.nan),
        np.full((n_feat, p), np.nan),
        columns,
        np.full(n_feat, np.nan),
    )
    complete = ~np.isnan(y).any(axis=1)
    batches: list[tuple[NDArray[np.intp], NDArray[np.bool_]]] = []
    if complete.any():
        batches.append((np.flatnonzero(complete), np.ones(y.shape[1], dtype=bool)))
    batches += [(np.array([f]), ~np.isnan(y[f])) for f in np.flatnonzero(~complete)]
    labels = np.asarray(subjects)
    for feats, ok in batches:
        xs = x[ok]
        if ok.sum() <= p + 1 or np.linalg.matrix_rank(xs) < p:
            continue
        _, subj = np.unique(labels[ok], return_inverse=True)
        _fit_block(y[np.ix_(feats, np.flatnonzero(ok))], xs, subj.astype(np.intp), feats, out)
    return out


def _fit_block(y: F64, x: F64, subj: NDArray[np.intp], feats: NDArray[np.intp], out: Fit) -> None:
    n_subj = int(subj.max()) + 1
    st = _Stats(y, x, subj, n_subj)
    n_feat = y.shape[0]
    # Grid over log g, plus the boundary g = 0.
    best = np.full(n_feat, np.inf)
    best_lg = np.full(n_feat, -np.inf)
    for lg in [-np.inf, *_GRID]:
        val = st.profile(np.full(n_feat, lg))[0]
        better = val < best
        best[better], best_lg[better] = val[better], lg
    # Golden-section refinement around the best grid point (one grid step each side).
    step = _GRID[1] - _GRID[0]
    centre = np.where(np.isinf(best_lg), _GRID[0], best_lg)
    lo, hi = centre - step, centre + step
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    c = hi - ratio * (hi - lo)
    d = lo + ratio * (hi - lo)
    fc, fd = st.profile(c)[0], st.profile(d)[0]
    for _ in range(_GOLDEN_STEPS):
        # Keep the better half; of the two inner points one carries over, so each step
        # evaluates a single new point per feature.
        left = fc < fd
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        fresh = np.where(left, hi - ratio * (hi - lo), lo + ratio * (hi - lo))
        f_fresh = st.profile(fresh)[0]
        c, d, fc, fd = (
            np.where(left, fresh, d),
            np.where(left, c, fresh),
            np.where(left, f_fresh, fd),
            np.where(left, fc, f_fresh),
        )
    refined = (lo + hi) / 2.0
    f_ref = st.profile(refined)[0]
    final = np.where(f_ref < best, refined, best_lg)
    _, beta, a_inv, sigma2 = st.profile(final)
    out.coef[feats] = beta
    out.cov_unscaled[feats] = a_inv
    out.sigma2[feats] = sigma2
    assert out.tau2 is not None
    out.tau2[feats] = np.exp(final) * sigma2
    out.df_coef[feats] = _between_within_df(x, subj, n_subj)[None, :]


def _between_within_df(x: F64, subj: NDArray[np.intp], n_subj: int) -> F64:
    n, p = x.shape
    means = np.zeros((n_subj, p))
    np.add.at(means, subj, x)
    means /= np.bincount(subj, minlength=n_subj)[:, None]
    within = np.abs(x - means[subj]).max(axis=0) > 1e-12
    n_between = int((~within).sum())
    n_within = int(within.sum())
    df_between = max(n_subj - n_between, 1)
    df_within = max(n - n_subj - n_within, 1)
    return np.where(within, float(df_within), float(df_between))
