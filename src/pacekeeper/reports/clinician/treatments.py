"""The report's treatments: what was taken in the period, with dose and dates, and for each one
started inside it the trend-adjusted before/after of symptom burden in one sentence
(treatment_period.py, engine/treatment_effect.py; the method is in docs/treatments.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from pacekeeper.engine.treatment_effect import DEFAULT_WINDOWS as W
from pacekeeper.engine.treatment_effect import Effect
from pacekeeper.engine.treatment_outcomes import OUTCOMES, describe
from pacekeeper.frames.resolve import ProfileDays
from pacekeeper.reports.clinician.treatment_period import treatments_in_period

SYMPTOMS = next(o for o in OUTCOMES if o.column == "symptom")
METHOD = (
    f"Before/after against the trend that was already there: level and slope over up to "
    f"{W.before_days} days before, a {W.wash_in_days}-day wash-in, then up to {W.after_days} "
    "days; 80% interval (method: docs/treatments.md)."
)


@dataclass(frozen=True)
class ReportTreatment:
    name: str
    kind: str  # medicine, supplement, therapy
    dose: str | None
    started_on: date
    stopped_on: date | None  # None: still taken
    symptom_change: str | None  # one sentence, for treatments started in the period


def report_treatments(
    s: Session, profile_id: int, first: date, last: date, days: ProfileDays
) -> list[ReportTreatment]:
    return [
        ReportTreatment(
            t.name,
            t.kind,
            t.dose,
            t.started_on,
            t.stopped_on,
            _sentence(t.symptom_effect) if t.symptom_effect is not None else None,
        )
        for t in treatments_in_period(s, profile_id, first, last, days)
    ]


def _sentence(e: Effect) -> str:
    """The page's sentence with its caveats cut to a few words: the report has three pages."""
    text = describe(SYMPTOMS, replace(e, confounders=(), crash_before=False))
    cautions = []
    if e.confounders:
        what = ", ".join(f"{w} on {d:%-d %b}" for d, w in e.confounders[:2])
        cautions.append(f"other changes in these weeks ({what})")
    if e.crash_before:
        cautions.append("a crash shortly before (some recovery was likely anyway)")
    return text + (f" Caution: {'; '.join(cautions)}." if cautions else "")
