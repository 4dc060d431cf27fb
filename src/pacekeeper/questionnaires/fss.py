"""Fatigue Severity Scale (FSS; Krupp et al. 1989, Arch Neurol 46:1121).

Licence: free for non-commercial, non-profit use (science.md; NINDS Common Data Elements list it
for non-profit research). Credit "Fatigue Severity Scale, Krupp LB et al. 1989". Pacekeeper is
a non-commercial tool; the item wording below is our own short paraphrase of the nine topics.

Scoring (Krupp 1989): nine items, each 1 (strongly disagree) to 7 (strongly agree); the score
is the mean of the nine (1-7). A mean of 4 or more is the usual mark of significant fatigue
(science.md: "above 4-5"). The paper gives no missing-item rule, so all nine are required.
"""

from __future__ import annotations

from pacekeeper.questionnaires.base import Answers, Instrument, Item, Result, check_answers, options

SOURCE = "Krupp LB, LaRocca NG, Muir-Nash J, Steinberg AD. Arch Neurol 1989;46:1121-3"
LICENCE = "Free for non-commercial, non-profit use with credit to Krupp et al. 1989."
CUTOFF = 4.0

AGREE = options("1 Strongly disagree", "2", "3", "4", "5", "6", "7 Strongly agree", start=1)
TOPICS = (
    "When I am tired, I have less drive",
    "Exercise makes me tired",
    "I tire easily",
    "Tiredness gets in the way of my physical activity",
    "Tiredness often causes me problems",
    "Tiredness stops me keeping up physical activity for long",
    "Tiredness gets in the way of some duties and tasks",
    "Tiredness is among my three most disabling symptoms",
    "Tiredness gets in the way of my work, family or social life",
)
ITEMS = tuple(
    Item(f"q{n}", f"Over the past week: {t}.", AGREE) for n, t in enumerate(TOPICS, start=1)
)


def score(answers: Answers) -> Result:
    a = check_answers("FSS", ITEMS, answers)
    total = sum(a.values())
    mean = total / len(ITEMS)
    significant = mean >= CUTOFF
    if significant:
        meaning = (
            f"Mean {mean:.2f} of 7: at or above 4, the usual mark of significant fatigue. "
            "Worth bringing to your clinician, and worth tracking over time."
        )
    else:
        meaning = f"Mean {mean:.2f} of 7: below 4, the usual mark of significant fatigue."
    return Result(
        {"total": total, "mean": round(mean, 2), "significant_fatigue": significant},
        meaning,
        ("significant fatigue",) if significant else (),
    )


INSTRUMENT = Instrument(
    key="fss",
    name="Fatigue Severity Scale",
    intro="Nine statements about the past week. How much do you agree, from 1 to 7?",
    items=ITEMS,
    licence=LICENCE,
    source=SOURCE,
    score=score,
    every_days_default=28,
)
