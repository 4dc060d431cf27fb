"""Preprocessing steps. Each is optional, takes and returns a Layer, and is listed in the log.

Order used by the pipeline: drop sparse features, impute, log-transform, centre per batch,
flag outliers. Flags never remove data; they are reported for the researcher to decide.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pacekeeper.errors import ValidationError
from pacekeeper.omics.layer import Layer


def zeros_to_missing(layer: Layer) -> tuple[Layer, int]:
    """Treat zero intensities as missing: in mass spectrometry a zero means "not detected",
    not an abundance of zero, and it would otherwise break the log transform."""
    v = layer.values.copy()
    zero = v == 0
    v[zero] = np.nan
    return layer.with_values(v), int(zero.sum())


def drop_sparse(layer: Layer, max_missing: float) -> tuple[Layer, int]:
    """Drop features missing in more than max_missing (a fraction) of samples."""
    if not 0.0 <= max_missing <= 1.0:
        raise ValidationError.single("max_missing", "must be a fraction between 0 and 1")
    frac = np.isnan(layer.values).mean(axis=1)
    keep = frac <= max_missing
    return layer.select_features(keep), int((~keep).sum())


def impute_half_min(layer: Layer) -> tuple[Layer, int]:
    """Replace each missing value by half the feature's smallest observed value.

    The usual choice for mass-spectrometry data, where a value is missing mostly because it
    fell below the detection limit. Features with no observed value stay missing.
    """
    v = layer.values.copy()
    missing = np.isnan(v)
    with np.errstate(all="ignore"):
        half = np.nanmin(np.where(missing, np.inf, v), axis=1) / 2.0
    half[~np.isfinite(half)] = np.nan
    v[missing] = np.broadcast_to(half[:, None], v.shape)[missing]
    return layer.with_values(v), int(missing.sum())


def log_transform(layer: Layer, base: float = 2.0) -> Layer:
    """log base `base`; values at or below zero are rejected (they cannot be abundances)."""
    v = layer.values
    bad = np.argwhere(v <= 0)
    if bad.size:
        f, s = bad[0]
        raise ValidationError.single(
            f"{layer.name}: {layer.features[f]} / {layer.samples[s]}",
            f"value {v[f, s]} is not positive, so it cannot be log-transformed "
            "(turn off --log or impute first)",
        )
    return layer.with_values(np.log(v) / np.log(base))


def centre_by(layer: Layer, batches: list[str]) -> Layer:
    """Subtract each feature's median within each batch or site, then add back its overall
    median, so batches share a level while values keep their scale."""
    v = layer.values.copy()
    overall = np.nanmedian(v, axis=1, keepdims=True)
    labels = np.array(batches)
    for b in np.unique(labels):
        cols = labels == b
        v[:, cols] -= np.nanmedian(v[:, cols], axis=1, keepdims=True)
    return layer.with_values(v + overall)


@dataclass(frozen=True)
class OutlierFlag:
    sample: str
    score: float
    reason: str


def outlier_samples(layer: Layer, threshold: float = 3.5) -> list[OutlierFlag]:
    """Samples whose median absolute robust z-score across features is extreme.

    Each value is scaled by the feature's median and MAD; a sample's score is the median of its
    absolute scores, compared with the other samples' scores on the same robust scale.
    """
    z = robust_z(layer.values)
    score = np.nanmedian(np.abs(z), axis=0)
    centre = np.nanmedian(score)
    mad = np.nanmedian(np.abs(score - centre)) * 1.4826
    if not np.isfinite(mad) or mad == 0:
        return []
    rel = (score - centre) / mad
    return [
        OutlierFlag(layer.samples[i], float(rel[i]), "overall profile far from the others")
        for i in np.flatnonzero(rel > threshold)
    ]


def robust_z(v: NDArray[np.float64]) -> NDArray[np.float64]:
    med = np.nanmedian(v, axis=1, keepdims=True)
    mad = np.nanmedian(np.abs(v - med), axis=1, keepdims=True) * 1.4826
    mad[mad == 0] = np.nan
    out: NDArray[np.float64] = (v - med) / mad
    return out
