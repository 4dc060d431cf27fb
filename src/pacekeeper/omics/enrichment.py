"""Pathway and chemical-class enrichment over the annotations present in the data.

Three tests per set (e.g. each Metabolon sub-pathway), each with BH FDR across sets:

- ora: over-representation of significant features (q < alpha) in the set, hypergeometric
  upper tail against all tested features as the background.
- rank: do the set's t statistics differ from the rest? Wilcoxon-Mann-Whitney, two-sided; the
  direction is the set's median t.
- cluster: in the spirit of ChemRICH (Barupal & Fiehn 2017), a set-level test that needs no
  background: Kolmogorov-Smirnov of the set's p-values against the uniform distribution they
  would follow if nothing in the set changed, with the share of members going up and down.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy import special, stats

from pacekeeper.omics.fdr import bh

MIN_SET = 3


def enrich(
    results: pl.DataFrame, annotation: str = "sub_pathway", alpha: float = 0.05
) -> pl.DataFrame:
    """Results of one layer (any number of contrasts) to one row per (contrast, set)."""
    frames: list[pl.DataFrame] = []
    for (contrast,), part in results.group_by(["contrast"], maintain_order=True):
        part = part.filter(pl.col("p").is_not_null() & (pl.col(annotation) != ""))
        if part.height:
            frames.append(_one_contrast(part, str(contrast), annotation, alpha))
    frames = [f for f in frames if f.height]
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames).sort(["contrast", "cluster_p"])


def _one_contrast(part: pl.DataFrame, contrast: str, annotation: str, alpha: float) -> pl.DataFrame:
    names, codes = np.unique(part[annotation].to_numpy().astype(str), return_inverse=True)
    t = part["t"].to_numpy()
    p = part["p"].to_numpy()
    sig = part["q"].to_numpy() < alpha
    n_all, n_sig = len(p), int(sig.sum())
    m = len(names)
    size = np.bincount(codes, minlength=m)
    hits = np.bincount(codes, weights=sig, minlength=m).astype(int)
    up = np.bincount(codes, weights=sig & (t > 0), minlength=m).astype(int)
    down = np.bincount(codes, weights=sig & (t < 0), minlength=m).astype(int)
    ora = stats.hypergeom.sf(hits - 1, n_all, n_sig, size) if n_sig else np.ones(m)
    rank = rank_sum_p(t, codes, m)
    cluster = ks_uniform_p(p, codes, m)
    order = np.lexsort((t, codes))
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    median_t = np.array(
        [np.median(t[order[s : s + k]]) if k else np.nan for s, k in zip(starts, size, strict=True)]
    )
    by_p = np.lexsort((p, codes))
    names_col = part["name"].to_numpy()
    key = [names_col[by_p[s]] if k else "" for s, k in zip(starts, size, strict=True)]
    keep = size >= MIN_SET
    out = pl.DataFrame(
        {
            "layer": [part["layer"][0]] * int(keep.sum()),
            "contrast": [contrast] * int(keep.sum()),
            "annotation": [annotation] * int(keep.sum()),
            "set": names[keep].tolist(),
            "size": size[keep],
            "significant": hits[keep],
            "up": up[keep],
            "down": down[keep],
            "median_t": median_t[keep],
            "key_feature": [k for k, ok in zip(key, keep, strict=True) if ok],
            "ora_p": ora[keep].astype(float),
            "rank_p": rank[keep],
            "cluster_p": cluster[keep],
        }
    )
    return out.with_columns(
        pl.Series(f"{c}_q", bh(out[f"{c}_p"].to_numpy())) for c in ("ora", "rank", "cluster")
    )


def rank_sum_p(t: NDArray[np.float64], codes: NDArray[np.intp], m: int) -> NDArray[np.float64]:
    """Two-sided Wilcoxon-Mann-Whitney p of each set against the rest, normal approximation
    with tie and continuity corrections, for all sets at once."""
    n = len(t)
    ranks = stats.rankdata(t)
    k = np.bincount(codes, minlength=m).astype(float)
    u = np.bincount(codes, weights=ranks, minlength=m) - k * (k + 1) / 2
    rest = n - k
    mu = k * rest / 2
    _, tie_counts = np.unique(t, return_counts=True)
    tie = float((tie_counts**3 - tie_counts).sum()) / (n * (n - 1)) if n > 1 else 0.0
    sd = np.sqrt(k * rest / 12 * ((n + 1) - tie))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.abs(u - mu) - 0.5) / sd
    out: NDArray[np.float64] = np.where(rest > 0, np.minimum(2 * stats.norm.sf(z), 1.0), 1.0)
    return out


def ks_uniform_p(p: NDArray[np.float64], codes: NDArray[np.intp], m: int) -> NDArray[np.float64]:
    """One-sided Kolmogorov-Smirnov of each set's p-values against Uniform(0, 1): the exact
    p-value of D+ = max_i (i/k - p_(i)), the excess of small p-values."""
    order = np.lexsort((p, codes))
    c_sorted, p_sorted = codes[order], p[order]
    k = np.bincount(codes, minlength=m)
    starts = np.concatenate([[0], np.cumsum(k)[:-1]])
    pos = np.arange(len(p)) - starts[c_sorted] + 1
    dplus = pos / k[c_sorted] - p_sorted
    d = np.full(m, -np.inf)
    np.maximum.at(d, c_sorted, dplus)
    d = np.clip(d, 0.0, 1.0)
    out: NDArray[np.float64] = np.where(k > 0, special.smirnov(np.maximum(k, 1), d), 1.0)
    return out
