"""Across layers and with symptoms.

change_correlations: for subjects measured at baseline and a later time point in two layers,
the Spearman correlation of every feature's change in one layer with every feature's change
in the other, with BH FDR over all pairs.

symptom_associations: feature ~ score + covariates (OLS for all features at once), where score
is a symptom scale such as RAND-36 energy/fatigue; the slope, its interval and BH FDR.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy import stats

from pacekeeper.errors import ValidationError
from pacekeeper.omics import design as design_mod
from pacekeeper.omics.analysis import results_table
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.linear import contrast, fit_ols
from pacekeeper.omics.samplesheet import SampleSheet

F64 = NDArray[np.float64]


def _changes(layer: Layer, sheet: SampleSheet, base: str, later: str) -> dict[str, F64]:
    pos = {(sub, t): i for i, (sub, t) in enumerate(zip(sheet.subject, sheet.time, strict=True))}
    out = {}
    for sub in dict.fromkeys(sheet.subject):
        if (sub, base) in pos and (sub, later) in pos:
            out[sub] = layer.values[:, pos[(sub, later)]] - layer.values[:, pos[(sub, base)]]
    return out


def _rank(a: F64) -> F64:
    ranked: F64 = stats.rankdata(a, axis=1)
    return ranked


def change_correlations(
    a: tuple[Layer, SampleSheet],
    b: tuple[Layer, SampleSheet],
    base: str,
    later: str,
    top: int = 500,
) -> pl.DataFrame:
    ca, cb = _changes(*a, base, later), _changes(*b, base, later)
    subjects = [s for s in ca if s in cb]
    n = len(subjects)
    if n < 4:
        return pl.DataFrame()
    da = np.column_stack([ca[s] for s in subjects])
    db = np.column_stack([cb[s] for s in subjects])
    ra, rb = _zscore(_rank(da)), _zscore(_rank(db))
    r = ra @ rb.T / n
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = r * np.sqrt((n - 2) / np.maximum(1 - r**2, 1e-300))
    p = 2 * stats.t.sf(np.abs(tstat), n - 2)
    flat_p = p.ravel()
    from pacekeeper.omics.fdr import bh

    q = bh(flat_p)
    order = np.argsort(np.where(np.isnan(flat_p), np.inf, flat_p))[:top]
    ia, ib = np.unravel_index(order, p.shape)
    la, lb = a[0], b[0]
    return pl.DataFrame(
        {
            "layer_a": [la.name] * len(order),
            "feature_a": [la.label(i) for i in ia],
            "layer_b": [lb.name] * len(order),
            "feature_b": [lb.label(i) for i in ib],
            "change": [f"{base}->{later}"] * len(order),
            "subjects": [n] * len(order),
            "spearman_r": r.ravel()[order],
            "p": flat_p[order],
            "q": q[order],
        }
    )


def _zscore(a: F64) -> F64:
    sd = a.std(axis=1, keepdims=True)
    sd[sd == 0] = np.nan
    out: F64 = (a - a.mean(axis=1, keepdims=True)) / sd
    return out


def symptom_associations(
    layer: Layer,
    sheet: SampleSheet,
    score: str,
    covariates: list[str],
) -> pl.DataFrame:
    values = sheet.numeric(score) if score in sheet.columns else None
    if values is None:
        raise ValidationError.single(
            "symptom", f"{score!r} is not a numeric column of the sample sheet {sheet.source}"
        )
    keep = ~np.isnan(values)
    order = [s for s, k in zip(sheet.samples, keep, strict=True) if k]
    sub, sub_layer = sheet.subset(order), layer.select_samples(order)
    d = design_mod.build(sub, case="", control="", covariates=covariates)
    # Replace the (meaningless here) group column by the score: feature ~ score + covariates.
    x = d.x.copy()
    x[:, 1] = values[keep] - values[keep].mean()
    cols = ["intercept", score, *d.columns[2:]]
    fit = fit_ols(sub_layer.values, x, cols)
    c = contrast(fit, f"association with {score}", {score: 1.0})
    return results_table(sub_layer, [c], "OLS")
