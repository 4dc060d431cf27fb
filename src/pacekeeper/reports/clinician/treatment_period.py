"""Treatments for a period, for the clinician report: what was taken, and for each one started
inside the period the trend-adjusted before/after of symptom burden (engine/treatment_effect.py).

The after window may reach past the period's last day (up to the profile's yesterday): a report
on March is still better read with April's data when they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pacekeeper.db import treatments as t_db
from pacekeeper.engine.treatment_effect import Effect, before_after
from pacekeeper.engine.treatment_outcomes import crash_days, outcome_frame
from pacekeeper.frames.resolve import ProfileDays


def _is_start(c: t_db.Change, t: t_db.TreatmentView) -> bool:
    return c.treatment_id == t.id and c.day == t.started_on


@dataclass(frozen=True)
class PeriodTreatment:
    name: str
    kind: str
    dose: str | None
    started_on: date
    stopped_on: date | None
    symptom_effect: Effect | None  # None unless started within the period


def treatments_in_period(
    s: Session, profile_id: int, first: date, last: date, days: ProfileDays
) -> list[PeriodTreatment]:
    """Treatments taken on any day of [first, last], oldest start first; `days` is the profile
    as the caller read it (frames.resolve.profile_days), so it is not read again here."""
    rows = t_db.overlapping(s, profile_id, first, last)
    started = [t for t in rows if first <= t.started_on <= last]
    if not started:
        return [PeriodTreatment(t.name, t.kind, t.dose, t.started_on, t.stopped_on, None)
                for t in rows]  # fmt: skip
    frame = outcome_frame(days.past, days.inputs.checkins)
    crashes = crash_days(frame)
    every = t_db.changes(t_db.list_for(s, profile_id))
    out: list[PeriodTreatment] = []
    for t in rows:
        effect = None
        if t in started:
            others = [(c.day, c.words) for c in every if not _is_start(c, t)]
            effect = before_after(frame, "symptom", t.started_on, others=others,
                                  crash_days=crashes)  # fmt: skip
        out.append(PeriodTreatment(t.name, t.kind, t.dose, t.started_on, t.stopped_on, effect))
    return out
