"""The heart-rate ceiling: CPET first, then a set value, then the documented default; the
refinement from the person's own days is a suggestion with its reason."""

from __future__ import annotations

from datetime import date

import numpy as np

from pacekeeper.domain.conditions import CeilingMethod
from pacekeeper.planner.ceiling import choose_ceiling, suggest_refinement
from tests.engine.simulate import frame

TODAY = date(2026, 12, 1)


def test_cpet_beats_a_set_value_which_beats_the_default() -> None:
    common = {"resting_hr": 60, "birth_year": 1976, "today": TODAY}
    cpet = choose_ceiling(cpet_vt1_hr=98, profile_hr=110,
                          profile_method=CeilingMethod.MANUAL, **common)  # fmt: skip
    manual = choose_ceiling(cpet_vt1_hr=None, profile_hr=110,
                            profile_method=CeilingMethod.MANUAL, **common)  # fmt: skip
    default = choose_ceiling(cpet_vt1_hr=None, profile_hr=75,
                             profile_method=CeilingMethod.DEFAULT, **common)  # fmt: skip
    assert (cpet.bpm, cpet.method) == (98, CeilingMethod.CPET)
    assert (manual.bpm, manual.method) == (110, CeilingMethod.MANUAL)
    # min(60 + 15, 0.55 x (220 - 50) = 93.5 -> 94) = 75, with both candidates shown.
    assert (default.bpm, default.method) == (75, CeilingMethod.DEFAULT)
    assert "60 + 15 = 75" in default.reason and "= 94" in default.reason


def test_medication_is_flagged_and_nothing_known_gives_no_number() -> None:
    c = choose_ceiling(cpet_vt1_hr=None, profile_hr=None, profile_method=None,
                       resting_hr=None, birth_year=None, today=TODAY, medication=True)  # fmt: skip
    assert c.bpm is None and c.caution is not None and "clinician" in c.caution


def _history(above_before_crash: float, above_calm: float) -> object:
    n = 60
    load = np.full(n, 5.0)
    symptom = np.full(n, 3.0) + np.random.default_rng(1).normal(0, 0.3, n)
    above = np.full(n, above_calm)
    for onset in (20, 40):
        symptom[onset : onset + 3] = 8.0
        above[onset - 2 : onset] = above_before_crash
    return frame(load, symptom, above_ceiling_min=above)


def test_time_above_before_crashes_means_keep_the_ceiling() -> None:
    r = suggest_refinement(_history(40.0, 3.0), 100)  # type: ignore[arg-type]
    assert r is not None and r.suggested is None
    assert r.pre_crash_minutes == 40.0 and r.calm_minutes == 3.0
    assert "Keep it" in r.reason


def test_crashes_without_time_above_suggest_a_lower_ceiling_with_the_reason() -> None:
    r = suggest_refinement(_history(0.0, 2.0), 100)  # type: ignore[arg-type]
    assert r is not None and r.suggested == 95
    assert "not warning you" in r.reason and r.pre_crash_days == 4


def test_no_refinement_without_heart_rate_data() -> None:
    days = frame(np.full(30, 5.0), np.full(30, 3.0))
    assert suggest_refinement(days, 100) is None
