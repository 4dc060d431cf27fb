"""RAND 36-Item Health Survey 1.0 (RAND-36; Hays, Sherbourne & Mazel 1993, Health Econ 2:217).

Licence: RAND makes the survey and its scoring public and free to use; credit "RAND 36-Item
Health Survey 1.0, RAND Health Care". This is not the trademarked SF-36 and uses no SF-36
norm-based scoring. Item wording below is our own short paraphrase, numbered as in RAND's form.

Scoring (RAND "36-Item Short Form Survey: Scoring Instructions", steps 1 and 2):
1. each answer is recoded to 0-100 by the item's table (RECODE below), higher always better;
2. each scale is the mean of its recoded items that were answered. Unanswered items are left
   out ("scale scores represent the average for all items in the scale that the respondent
   answered"), so an item may be skipped; a scale with no answered item has no score.
Item 2 (health now vs a year ago) is in no scale; it is reported on its own.
The manual sets no cut-offs: scores are read as 0 (worst) to 100 (best).
"""

from __future__ import annotations

from pacekeeper.errors import ValidationError
from pacekeeper.questionnaires.base import (
    Answers,
    Instrument,
    Item,
    Option,
    Result,
    check_answers,
    options,
)

SOURCE = "RAND 36-Item Health Survey 1.0 scoring instructions (Hays et al. 1993, Health Econ 2:217)"
LICENCE = "Free to use (RAND Health Care); credit the RAND 36-Item Health Survey 1.0."

_HEALTH = options("Excellent", "Very good", "Good", "Fair", "Poor", start=1)
_CHANGE = options("Much better", "Somewhat better", "About the same", "Somewhat worse",
                  "Much worse", start=1)  # fmt: skip
_LIMITED = options("Yes, limited a lot", "Yes, limited a little", "No, not limited", start=1)
_YES_NO = options("Yes", "No", start=1)
_EXTENT = options("Not at all", "Slightly", "Moderately", "Quite a bit", "Extremely", start=1)
_PAIN = options("None", "Very mild", "Mild", "Moderate", "Severe", "Very severe", start=1)
_TIME6 = options("All of the time", "Most of the time", "A good bit of the time",
                 "Some of the time", "A little of the time", "None of the time",
                 start=1)  # fmt: skip
_TIME5 = options("All of the time", "Most of the time", "Some of the time",
                 "A little of the time", "None of the time", start=1)  # fmt: skip
_TRUE = options("Definitely true", "Mostly true", "Don't know", "Mostly false",
                "Definitely false", start=1)  # fmt: skip

_LIMITS = "Does your health now limit you in this"
_PHYS = "Past 4 weeks, because of your physical health"
_EMO = "Past 4 weeks, because of emotional problems (feeling low or anxious)"
_FEEL = "Past 4 weeks, how much of the time"
_TEXTS: tuple[tuple[str, tuple[Option, ...], str], ...] = (
    ("In general, your health is", _HEALTH, "Health"),
    ("Your health now, compared with a year ago", _CHANGE, "Health"),
    ("Vigorous activities (running, lifting heavy things, strenuous sport)", _LIMITED, _LIMITS),
    ("Moderate activities (moving a table, vacuuming, bowling, golf)", _LIMITED, _LIMITS),
    ("Lifting or carrying groceries", _LIMITED, _LIMITS),
    ("Climbing several flights of stairs", _LIMITED, _LIMITS),
    ("Climbing one flight of stairs", _LIMITED, _LIMITS),
    ("Bending, kneeling or stooping", _LIMITED, _LIMITS),
    ("Walking more than a mile (1.6 km)", _LIMITED, _LIMITS),
    ("Walking several blocks", _LIMITED, _LIMITS),
    ("Walking one block", _LIMITED, _LIMITS),
    ("Bathing or dressing yourself", _LIMITED, _LIMITS),
    ("Did you cut down the time spent on work or other activities?", _YES_NO, _PHYS),
    ("Did you get less done than you wanted?", _YES_NO, _PHYS),
    ("Were you limited in the kind of work or activities?", _YES_NO, _PHYS),
    ("Did work or activities take extra effort?", _YES_NO, _PHYS),
    ("Did you cut down the time spent on work or other activities?", _YES_NO, _EMO),
    ("Did you get less done than you wanted?", _YES_NO, _EMO),
    ("Did you do work or activities less carefully than usual?", _YES_NO, _EMO),
    ("How much did health or emotional problems get in the way of time with family, friends or "
     "groups?", _EXTENT, "Past 4 weeks"),
    ("How much bodily pain did you have?", _PAIN, "Past 4 weeks"),
    ("How much did pain get in the way of your usual work, at home or outside?", _EXTENT,
     "Past 4 weeks"),
    ("did you feel full of life?", _TIME6, _FEEL),
    ("were you very nervous?", _TIME6, _FEEL),
    ("did you feel so low nothing could cheer you up?", _TIME6, _FEEL),
    ("did you feel calm and peaceful?", _TIME6, _FEEL),
    ("did you have a lot of energy?", _TIME6, _FEEL),
    ("did you feel downhearted and blue?", _TIME6, _FEEL),
    ("did you feel worn out?", _TIME6, _FEEL),
    ("have you been happy?", _TIME6, _FEEL),
    ("did you feel tired?", _TIME6, _FEEL),
    ("did health or emotional problems get in the way of seeing friends or relatives?", _TIME5,
     _FEEL),
    ("I seem to get ill a little more easily than other people", _TRUE, "How true is this"),
    ("I am as healthy as anybody I know", _TRUE, "How true is this"),
    ("I expect my health to get worse", _TRUE, "How true is this"),
    ("My health is excellent", _TRUE, "How true is this"),
)  # fmt: skip

ITEMS = tuple(
    Item(f"q{n}", text, opts, group=group, optional=True)
    for n, (text, opts, group) in enumerate(_TEXTS, start=1)
)

# RAND scoring table 1: answer (1-based) -> 0-100 for each item group.
_DOWN5 = (100, 75, 50, 25, 0)
_UP3 = (0, 50, 100)
_UP2 = (0, 100)
_DOWN6 = (100, 80, 60, 40, 20, 0)
_UP6 = (0, 20, 40, 60, 80, 100)
_UP5 = (0, 25, 50, 75, 100)
RECODE: dict[int, tuple[int, ...]] = {
    **dict.fromkeys((1, 2, 20, 22, 34, 36), _DOWN5),
    **dict.fromkeys(range(3, 13), _UP3),
    **dict.fromkeys(range(13, 20), _UP2),
    **dict.fromkeys((21, 23, 26, 27, 30), _DOWN6),
    **dict.fromkeys((24, 25, 28, 29, 31), _UP6),
    **dict.fromkeys((32, 33, 35), _UP5),
}
# RAND scoring table 2: the eight scales and their items.
SCALES: dict[str, tuple[int, ...]] = {
    "physical_functioning": tuple(range(3, 13)),
    "role_physical": (13, 14, 15, 16),
    "role_emotional": (17, 18, 19),
    "energy_fatigue": (23, 27, 29, 31),
    "emotional_wellbeing": (24, 25, 26, 28, 30),
    "social_functioning": (20, 32),
    "pain": (21, 22),
    "general_health": (1, 33, 34, 35, 36),
}
SCALE_WORDS = {
    "physical_functioning": "physical functioning",
    "role_physical": "doing your usual roles despite physical health",
    "role_emotional": "doing your usual roles despite emotional problems",
    "energy_fatigue": "energy (low means more fatigue)",
    "emotional_wellbeing": "emotional well-being",
    "social_functioning": "social functioning",
    "pain": "freedom from pain (low means more pain)",
    "general_health": "general health",
}


def recoded(answers: dict[str, int]) -> dict[int, int]:
    """Step 1: every answered item on the 0-100 scale."""
    return {n: RECODE[n][answers[f"q{n}"] - 1] for n in RECODE if f"q{n}" in answers}


def score(answers: Answers) -> Result:
    a = check_answers("RAND-36", ITEMS, answers)
    if not a:
        raise ValidationError.single("q1", "RAND-36: no item answered")
    r = recoded(a)
    scores: dict[str, float | int | bool | str | None] = {}
    for scale, items in SCALES.items():
        got = [r[n] for n in items if n in r]
        scores[scale] = round(sum(got) / len(got), 1) if got else None
    scores["health_change"] = r.get(2)
    lowest = min(
        ((v, k) for k, v in scores.items() if k in SCALES and isinstance(v, float)),
        default=None,
    )
    meaning = "Each scale runs from 0 (worst) to 100 (best); there is no pass mark."
    if lowest is not None:
        meaning += f" Your lowest is {SCALE_WORDS[lowest[1]]} at {lowest[0]:g}."
    skipped = [scale for scale in SCALES if scores[scale] is None]
    if skipped:
        meaning += " No score for: " + ", ".join(SCALE_WORDS[s] for s in skipped) + "."
    return Result(scores, meaning)


INSTRUMENT = Instrument(
    key="rand-36",
    name="RAND-36 health survey",
    intro="36 questions on how your health affects daily life. Skip any you cannot answer.",
    items=ITEMS,
    licence=LICENCE,
    source=SOURCE,
    score=score,
    every_days_default=90,
)
