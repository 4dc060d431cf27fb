"""RAND-36 scoring, checked against RAND's "36-Item Short Form Survey: Scoring Instructions":
table 1 (precoded answer -> 0-100, higher always better) and table 2 (items in each scale,
scale = mean of the answered items; "items that are left blank are not taken into account")."""

from __future__ import annotations

import pytest

from pacekeeper.errors import ValidationError
from pacekeeper.questionnaires import rand36

# The best answer to each item, by RAND's precoding (table 1 direction).
BEST = {n: (1 if n in (1, 2, 20, 22, 34, 36, 21, 23, 26, 27, 30) else
            3 if 3 <= n <= 12 else 2 if 13 <= n <= 19 else 6 if n in (24, 25, 28, 29, 31)
            else 5) for n in range(1, 37)}  # fmt: skip
WORST = {n: (5 if n in (1, 2, 20, 22, 34, 36) else 6 if n in (21, 23, 26, 27, 30) else
             1) for n in range(1, 37)}  # fmt: skip


def answers(by_number: dict[int, int]) -> dict[str, int | None]:
    return {f"q{n}": v for n, v in by_number.items()}


def test_table1_recodes_every_item_group() -> None:
    # One item from each row of RAND table 1, answered with its second option.
    r = rand36.recoded({"q1": 2, "q3": 2, "q13": 2, "q21": 2, "q24": 2, "q32": 2})
    assert r == {1: 75, 3: 50, 13: 100, 21: 80, 24: 20, 32: 25}


def test_all_best_and_all_worst_answers_give_100_and_0() -> None:
    best = rand36.score(answers(BEST)).scores
    worst = rand36.score(answers(WORST)).scores
    for scale in rand36.SCALES:
        assert (best[scale], worst[scale]) == (100.0, 0.0), scale
    assert (best["health_change"], worst["health_change"]) == (100, 0)


def test_physical_functioning_is_the_mean_of_ten_items() -> None:
    # science.md: "physical functioning = 10 items recoded 0/50/100 and averaged".
    pf = dict(zip(range(3, 13), (1, 1, 1, 2, 2, 2, 2, 3, 3, 3), strict=True))  # 0x3, 50x4, 100x3
    r = rand36.score(answers(pf))
    assert r.scores["physical_functioning"] == 50.0


def test_energy_scale_mixes_positive_and_negative_items() -> None:
    # Items 23 and 27 (pep, energy) run 100 -> 0; items 29 and 31 (worn out, tired) 0 -> 100.
    r = rand36.score(answers({23: 5, 27: 4, 29: 2, 31: 1}))  # 20, 40, 20, 0
    assert r.scores["energy_fatigue"] == 20.0
    assert "energy (low means more fatigue) at 20" in r.meaning


def test_missing_items_are_left_out_of_the_scale_mean() -> None:
    # RAND: a scale is the average of the items the respondent answered.
    r = rand36.score(answers({23: 1, 27: 2}))  # 100 and 80; 29 and 31 blank
    assert r.scores["energy_fatigue"] == 90.0
    assert r.scores["pain"] is None and r.scores["health_change"] is None
    assert "No score for:" in r.meaning and "general health" in r.meaning


def test_nothing_answered_and_bad_values_are_refused() -> None:
    with pytest.raises(ValidationError, match="no item answered"):
        rand36.score({})
    with pytest.raises(ValidationError) as err:
        rand36.score(answers({3: 4, 21: 7, 13: 0}))
    assert set(err.value.by_field()) == {"q3", "q21", "q13"}
    assert "q21: 7 is not one of 1, 2, 3, 4, 5, 6" in str(err.value)


def test_scales_cover_35_items_and_leave_out_item_2() -> None:
    covered = sorted(n for items in rand36.SCALES.values() for n in items)
    assert covered == [n for n in range(1, 37) if n != 2]
