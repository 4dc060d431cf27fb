"""Recalibrating crash risk on the person's own past."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, logit

from pacekeeper.engine.calibration import IDENTITY, apply, fit_platt


def test_a_risk_that_is_twice_too_confident_is_corrected() -> None:
    rng = np.random.default_rng(0)
    raw = rng.uniform(0.02, 0.98, 4000)
    true = expit(0.5 * logit(raw) - 1.0)  # the raw risk exaggerates and is too high
    outcome = (rng.uniform(size=raw.size) < true).astype(float)
    a, b = fit_platt(raw, outcome)
    assert a == pytest.approx(-1.0, abs=0.15)
    assert b == pytest.approx(0.5, abs=0.08)
    assert apply((a, b), 0.9) == pytest.approx(float(expit(0.5 * logit(0.9) - 1.0)), abs=0.03)


def test_too_few_days_leave_the_risk_alone() -> None:
    assert fit_platt(np.array([0.2, 0.8]), np.array([0.0, 1.0])) == IDENTITY
    assert apply(IDENTITY, 0.3) == pytest.approx(0.3)
    assert apply(IDENTITY, None) is None


def test_unknown_outcomes_are_ignored() -> None:
    raw = np.full(40, 0.5)
    outcome = np.where(np.arange(40) % 2 == 0, 1.0, 0.0)
    outcome[::3] = np.nan
    a, b = fit_platt(raw, outcome)
    assert apply((a, b), 0.5) == pytest.approx(0.5, abs=0.1)
