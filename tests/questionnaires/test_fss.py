"""Fatigue Severity Scale (Krupp et al. 1989, Arch Neurol 46:1121): mean of nine items, 1-7."""

from __future__ import annotations

import pytest

from pacekeeper.errors import ValidationError
from pacekeeper.questionnaires import fss


def answers(*values: int | None) -> dict[str, int | None]:
    return {f"q{n}": v for n, v in enumerate(values, start=1)}


def test_the_mean_of_nine_items() -> None:
    r = fss.score(answers(7, 6, 7, 5, 6, 7, 6, 5, 6))  # total 55
    assert r.scores == {"total": 55, "mean": 6.11, "significant_fatigue": True}


def test_the_extremes() -> None:
    assert fss.score(answers(*[1] * 9)).scores["mean"] == 1.0
    assert fss.score(answers(*[7] * 9)).scores["mean"] == 7.0


def test_cutoff_of_four_just_met_and_just_missed() -> None:
    met = fss.score(answers(4, 4, 4, 4, 4, 4, 4, 4, 4))  # mean exactly 4.00
    assert met.scores["significant_fatigue"] is True and "at or above 4" in met.meaning
    missed = fss.score(answers(4, 4, 4, 4, 4, 4, 4, 4, 3))  # 35 / 9 = 3.89
    assert missed.scores == {"total": 35, "mean": 3.89, "significant_fatigue": False}


def test_no_missing_item_rule_so_every_item_is_required() -> None:
    with pytest.raises(ValidationError) as err:
        fss.score(answers(4, 4, 4, 4, None, 4, 4, 4, 0))
    assert set(err.value.by_field()) == {"q5", "q9"}


def test_unknown_items_are_refused() -> None:
    with pytest.raises(ValidationError, match="no item 'q10'"):
        fss.score({**answers(*[4] * 9), "q10": 4})
