"""Cross-layer change correlations, symptom associations, and each preprocessing step."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pacekeeper.errors import ValidationError
from pacekeeper.omics import preprocess
from pacekeeper.omics.integrate import change_correlations, symptom_associations
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.samplesheet import SampleSheet


def _two_time_sheet(n: int) -> SampleSheet:
    samples = [f"s{i}_{t}" for t in ("pre", "post") for i in range(n)]
    subjects = [f"s{i}" for _ in range(2) for i in range(n)]
    times = ["pre"] * n + ["post"] * n
    return SampleSheet(samples, subjects, ["case"] * (2 * n), times, {})


def test_change_correlation_finds_the_linked_pair() -> None:
    rng = np.random.default_rng(1)
    n = 30
    sheet = _two_time_sheet(n)
    a = rng.normal(size=(20, 2 * n))
    b = rng.normal(size=(15, 2 * n))
    # Feature b3's change follows a7's change.
    b[3, n:] = b[3, :n] + (a[7, n:] - a[7, :n]) + rng.normal(0, 0.3, n)
    la = Layer("metab", [f"a{i}" for i in range(20)], sheet.samples, a)
    lb = Layer("cyto", [f"b{i}" for i in range(15)], sheet.samples, b)
    out = change_correlations((la, sheet), (lb, sheet), "pre", "post")
    top = out.row(0, named=True)
    assert (top["feature_a"], top["feature_b"]) == ("a7", "b3")
    assert top["spearman_r"] > 0.8 and top["q"] < 1e-4 and top["subjects"] == n
    assert out.filter(pl.col("q") < 0.01).height == 1


def test_symptom_association_slope_and_fdr() -> None:
    rng = np.random.default_rng(2)
    n = 80
    score = rng.uniform(0, 100, n)
    values = rng.normal(10, 1, (50, n))
    values[0] += 0.03 * score  # feature f0 rises with the score
    samples = [f"s{i}" for i in range(n)]
    sheet = SampleSheet(
        samples,
        samples,
        ["case"] * n,
        ["all"] * n,
        {"energy": [f"{v:.4f}" for v in score], "age": [str(40 + i % 20) for i in range(n)]},
    )
    layer = Layer("m", [f"f{i}" for i in range(50)], samples, values)
    out = symptom_associations(layer, sheet, "energy", ["age"]).sort("p")
    top = out.row(0, named=True)
    assert top["feature"] == "f0" and top["q"] < 1e-6
    assert top["ci_low"] < 0.03 < top["ci_high"]
    with pytest.raises(ValidationError, match="not a numeric column"):
        symptom_associations(layer, sheet, "mood", [])


def _layer(values: list[list[float]]) -> Layer:
    v = np.array(values, dtype=float)
    return Layer("x", [f"f{i}" for i in range(v.shape[0])], [f"s{j}" for j in range(v.shape[1])], v)


def test_preprocessing_steps() -> None:
    layer = _layer([[4, np.nan, 8, 2], [np.nan, np.nan, np.nan, 1], [0, 3, 3, 3]])
    zeroed, n_zero = preprocess.zeros_to_missing(layer)
    assert n_zero == 1 and np.isnan(zeroed.values[2, 0])
    kept, dropped = preprocess.drop_sparse(zeroed, 0.5)
    assert dropped == 1 and kept.features == ["f0", "f2"]
    filled, n = preprocess.impute_half_min(kept)
    assert n == 2 and filled.values[0, 1] == 1.0 and filled.values[1, 0] == 1.5
    logged = preprocess.log_transform(filled)
    assert logged.values[0, 0] == pytest.approx(2.0)
    with pytest.raises(ValidationError, match="is not positive"):
        preprocess.log_transform(layer)
    centred = preprocess.centre_by(_layer([[1, 2, 11, 12]]), ["a", "a", "b", "b"])
    assert centred.values.tolist() == [[6.0, 7.0, 6.0, 7.0]]


def test_outlier_sample_is_flagged() -> None:
    rng = np.random.default_rng(3)
    v = rng.normal(10, 1, (200, 30))
    v[:, 7] += rng.normal(0, 6, 200)
    flags = preprocess.outlier_samples(_layer(v.tolist()))
    assert [f.sample for f in flags] == ["s7"]
