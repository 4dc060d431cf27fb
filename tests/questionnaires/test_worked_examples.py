"""Worked examples: one printed in a scoring guide, and whole forms worked through by hand.

Of the shipped instruments only RAND-36 has a worked example in print: the RAND scoring guide of
Top Clin Chiro 1994;1(1):51-59 scores the energy/fatigue scale for a respondent who answered
4 to item 23, 3 to items 27 and 29 and left 31 blank (40 + 60 + 40 over 3 answered items = 46.7).
The DSQ-PEM, FSS and ACR 2016 papers state their rules but print no filled-in form, so the other
examples below are whole forms scored by hand from those rules, with the arithmetic beside them,
to pin every step of the code at once (docs/questionnaires.md says the same).
"""

from __future__ import annotations

import pytest

from pacekeeper.questionnaires import acr2016, dsq_pem, fss, rand36


def test_rand36_the_scoring_guides_energy_fatigue_example() -> None:
    r = rand36.score({"q23": 4, "q27": 3, "q29": 3})
    assert r.scores["energy_fatigue"] == pytest.approx(46.7, abs=0.05)
    assert rand36.recoded({"q23": 4, "q27": 3, "q29": 3}) == {23: 40, 27: 60, 29: 40}


def test_rand36_a_whole_form_by_hand() -> None:
    answers = {
        "q1": 4,  # general health: fair -> 25
        "q2": 3,  # change: about the same -> 50
        # physical functioning 3-12: limited a lot (1) x4 -> 0, a little (2) x4 -> 50, not (3) x2
        **{f"q{n}": v for n, v in zip(range(3, 13), (1, 1, 1, 1, 2, 2, 2, 2, 3, 3), strict=True)},
        # role physical 13-16: yes (1) = a problem -> 0, no (2) -> 100
        "q13": 1, "q14": 1, "q15": 1, "q16": 2,
        "q17": 2, "q18": 2, "q19": 1,  # role emotional: 100, 100, 0
        "q20": 3,  # social, extent: moderately -> 50
        "q21": 4,  # pain: moderate -> 40
        "q22": 2,  # pain interfered: a little bit -> 75
        "q23": 5, "q27": 5, "q29": 2, "q31": 2,  # energy: 20, 20, 20, 20
        "q24": 5, "q25": 6, "q26": 3, "q28": 4, "q30": 3,  # wellbeing: 80, 100, 60, 60, 60
        "q32": 2,  # social, time: most of the time -> 25
        "q33": 3, "q34": 2, "q35": 4, "q36": 3,  # general health: 50, 75, 75, 50
    }  # fmt: skip
    s = rand36.score(answers).scores
    assert s["physical_functioning"] == pytest.approx((0 * 4 + 50 * 4 + 100 * 2) / 10)  # 40
    assert s["role_physical"] == pytest.approx(25.0)
    assert s["role_emotional"] == pytest.approx(200 / 3, abs=0.05)  # stored to one decimal
    assert s["energy_fatigue"] == pytest.approx(20.0)
    assert s["emotional_wellbeing"] == pytest.approx((80 + 100 + 60 + 60 + 60) / 5)  # 72
    assert s["social_functioning"] == pytest.approx((50 + 25) / 2)
    assert s["pain"] == pytest.approx((40 + 75) / 2)
    assert s["general_health"] == pytest.approx((25 + 50 + 75 + 75 + 50) / 5)  # 55
    assert s["health_change"] == 50


def test_dsq_pem_a_whole_form_by_hand() -> None:
    # Frequencies 1,3,2,0,1 and severities 2,1,3,1,0 (0-4 each).
    freq, sev = (1, 3, 2, 0, 1), (2, 1, 3, 1, 0)
    form = {f"f{n}": f for n, f in enumerate(freq, 1)} | {f"s{n}": v for n, v in enumerate(sev, 1)}
    s = dsq_pem.score(form).scores
    # Step 1 asks for frequency >= 2 AND severity >= 2 on the same item: only item 3 (2 and 3).
    assert s["step1_met"] is True
    # Item score = (frequency x 25 + severity x 25) / 2: 37.5, 50, 62.5, 12.5, 12.5.
    item_scores = [37.5, 50.0, 62.5, 12.5, 12.5]
    for n, expected in enumerate(item_scores, start=1):
        assert s[f"item{n}"] == pytest.approx(expected)
    assert s["pem_score"] == pytest.approx(sum(item_scores) / 5)  # 35.0


def test_fss_a_whole_form_by_hand() -> None:
    # 4+4+5+3+4+4+3+4+3 = 34; 34 / 9 = 3.78: under the mean of 4 shown as significant fatigue.
    s = fss.score({f"q{n}": v for n, v in enumerate((4, 4, 5, 3, 4, 4, 3, 4, 3), 1)}).scores
    assert s == {"total": 34, "mean": 3.78, "significant_fatigue": False}


def test_acr2016_a_whole_form_by_hand() -> None:
    painful = {"jaw_left", "shoulder_left", "shoulder_right", "lower_back", "hip_right",
               "upper_leg_right", "neck", "chest"}  # fmt: skip
    form: dict[str, int | None] = {key: int(key in painful) for key, *_ in acr2016.AREAS}
    # Fatigue 2, unrefreshed 3, cognitive 1 (0-3); headaches yes, belly no, depression no.
    form.update({"fatigue": 2, "unrefreshed": 3, "cognitive": 1})
    form.update({"headaches": 1, "abdominal": 0, "depression": 0, "three_months": 1})
    s = acr2016.score(form).scores
    assert s["wpi"] == 8  # every painful area counts in the index, jaw and chest too
    assert s["sss"] == 2 + 3 + 1 + 1  # 7
    assert s["fs"] == 15
    # Regions: left upper (shoulder; the jaw does not count), right upper, right lower, axial
    # (neck, lower back; the chest does not count): 4 of 5 = generalized.
    assert s["regions_with_pain"] == 4
    assert s["generalized_pain"] is True
    assert s["criteria_met"] is True  # WPI >= 7 and SSS >= 5
