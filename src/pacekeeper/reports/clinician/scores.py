"""Questionnaire scores for the report: for each instrument filled in during the period, the
latest score, how it moved since the first in the period and since the one before the period,
and what it means by the instrument's own published rule (pacekeeper.questionnaires). The
numbers are the scores stored when the form was saved; no cut-off is added here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pacekeeper.db import questionnaires as q_db
from pacekeeper.questionnaires import INSTRUMENTS, fss, rand36

Scores = Mapping[str, object]
MANY = 10_000  # responses read per instrument: years of weekly forms


@dataclass(frozen=True)
class ScoreLine:
    label: str
    latest: str
    since_first: str | None  # change from the first in the period; None when it is the latest
    since_before: str | None  # change from the last one before the period; None when none


@dataclass(frozen=True)
class InstrumentScores:
    name: str
    source: str
    latest_day: date
    first_day: date  # the first in the period (the latest when only one)
    before_day: date | None  # the last one before the period
    count: int  # filled in during the period
    lines: list[ScoreLine]
    meaning: str


def _yes(scores: Scores, key: str) -> bool:
    return scores.get(key) is True


def _dsq(scores: Scores) -> str:
    if _yes(scores, "step1_met"):
        return "Step 1 met: an item at least half the time and at least moderate (Cotler 2018)."
    return "Step 1 not met: no item at half the time or more and moderate or worse."


def _fss(scores: Scores) -> str:
    mean = scores.get("mean")
    if not isinstance(mean, int | float):
        return ""
    side = "at or above" if mean >= fss.CUTOFF else "below"
    return f"Mean {side} {fss.CUTOFF:g}, the usual mark of significant fatigue (Krupp 1989)."


def _rand(_: Scores) -> str:
    return "Each scale 0 (worst) to 100 (best); RAND gives no cut-off."


def _acr(scores: Scores) -> str:
    met = "met" if _yes(scores, "criteria_met") else "not met"
    regions = scores.get("regions_with_pain")
    return f"ACR 2016 fibromyalgia criteria {met} by self-report (pain in {regions} of 5 regions)."


def _iom(scores: Scores) -> str:
    if _yes(scores, "criteria_met"):
        return "Answers fit the IOM 2015 ME/CFS criteria (self-report; needs clinical review)."
    return "Answers do not fit the IOM 2015 ME/CFS criteria."


RAND_NAMES = {
    "physical_functioning": "Physical functioning",
    "role_physical": "Role limits: physical",
    "role_emotional": "Role limits: emotional",
    "energy_fatigue": "Energy/fatigue",
    "emotional_wellbeing": "Emotional well-being",
    "social_functioning": "Social functioning",
    "pain": "Pain (high: less pain)",
    "general_health": "General health",
}
# instrument key -> (the scores to print with their labels, the meaning by its rule)
HEADLINES: dict[str, tuple[list[tuple[str, str]], Callable[[Scores], str]]] = {
    "dsq-pem": ([("pem_score", "PEM score (0-100)")], _dsq),
    "fss": ([("mean", "Mean (1-7)")], _fss),
    "rand-36": ([(k, RAND_NAMES[k]) for k in rand36.SCALES], _rand),
    "acr-2016": ([("wpi", "Widespread pain index (0-19)"), ("sss", "Symptom severity (0-12)")],
                 _acr),
    "iom-2015": ([("required_met", "Required criteria met (of 3)")], _iom),
}  # fmt: skip


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _shown(value: object) -> str:
    number = _number(value)
    return "none" if number is None else f"{number:g}"


def _change(now: object, then: object) -> str | None:
    a, b = _number(now), _number(then)
    if a is None or b is None:
        return None
    delta = round(a - b, 2)
    return "no change" if delta == 0 else f"{delta:+g}"


def instrument_scores(
    key: str, found: list[q_db.ResponseView], first: date, last: date
) -> InstrumentScores | None:
    """One instrument's lines, from its responses newest first; None when none is in the period."""
    inside = [r for r in found if first <= r.day <= last]
    if not inside or key not in HEADLINES:
        return None
    before = next((r for r in found if r.day < first), None)
    latest, earliest = inside[0], inside[-1]
    wanted, meaning = HEADLINES[key]
    lines = [
        ScoreLine(
            label,
            _shown(latest.scores.get(score)),
            _change(latest.scores.get(score), earliest.scores.get(score))
            if earliest is not latest
            else None,
            _change(latest.scores.get(score), before.scores.get(score)) if before else None,
        )
        for score, label in wanted
    ]
    inst = INSTRUMENTS[key]
    return InstrumentScores(
        inst.name,
        CITED.get(key, inst.source),
        latest.day,
        earliest.day,
        before.day if before else None,
        len(inside),
        lines,
        meaning(latest.scores),
    )


# Short citations for the report's footnote (three pages); the full ones are in each
# instrument's module and docs/questionnaires.md.
CITED = {
    "dsq-pem": "Cotler 2018, Diagnostics 8:66",
    "fss": "Krupp 1989, Arch Neurol 46:1121",
    "rand-36": "Hays 1993, Health Econ 2:217",
    "acr-2016": "Wolfe 2016, Semin Arthritis Rheum 46:319",
    "iom-2015": "IOM 2015, Beyond ME/CFS, Box S-1",
}


def questionnaire_scores(
    s: Session, profile_id: int, first: date, last: date
) -> list[InstrumentScores]:
    """Every shipped instrument filled in during the period, in the app's own order."""
    out = []
    for key in INSTRUMENTS:
        found = q_db.responses(s, profile_id, key, limit=MANY)
        made = instrument_scores(key, found, first, last)
        if made is not None:
            out.append(made)
    return out
