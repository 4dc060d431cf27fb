"""IOM 2015 diagnostic criteria for ME/CFS (SEID), as a checklist.

Source: Institute of Medicine 2015, "Beyond Myalgic Encephalomyelitis/Chronic Fatigue Syndrome:
Redefining an Illness" (National Academies Press), Box S-1. Licence: published criteria, free to
use with the citation; the checklist wording is our own.

Rule (IOM 2015): all three of (1) a substantial drop in pre-illness activity lasting more than
6 months, with profound fatigue that is new, not from ongoing over-exertion and not much eased
by rest; (2) post-exertional malaise; (3) unrefreshing sleep; and at least one of
(4) cognitive impairment or (5) orthostatic intolerance. The report adds that the diagnosis
should be questioned when the symptoms are not present at least half of the time with moderate
or worse intensity, so each symptom item here asks exactly that.
Every item is required. The result supports a talk with a clinician; it is not a diagnosis.
"""

from __future__ import annotations

from pacekeeper.questionnaires.base import YES_NO, Answers, Instrument, Item, Result, check_answers

SOURCE = "Institute of Medicine 2015, Beyond ME/CFS: Redefining an Illness, Box S-1"
LICENCE = "Published criteria; free to use with the citation. Clinician support, not diagnosis."
HALF = "at least half of the time, at a moderate level or worse"

ITEMS = (
    Item("reduction", "For more than 6 months, can you do much less than before you were ill "
         "(work, study, social or personal life), with deep fatigue that is new, not from "
         "over-doing things, and not much eased by rest?", YES_NO, group="Required"),
    Item("pem", f"Does effort (physical, mental or emotional) make you worse afterwards, {HALF}?",
         YES_NO, group="Required"),
    Item("sleep", f"Do you wake unrefreshed, {HALF}?", YES_NO, group="Required"),
    Item("cognitive", f"Trouble thinking, remembering or concentrating, {HALF}?", YES_NO,
         group="At least one of"),
    Item("orthostatic", f"Worse when standing or sitting upright, better lying down, {HALF}?",
         YES_NO, group="At least one of"),
)  # fmt: skip
REQUIRED = ("reduction", "pem", "sleep")
ONE_OF = ("cognitive", "orthostatic")


def score(answers: Answers) -> Result:
    a = check_answers("IOM 2015", ITEMS, answers)
    required = sum(a[k] for k in REQUIRED)
    one_of = any(a[k] for k in ONE_OF)
    met = required == len(REQUIRED) and one_of
    if met:
        meaning = (
            "Your answers fit the IOM 2015 criteria for ME/CFS. A clinician needs to confirm "
            "this and look for other causes; take this checklist to them."
        )
    else:
        meaning = (
            f"Your answers do not fit the IOM 2015 criteria ({required} of 3 required items, "
            f"{'and' if one_of else 'but not'} cognitive trouble or orthostatic intolerance)."
        )
    scores: dict[str, float | int | bool | str | None] = {
        "required_met": required,
        "cognitive_or_orthostatic": one_of,
        "criteria_met": met,
    }
    return Result(scores, meaning, ("criteria met",) if met else ())


INSTRUMENT = Instrument(
    key="iom-2015",
    name="IOM 2015 ME/CFS checklist",
    intro="Five yes-or-no questions from the IOM 2015 criteria for ME/CFS.",
    items=ITEMS,
    licence=LICENCE,
    source=SOURCE,
    score=score,
    every_days_default=365,
)
