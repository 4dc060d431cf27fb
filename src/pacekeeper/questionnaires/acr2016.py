"""ACR 2016 fibromyalgia criteria (Wolfe et al. 2016, Semin Arthritis Rheum 46:319-329).

Licence: published diagnostic criteria; facts are free to use with the citation. The self-report
form is valid for research, not for diagnosing one person (Wolfe 2016): the result is worded as
something to take to a clinician, never as a diagnosis.

Scoring (Wolfe 2016):
- Widespread Pain Index (WPI): painful areas in the past week, 0-19, in five regions;
- Symptom Severity Scale (SSS): fatigue, waking unrefreshed and cognitive symptoms, each 0-3
  over the past week, plus 1 each for headaches, lower-abdominal pain or cramps, and depression
  in the past 6 months: 0-12;
- criteria met when (WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9), and generalized pain (pain
  in at least 4 of the 5 regions; jaw, chest and abdomen do not count for this), and symptoms
  at a similar level for at least 3 months;
- the fibromyalgia severity (FS) scale is WPI + SSS, 0-31.
All items are required (a checklist: "no" is an answer).
"""

from __future__ import annotations

from pacekeeper.questionnaires.base import (
    YES_NO,
    Answers,
    Instrument,
    Item,
    Result,
    check_answers,
    options,
)

SOURCE = "Wolfe F et al. 2016 Revisions to the 2010/2011 fibromyalgia diagnostic criteria. Semin Arthritis Rheum 46:319-329"  # noqa: E501
LICENCE = (
    "Published criteria; free to use with the citation. Clinician support, not self-diagnosis."
)

# (key, words, region); region 0 is axial. Areas marked False do not count for generalized pain.
AREAS: tuple[tuple[str, str, int, bool], ...] = (
    ("jaw_left", "Jaw, left", 1, False),
    ("shoulder_left", "Shoulder girdle, left", 1, True),
    ("upper_arm_left", "Upper arm, left", 1, True),
    ("lower_arm_left", "Lower arm, left", 1, True),
    ("jaw_right", "Jaw, right", 2, False),
    ("shoulder_right", "Shoulder girdle, right", 2, True),
    ("upper_arm_right", "Upper arm, right", 2, True),
    ("lower_arm_right", "Lower arm, right", 2, True),
    ("hip_left", "Hip (buttock), left", 3, True),
    ("upper_leg_left", "Upper leg, left", 3, True),
    ("lower_leg_left", "Lower leg, left", 3, True),
    ("hip_right", "Hip (buttock), right", 4, True),
    ("upper_leg_right", "Upper leg, right", 4, True),
    ("lower_leg_right", "Lower leg, right", 4, True),
    ("neck", "Neck", 5, True),
    ("upper_back", "Upper back", 5, True),
    ("lower_back", "Lower back", 5, True),
    ("chest", "Chest", 5, False),
    ("abdomen", "Abdomen", 5, False),
)
REGION_NAMES = {1: "Left upper body", 2: "Right upper body", 3: "Left lower body",
                4: "Right lower body", 5: "Neck, back and trunk"}  # fmt: skip
SEVERITY = options("No problem", "Slight or mild, now and then", "Moderate, often there",
                   "Severe, constant, life-disturbing")  # fmt: skip
SEVERITY_TOPICS = (
    ("fatigue", "Tiredness (fatigue)"),
    ("unrefreshed", "Waking up unrefreshed"),
    ("cognitive", "Trouble thinking or remembering"),
)
SOMATIC_TOPICS = (
    ("headaches", "Headaches"),
    ("abdominal", "Pain or cramps in the lower belly"),
    ("depression", "Depression"),
)

ITEMS: tuple[Item, ...] = (
    *(
        Item(key, f"Pain in the past week: {words}?", YES_NO, group=REGION_NAMES[region])
        for key, words, region, _ in AREAS
    ),
    *(
        Item(key, f"Past week: {words}. How much of a problem?", SEVERITY, group="Symptoms")
        for key, words in SEVERITY_TOPICS
    ),
    *(
        Item(key, f"Past 6 months: bothered by {words.lower()}?", YES_NO, group="Symptoms")
        for key, words in SOMATIC_TOPICS
    ),
    Item(
        "three_months",
        "Have these symptoms been at about this level for 3 months or more?",
        YES_NO,
        group="How long",
    ),
)


def score(answers: Answers) -> Result:
    a = check_answers("ACR 2016", ITEMS, answers)
    wpi = sum(a[key] for key, *_ in AREAS)
    sss = sum(a[k] for k, _ in SEVERITY_TOPICS) + sum(a[k] for k, _ in SOMATIC_TOPICS)
    regions = {region for key, _, region, counts in AREAS if counts and a[key]}
    generalized = len(regions) >= 4
    wpi_sss = (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)
    duration = a["three_months"] == 1
    met = wpi_sss and generalized and duration
    missing = [
        why
        for ok, why in (
            (wpi_sss, "pain areas and symptom scores below the thresholds"),
            (generalized, f"pain in {len(regions)} of 5 regions (4 needed)"),
            (duration, "symptoms for less than 3 months"),
        )
        if not ok
    ]
    if met:
        meaning = (
            f"Your answers meet the ACR 2016 fibromyalgia criteria (pain index {wpi} of 19, "
            f"symptom score {sss} of 12). Only a clinician can diagnose: take this to them."
        )
    else:
        meaning = (
            f"Your answers do not meet the ACR 2016 fibromyalgia criteria ({'; '.join(missing)}). "
            "That does not rule anything out: a clinician can look further."
        )
    scores: dict[str, float | int | bool | str | None] = {
        "wpi": wpi,
        "sss": sss,
        "fs": wpi + sss,
        "regions_with_pain": len(regions),
        "generalized_pain": generalized,
        "criteria_met": met,
    }
    return Result(scores, meaning, ("criteria met",) if met else ())


INSTRUMENT = Instrument(
    key="acr-2016",
    name="ACR 2016 fibromyalgia criteria",
    intro="Where you had pain last week, and how much some symptoms bother you.",
    items=ITEMS,
    licence=LICENCE,
    source=SOURCE,
    score=score,
    every_days_default=90,
)
