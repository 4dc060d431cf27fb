"""The statistics against known answers: BH by hand, OLS against scipy, eBayes, mixed models
against an independent dense REML and the balanced-design closed form."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from pacekeeper.omics.fdr import bh
from pacekeeper.omics.linear import contrast, fit_ols
from pacekeeper.omics.lmm import fit_lmm
from pacekeeper.omics.moderated import estimate_prior, moderate


def test_bh_matches_hand_computed_values() -> None:
    p = [0.01, 0.04, 0.03, 0.005, 0.5]
    # sorted: 0.005, 0.01, 0.03, 0.04, 0.5 -> x5/1, x5/2, x5/3, x5/4, x5/5 = .025 .025 .05 .05 .5
    # then the running minimum from the top leaves them as they are.
    assert bh(p) == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])
    assert bh([0.02, 0.02, 0.9]) == pytest.approx([0.03, 0.03, 0.9])
    q = bh([np.nan, 0.01, 0.02])
    assert np.isnan(q[0]) and q[1:] == pytest.approx([0.02, 0.02])
    assert bh([0.9, 0.95]) == pytest.approx([0.95, 0.95])


def test_ols_without_covariates_is_students_t_test() -> None:
    rng = np.random.default_rng(3)
    y = rng.normal(size=(50, 20))
    y[:5, :10] += 2
    group = (np.arange(20) < 10).astype(float)
    x = np.column_stack([np.ones(20), group])
    c = contrast(fit_ols(y, x, ["intercept", "case"]), "c", {"case": 1.0})
    ref = stats.ttest_ind(y[:, :10], y[:, 10:], axis=1)
    assert c.t() == pytest.approx(ref.statistic)
    assert c.p() == pytest.approx(ref.pvalue)


def test_ols_with_covariate_matches_lstsq_and_handles_missing_values() -> None:
    rng = np.random.default_rng(4)
    n = 30
    x = np.column_stack([np.ones(n), rng.integers(0, 2, n), rng.normal(size=n)])
    y = x @ np.array([1.0, 0.7, -0.4]) + rng.normal(0, 0.5, size=(6, n))
    y[2, 5] = np.nan
    fit = fit_ols(y, x, ["intercept", "case", "age"])
    for f in range(6):
        ok = ~np.isnan(y[f])
        b, rss, *_ = np.linalg.lstsq(x[ok], y[f, ok], rcond=None)
        assert fit.coef[f] == pytest.approx(b)
        assert fit.sigma2[f] == pytest.approx(rss[0] / (ok.sum() - 3))
    assert fit.df_coef[2, 0] == n - 1 - 3 and fit.df_coef[0, 0] == n - 3


def test_confidence_interval_covers_at_nominal_rate() -> None:
    rng = np.random.default_rng(5)
    y = rng.normal(size=(4000, 16))
    y[:, :8] += 0.5  # every feature has true difference 0.5
    x = np.column_stack([np.ones(16), (np.arange(16) < 8).astype(float)])
    lo, hi = contrast(fit_ols(y, x, ["intercept", "case"]), "c", {"case": 1.0}).ci()
    cover = np.mean((lo < 0.5) & (hi > 0.5))
    assert 0.93 < cover < 0.97


def test_empirical_bayes_recovers_the_variance_prior() -> None:
    rng = np.random.default_rng(6)
    d0, s0 = 8.0, 0.3
    true_var = d0 * s0 / rng.chisquare(d0, 20000)  # scaled inverse chi-square prior
    d = np.full(20000, 4.0)
    s2 = true_var * rng.chisquare(4.0, 20000) / 4.0
    prior = estimate_prior(s2, d)
    assert prior.d0 == pytest.approx(d0, rel=0.15)
    assert prior.s0_sq == pytest.approx(s0, rel=0.05)


def test_moderation_shrinks_variances_and_adds_degrees_of_freedom() -> None:
    rng = np.random.default_rng(7)
    y = rng.normal(size=(500, 8))
    x = np.column_stack([np.ones(8), (np.arange(8) < 4).astype(float)])
    fit = fit_ols(y, x, ["intercept", "case"])
    c = contrast(fit, "c", {"case": 1.0})
    m = moderate(c, estimate_prior(fit.sigma2, fit.df_coef[:, 0]))
    assert np.all(m.df > c.df)
    # Pure noise with equal variances: the prior should absorb nearly all the spread.
    assert np.std(m.sigma) < np.std(c.sigma)
    assert m.estimate is c.estimate


def _dense_reml(y: np.ndarray, x: np.ndarray, subj: np.ndarray) -> tuple[float, float, np.ndarray]:
    """REML by brute force over (log sigma2, log tau2), with the full covariance matrix."""
    n = len(y)
    z = (subj[:, None] == np.unique(subj)[None, :]).astype(float)

    def neg2(theta: np.ndarray) -> float:
        s2, t2 = np.exp(theta)
        v = s2 * np.eye(n) + t2 * z @ z.T
        vi = np.linalg.inv(v)
        a = x.T @ vi @ x
        b = np.linalg.solve(a, x.T @ vi @ y)
        r = y - x @ b
        return float(np.linalg.slogdet(v)[1] + np.linalg.slogdet(a)[1] + r @ vi @ r)

    best = min(
        (
            optimize.minimize(
                neg2,
                [0.0, start],
                method="Nelder-Mead",
                options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 4000},
            )
            for start in (-4.0, 0.0)
        ),
        key=lambda r: r.fun,
    )
    s2, t2 = np.exp(best.x)
    v = s2 * np.eye(n) + t2 * z @ z.T
    vi = np.linalg.inv(v)
    beta = np.linalg.solve(x.T @ vi @ x, x.T @ vi @ y)
    return float(s2), float(t2), beta


def test_mixed_model_matches_dense_reml_on_unbalanced_data() -> None:
    rng = np.random.default_rng(8)
    counts = rng.integers(1, 5, 25)
    subj = np.repeat(np.arange(25), counts)
    n = len(subj)
    x = np.column_stack([np.ones(n), (subj % 2).astype(float), rng.normal(size=n)])
    u = rng.normal(0, 1, 25)[subj]
    y = np.stack([x @ [1.0, 0.5, 0.3] + u * sd + rng.normal(size=n) for sd in (1.5, 0.7)])
    fit = fit_lmm(y, x, [str(s) for s in subj], ["intercept", "case", "age"])
    assert fit.tau2 is not None
    for f in range(2):
        s2, t2, beta = _dense_reml(y[f], x, subj)
        assert fit.sigma2[f] == pytest.approx(s2, rel=1e-4)
        assert fit.tau2[f] == pytest.approx(t2, rel=1e-3)
        assert fit.coef[f] == pytest.approx(beta, rel=1e-5, abs=1e-7)


def test_mixed_model_balanced_design_has_the_anova_closed_form() -> None:
    # Balanced: 12 subjects x 3 times, group between subjects, time within. REML variance
    # components equal the ANOVA estimators and the fixed effects equal OLS.
    rng = np.random.default_rng(9)
    s, k = 12, 3
    subj = np.repeat(np.arange(s), k)
    time = np.tile(np.arange(k), s)
    group = (subj < 6).astype(float)
    x = np.column_stack([np.ones(s * k), group, time == 1, time == 2]).astype(float)
    y = x @ [2.0, 1.0, 0.5, -0.5] + rng.normal(0, 2, s)[subj] + rng.normal(0, 1, s * k)
    fit = fit_lmm(y[None, :], x, [str(v) for v in subj], ["i", "g", "t1", "t2"])
    ols = np.linalg.lstsq(x, y, rcond=None)[0]
    assert fit.coef[0] == pytest.approx(ols)
    subj_means = y.reshape(s, k).mean(axis=1)
    time_means = y.reshape(s, k).mean(axis=0)
    resid = y.reshape(s, k) - subj_means[:, None] - time_means[None, :] + y.mean()
    ms_within = (resid**2).sum() / ((s - 1) * (k - 1))
    group_means = np.array([subj_means[6:].mean(), subj_means[:6].mean()])
    ms_between = k * ((subj_means - np.repeat(group_means[::-1], 6)) ** 2).sum() / (s - 2)
    assert fit.sigma2[0] == pytest.approx(ms_within, rel=1e-5)
    assert fit.tau2 is not None
    assert fit.tau2[0] == pytest.approx((ms_between - ms_within) / k, rel=1e-4)
    # Between-within degrees of freedom: group on subjects - 2, time on n - subjects - 2.
    assert list(fit.df_coef[0]) == [s - 2, s - 2, s * k - s - 2, s * k - s - 2]


def test_mixed_model_without_subject_variance_is_ols() -> None:
    rng = np.random.default_rng(10)
    subj = np.repeat(np.arange(20), 2)
    x = np.column_stack([np.ones(40), rng.normal(size=40)])
    # Negative within-subject correlation: REML puts tau2 on the boundary, 0.
    y = x @ [0.0, 1.0] + np.where(np.arange(40) % 2 == 0, 1.0, -1.0) * rng.normal(0, 1, 20)[subj]
    fit = fit_lmm(y[None, :], x, [str(v) for v in subj], ["i", "b"])
    assert fit.tau2 is not None and fit.tau2[0] == 0.0
    assert fit.coef[0] == pytest.approx(np.linalg.lstsq(x, y, rcond=None)[0])


def test_vectorised_set_tests_match_scipy() -> None:
    from pacekeeper.omics.enrichment import ks_uniform_p, rank_sum_p

    rng = np.random.default_rng(12)
    t = np.round(rng.normal(size=300), 2)  # rounding makes ties, as real t tables have
    p = rng.uniform(size=300) ** 1.3
    codes = rng.integers(0, 7, 300)
    ranks = rank_sum_p(t, codes, 7)
    ks = ks_uniform_p(p, codes, 7)
    for g in range(7):
        inside = codes == g
        ref = stats.mannwhitneyu(t[inside], t[~inside], method="asymptotic")
        assert ranks[g] == pytest.approx(ref.pvalue, rel=1e-9)
        ref_ks = stats.kstest(p[inside], "uniform", alternative="greater", method="exact")
        assert ks[g] == pytest.approx(ref_ks.pvalue, rel=1e-6)
