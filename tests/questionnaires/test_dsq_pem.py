"""DSQ-PEM scoring (Cotler et al. 2018, Diagnostics 8:66): step 1 is met when one of items 1-5
has frequency >= 2 and severity >= 2; item scores are (frequency + severity) x 25 / 2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacekeeper.errors import ValidationError
from pacekeeper.planner.safety import PemScreen, dsq_pem_screen
from pacekeeper.questionnaires import dsq_pem


def answers(freq: list[int], sev: list[int]) -> dict[str, int | None]:
    out: dict[str, int | None] = {f"f{n}": f for n, f in enumerate(freq, start=1)}
    out.update({f"s{n}": s for n, s in enumerate(sev, start=1)})
    return out


def test_step1_met_just_at_two_and_two() -> None:
    # Cotler 2018 step 1: "about half the time" (2) and "moderate" (2) on one item is enough.
    r = dsq_pem.score(answers([0, 0, 2, 0, 0], [0, 0, 2, 0, 0]))
    assert r.scores["step1_met"] is True
    assert "positive" in r.meaning


@pytest.mark.parametrize(
    ("freq", "sev"),
    [
        ([2, 0, 0, 0, 0], [1, 0, 0, 0, 0]),  # often enough but only mild
        ([1, 0, 0, 0, 0], [4, 0, 0, 0, 0]),  # very severe but only a little of the time
        ([4, 1, 1, 1, 1], [1, 4, 1, 1, 1]),  # the two thresholds met on different items
    ],
)
def test_step1_not_met_when_no_single_item_reaches_both(freq: list[int], sev: list[int]) -> None:
    r = dsq_pem.score(answers(freq, sev))
    assert r.scores["step1_met"] is False
    assert r.flags == ()


def test_item_and_pem_scores_on_the_0_100_scale() -> None:
    # DSQ convention: frequency and severity each x 25, averaged per item.
    r = dsq_pem.score(answers([4, 2, 0, 3, 1], [4, 3, 0, 1, 1]))
    assert [r.scores[f"item{n}"] for n in range(1, 6)] == [100.0, 62.5, 0.0, 50.0, 25.0]
    assert r.scores["pem_score"] == 47.5


def test_missing_and_out_of_range_items_are_named() -> None:
    a = answers([2, 2, 2, 2, 2], [2, 2, 2, 2, 2])
    a["s3"] = None
    a["f5"] = 5
    with pytest.raises(ValidationError) as err:
        dsq_pem.score(a)
    assert set(err.value.by_field()) == {"s3", "f5"}
    assert "not answered" in err.value.by_field()["s3"]
    assert "5 is not one of 0, 1, 2, 3, 4" in err.value.by_field()["f5"]


@given(
    st.lists(st.integers(0, 4), min_size=5, max_size=5),
    st.lists(st.integers(0, 4), min_size=5, max_size=5),
)
def test_agrees_with_the_planner_screen(freq: list[int], sev: list[int]) -> None:
    """planner/safety.py gates progression on the same rule; the two must never differ."""
    mine = dsq_pem.score(answers(freq, sev)).scores["step1_met"]
    theirs = dsq_pem_screen(freq, sev)
    assert theirs is (PemScreen.POSITIVE if mine else PemScreen.NEGATIVE)
