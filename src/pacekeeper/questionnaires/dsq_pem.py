"""DSQ-PEM: the five post-exertional malaise items of the DePaul Symptom Questionnaire.

Licence: DePaul University's Center for Community Research says all its instruments are free to
use; credit "DePaul Symptom Questionnaire (Jason et al.), PEM items as in Cotler et al. 2018,
Diagnostics 8:66 (open access)". The item wording below is our own short paraphrase.

Scoring (Cotler et al. 2018; science.md "Questionnaires"):
- each item is rated for frequency and for severity over the last six months, 0-4;
- step 1 is met when at least one item has frequency >= 2 and severity >= 2;
- the DSQ item score is the mean of frequency and severity, each times 25 (0-100); the PEM
  score shown here is the mean of the five item scores.
The same step-1 rule gates progression in planner/safety.py (dsq_pem_screen); a test checks
that both agree on every answer.
No missing-item rule is published, so all ten answers are required.
"""

from __future__ import annotations

from pacekeeper.questionnaires.base import Answers, Instrument, Item, Result, check_answers, options

SOURCE = "DePaul Symptom Questionnaire PEM items 1-5 (Cotler et al. 2018, Diagnostics 8:66)"
LICENCE = "Free to use (DePaul University, Center for Community Research); credit the DSQ."

TOPICS = (
    "A dead, heavy feeling soon after starting to exercise",
    "Next-day soreness or tiredness after everyday, light activity",
    "Mentally tired after the slightest effort",
    "Physically tired after very little exercise",
    "Physically drained or sick after mild activity",
)
FREQUENCY = options("Never", "A little of the time", "About half the time",
                    "Most of the time", "All of the time")  # fmt: skip
SEVERITY = options("None", "Mild", "Moderate", "Severe", "Very severe")

ITEMS = tuple(
    item
    for n, topic in enumerate(TOPICS, start=1)
    for item in (
        Item(f"f{n}", f"{topic}: how often, over the last 6 months?", FREQUENCY, group=topic),
        Item(f"s{n}", f"{topic}: how bad, usually?", SEVERITY, group=topic),
    )
)


def score(answers: Answers) -> Result:
    a = check_answers("DSQ-PEM", ITEMS, answers)
    pairs = [(a[f"f{n}"], a[f"s{n}"]) for n in range(1, 6)]
    item_scores = [(f * 25 + s * 25) / 2 for f, s in pairs]
    met = [n for n, (f, s) in enumerate(pairs, start=1) if f >= 2 and s >= 2]
    scores: dict[str, float | int | bool | str | None] = {
        f"item{n}": v for n, v in enumerate(item_scores, start=1)
    }
    scores["pem_score"] = round(sum(item_scores) / 5, 1)
    scores["step1_met"] = bool(met)
    if met:
        meaning = (
            "PEM screen positive: at least one kind of exertion made you worse about half the "
            "time or more, at a moderate level or worse. Pacekeeper keeps to ME/CFS rules "
            "(no step-ups). A clinician can confirm what this means for you."
        )
    else:
        meaning = (
            "PEM screen negative: no item reached 'about half the time' and 'moderate' together."
        )
    return Result(scores, meaning, ("PEM screen positive",) if met else ())


INSTRUMENT = Instrument(
    key="dsq-pem",
    name="DSQ-PEM (post-exertional malaise)",
    intro="Five kinds of crash after effort. For each: how often, and how bad, over 6 months.",
    items=ITEMS,
    licence=LICENCE,
    source=SOURCE,
    score=score,
    every_days_default=180,
)
