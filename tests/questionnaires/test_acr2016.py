"""ACR 2016 fibromyalgia criteria (Wolfe et al. 2016, Semin Arthritis Rheum 46:319): met when
WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9; with pain in >= 4 of 5 regions (jaw, chest and
abdomen not counted) and symptoms for >= 3 months."""

from __future__ import annotations

import pytest

from pacekeeper.errors import ValidationError
from pacekeeper.questionnaires import acr2016

# One counted area in each of the five regions.
FIVE_REGIONS = ("shoulder_left", "shoulder_right", "hip_left", "hip_right", "neck")


def answers(painful: tuple[str, ...], sss: tuple[int, ...],
            three_months: int = 1) -> dict[str, int | None]:  # fmt: skip
    out: dict[str, int | None] = {key: int(key in painful) for key, *_ in acr2016.AREAS}
    keys = [k for k, _ in acr2016.SEVERITY_TOPICS] + [k for k, _ in acr2016.SOMATIC_TOPICS]
    out.update(dict(zip(keys, sss, strict=True)))
    out["three_months"] = three_months
    return out


SEVEN = (*FIVE_REGIONS, "upper_back", "lower_back")
SIX = (*FIVE_REGIONS, "upper_back")


@pytest.mark.parametrize(
    ("painful", "sss", "met"),
    [
        (SEVEN, (2, 2, 1, 0, 0, 0), True),  # WPI 7, SSS 5: just met
        (SEVEN, (2, 1, 1, 0, 0, 0), False),  # WPI 7, SSS 4: just missed
        (SIX, (3, 3, 2, 1, 0, 0), True),  # WPI 6, SSS 9: second branch, just met
        (SIX, (3, 3, 1, 1, 0, 0), False),  # WPI 6, SSS 8: just missed
        ((*FIVE_REGIONS[:4],), (3, 3, 3, 1, 1, 1), True),  # WPI 4, SSS 12
        ((*FIVE_REGIONS[:3], "neck"), (3, 3, 3, 1, 1, 1), True),  # WPI 4 across 4 regions
        (FIVE_REGIONS[:3], (3, 3, 3, 1, 1, 1), False),  # WPI 3: below both branches
    ],
)
def test_wpi_and_sss_thresholds(painful: tuple[str, ...], sss: tuple[int, ...], met: bool) -> None:
    r = acr2016.score(answers(painful, sss))
    assert r.scores["criteria_met"] is met
    assert r.scores["wpi"] == len(painful) and r.scores["sss"] == sum(sss)
    assert r.scores["fs"] == len(painful) + sum(sss)


def test_regional_pain_is_not_generalized() -> None:
    # Wolfe 2016 added the generalized-pain rule because regional pain syndromes met the 2010
    # criteria: WPI 9 but only in the axial region and one arm (2 regions).
    painful = ("neck", "upper_back", "lower_back", "chest", "abdomen",
               "shoulder_left", "upper_arm_left", "lower_arm_left", "jaw_left")  # fmt: skip
    r = acr2016.score(answers(painful, (3, 3, 3, 1, 1, 1)))
    assert r.scores["wpi"] == 9 and r.scores["regions_with_pain"] == 2
    assert r.scores["criteria_met"] is False
    assert "pain in 2 of 5 regions (4 needed)" in r.meaning


def test_jaw_chest_and_abdomen_do_not_count_for_regions() -> None:
    painful = ("jaw_left", "jaw_right", "hip_left", "hip_right", "chest", "abdomen", "neck")
    r = acr2016.score(answers(painful, (3, 3, 3, 0, 0, 0)))
    assert r.scores["wpi"] == 7 and r.scores["regions_with_pain"] == 3
    assert r.scores["criteria_met"] is False


def test_three_months_is_required() -> None:
    r = acr2016.score(answers(SEVEN, (3, 3, 3, 1, 1, 1), three_months=0))
    assert r.scores["criteria_met"] is False and "less than 3 months" in r.meaning


def test_the_meaning_says_clinician_not_diagnosis() -> None:
    r = acr2016.score(answers(SEVEN, (3, 3, 3, 1, 1, 1)))
    assert r.flags == ("criteria met",) and "Only a clinician can diagnose" in r.meaning


def test_out_of_range_severity_and_missing_area_are_named() -> None:
    a = answers(SEVEN, (3, 3, 3, 1, 1, 1))
    a["fatigue"] = 4
    del a["neck"]
    with pytest.raises(ValidationError) as err:
        acr2016.score(a)
    assert set(err.value.by_field()) == {"fatigue", "neck"}
