"""Treatments for a period, for the clinician report: what was taken, and for each one started
inside the period the trend-adjusted before/after of symptom burden (engine/treatment_effect.py).

The after window may reach past the period's last day: a report on March is still better read
with April's data when they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import treatments as t_db
from pacekeeper.engine.treatment_effect import DEFAULT_WINDOWS, Effect, before_after
from pacekeeper.engine.treatment_outcomes import crash_days, outcome_frame
from pacekeeper.frames.build import daily_frame
from pacekeeper.frames.from_profile import hr_ceiling, inputs_for_profile


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
    s: Session, profile_id: int, first: date, last: date
) -> list[PeriodTreatment]:
    """Treatments taken on any day of [first, last], oldest start first."""
    rows = t_db.overlapping(s, profile_id, first, last)
    started = [t for t in rows if first <= t.started_on <= last]
    if not started:
        return [PeriodTreatment(t.name, t.kind, t.dose, t.started_on, t.stopped_on, None)
                for t in rows]  # fmt: skip
    p = profiles_db.get_profile(s, profile_id)
    inputs = inputs_for_profile(s, p)
    end = last + timedelta(days=DEFAULT_WINDOWS.wash_in_days + DEFAULT_WINDOWS.after_days)
    frame = outcome_frame(
        daily_frame(
            inputs,
            boundary=profiles_db.profile_boundary(p),
            hr_ceiling=hr_ceiling(p, last),
            last=end,
        ),
        inputs.checkins,
    )
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
