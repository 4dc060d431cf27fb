"""The scores, against values worked out by hand."""

from __future__ import annotations

import pytest

from pacekeeper.engine.metrics import auroc, brier, calibration_table, mae


def test_auroc_counts_pairs_and_halves_ties() -> None:
    # positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4), (0.8>0.1), (0.4=0.4 -> 1/2),
    # (0.4>0.1) = 3.5 of 4.
    assert auroc([0.8, 0.4, 0.4, 0.1], [True, True, False, False]) == pytest.approx(0.875)


def test_auroc_perfect_reversed_and_constant() -> None:
    assert auroc([0.9, 0.8, 0.2], [True, True, False]) == 1.0
    assert auroc([0.1, 0.2, 0.9], [True, True, False]) == 0.0
    assert auroc([0.5, 0.5, 0.5, 0.5], [True, False, True, False]) == 0.5


def test_auroc_is_none_without_both_classes() -> None:
    assert auroc([0.1, 0.9], [False, False]) is None
    assert auroc([0.1, 0.9], [True, True]) is None
    assert auroc([], []) is None


def test_brier_and_mae_by_hand() -> None:
    # (0.9-1)^2 + (0.2-0)^2 + (0.5-1)^2 = 0.01 + 0.04 + 0.25 = 0.30, over 3
    assert brier([0.9, 0.2, 0.5], [True, False, True]) == pytest.approx(0.1)
    assert mae([1.0, 4.0, 6.5], [2.0, 4.0, 4.5]) == pytest.approx(1.0)
    assert brier([], []) is None
    assert mae([], []) is None


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="shape"):
        mae([1.0], [1.0, 2.0])


def test_calibration_table_bins_by_predicted_risk() -> None:
    table = calibration_table([0.05, 0.15, 0.12, 0.95, 1.0], [False, True, False, True, True])
    assert [(b.lo, b.hi, b.count) for b in table] == [(0.0, 0.1, 1), (0.1, 0.2, 2), (0.9, 1.0, 2)]
    assert table[1].mean_predicted == pytest.approx(0.135)
    assert table[1].observed_rate == pytest.approx(0.5)
    assert table[2].observed_rate == 1.0
    assert sum(b.count for b in calibration_table([0.3] * 4, [True] * 4, bins=4)) == 4
