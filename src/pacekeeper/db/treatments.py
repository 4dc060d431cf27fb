"""Queries for treatments: medicines, supplements and therapies, each a row from the day it was
started to the day it was stopped (empty while it goes on).

A dose change is two rows: the old one stops the day before the new one starts, so every day has
one dose and the before/after view can compare them. Every change is checked here with the same
rules the web form shows (a ValidationError naming the field), so nothing half-valid is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import Treatment
from pacekeeper.errors import FieldError, NotFoundError, ValidationError

KINDS = ("medicine", "supplement", "therapy")
NAME_MAX = 120  # the column's length
DOSE_MAX = 120
NOTES_MAX = 2000
FUTURE_DAYS_MAX = 366  # a start planned further ahead than a year is almost surely a typo


@dataclass(frozen=True)
class TreatmentView:
    id: int
    name: str
    kind: str
    dose: str | None
    started_on: date
    stopped_on: date | None
    notes: str | None

    def active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


@dataclass(frozen=True)
class TreatmentInput:
    """What a person can type: checked by `check` before anything is written."""

    name: str
    kind: str
    dose: str | None
    started_on: date
    stopped_on: date | None = None
    notes: str | None = None


def _blank_to_none(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def check(data: TreatmentInput, today: date) -> TreatmentInput:
    """The input tidied (spaces trimmed, blanks to None), or a ValidationError naming each field."""
    name = " ".join(data.name.split())
    dose, notes = _blank_to_none(data.dose), _blank_to_none(data.notes)
    errors: list[FieldError] = []
    if not name:
        errors.append(FieldError("name", "give it a name, e.g. Low-dose naltrexone"))
    elif len(name) > NAME_MAX:
        errors.append(FieldError("name", f"at most {NAME_MAX} characters"))
    if data.kind not in KINDS:
        errors.append(FieldError("kind", "choose medicine, supplement or therapy"))
    if dose is not None and len(dose) > DOSE_MAX:
        errors.append(FieldError("dose", f"at most {DOSE_MAX} characters"))
    if notes is not None and len(notes) > NOTES_MAX:
        errors.append(FieldError("notes", f"at most {NOTES_MAX} characters"))
    if data.started_on > today + timedelta(days=FUTURE_DAYS_MAX):
        errors.append(FieldError("started_on", "more than a year ahead: check the year"))
    if data.stopped_on is not None and data.stopped_on < data.started_on:
        errors.append(FieldError("stopped_on", "cannot be before the start day"))
    if errors:
        raise ValidationError(errors)
    return TreatmentInput(name, data.kind, dose, data.started_on, data.stopped_on, notes)


def _view(row: Treatment) -> TreatmentView:
    return TreatmentView(
        row.id, row.name, row.kind, row.dose, row.started_on, row.stopped_on, row.notes
    )


def _row(s: Session, profile_id: int, treatment_id: int) -> Treatment:
    row = s.get(Treatment, treatment_id)
    if row is None or row.profile_id != profile_id:
        raise NotFoundError(f"There is no treatment with id {treatment_id}.")
    return row


def get(s: Session, profile_id: int, treatment_id: int) -> TreatmentView:
    return _view(_row(s, profile_id, treatment_id))


def add(
    s: Session, profile_id: int, data: TreatmentInput, today: date, now: datetime
) -> TreatmentView:
    ok = check(data, today)
    row = Treatment(profile_id=profile_id, name=ok.name, kind=ok.kind, dose=ok.dose,
                    started_on=ok.started_on, stopped_on=ok.stopped_on, notes=ok.notes,
                    created_at=now)  # fmt: skip
    s.add(row)
    s.flush()
    return _view(row)


def edit(
    s: Session, profile_id: int, treatment_id: int, data: TreatmentInput, today: date
) -> TreatmentView:
    ok = check(data, today)
    row = _row(s, profile_id, treatment_id)
    row.name, row.kind, row.dose, row.notes = ok.name, ok.kind, ok.dose, ok.notes
    row.started_on, row.stopped_on = ok.started_on, ok.stopped_on
    s.flush()
    return _view(row)


def stop(s: Session, profile_id: int, treatment_id: int, last_day: date) -> TreatmentView:
    """Stop on `last_day` (the last day it was taken)."""
    row = _row(s, profile_id, treatment_id)
    if last_day < row.started_on:
        raise ValidationError.single("stopped_on", "cannot be before the start day")
    row.stopped_on = last_day
    s.flush()
    return _view(row)


def change_dose(
    s: Session, profile_id: int, treatment_id: int, new_dose: str, from_day: date, now: datetime
) -> TreatmentView:
    """The old row stops the day before `from_day` and a new row starts on it with the new dose,
    in the caller's one transaction. A change on the start day itself corrects the dose."""
    row = _row(s, profile_id, treatment_id)
    dose = _blank_to_none(new_dose)
    errors: list[FieldError] = []
    if dose is None:
        errors.append(FieldError("dose", "write the new dose"))
    elif len(dose) > DOSE_MAX:
        errors.append(FieldError("dose", f"at most {DOSE_MAX} characters"))
    if from_day < row.started_on:
        errors.append(FieldError("changed_on", "cannot be before the start day"))
    elif row.stopped_on is not None and from_day > row.stopped_on:
        errors.append(FieldError("changed_on", "it was stopped before that day"))
    if errors:
        raise ValidationError(errors)
    if from_day == row.started_on:
        row.dose = dose
        s.flush()
        return _view(row)
    new = Treatment(profile_id=profile_id, name=row.name, kind=row.kind, dose=dose,
                    started_on=from_day, stopped_on=row.stopped_on, notes=row.notes,
                    created_at=now)  # fmt: skip
    row.stopped_on = from_day - timedelta(days=1)
    s.add(new)
    s.flush()
    return _view(new)


def delete(s: Session, profile_id: int, treatment_id: int) -> None:
    s.delete(_row(s, profile_id, treatment_id))
    s.flush()


def list_for(s: Session, profile_id: int) -> list[TreatmentView]:
    """Newest start first (then newest row first)."""
    rows = s.scalars(
        select(Treatment)
        .where(Treatment.profile_id == profile_id)
        .order_by(Treatment.started_on.desc(), Treatment.id.desc())
    )
    return [_view(r) for r in rows]


def overlapping(s: Session, profile_id: int, first: date, last: date) -> list[TreatmentView]:
    """Treatments taken on at least one day of [first, last], oldest start first."""
    rows = s.scalars(
        select(Treatment)
        .where(
            Treatment.profile_id == profile_id,
            Treatment.started_on <= last,
            (Treatment.stopped_on.is_(None)) | (Treatment.stopped_on >= first),
        )
        .order_by(Treatment.started_on, Treatment.id)
    )
    return [_view(r) for r in rows]


def active_on(s: Session, profile_id: int, day: date) -> list[TreatmentView]:
    return overlapping(s, profile_id, day, day)


def taken_days(rows: Sequence[TreatmentView], first: date, last: date) -> pl.DataFrame:
    """One (day, name) row per day in [first, last] each treatment was taken, for the trigger
    factors (engine/trigger_factors.py). Dose changes of one treatment are one name."""
    days: list[date] = []
    names: list[str] = []
    for t in rows:
        start = max(t.started_on, first)
        end = min(t.stopped_on or last, last)
        for n in range((end - start).days + 1):
            days.append(start + timedelta(days=n))
            names.append(t.name)
    frame = pl.DataFrame({"day": days, "name": names}, schema={"day": pl.Date, "name": pl.String})
    return frame.unique(maintain_order=True)


def taken_frame(s: Session, profile_id: int, first: date, last: date) -> pl.DataFrame:
    return taken_days(overlapping(s, profile_id, first, last), first, last)


@dataclass(frozen=True)
class Change:
    """A day something changed: `what` is start, dose or stop; `day` is the first day of the
    new state (the day after the last dose for a stop)."""

    day: date
    treatment_id: int
    name: str
    what: str
    words: str


def changes(rows: Sequence[TreatmentView]) -> list[Change]:
    """Every start, dose change and stop, oldest first. A row that starts the day after a row of
    the same name stopped is a dose change, and that stop is not counted twice."""
    out: list[Change] = []
    stops = {(t.name, t.stopped_on + timedelta(days=1)): t for t in rows if t.stopped_on}
    starts = {(t.name, t.started_on) for t in rows}
    for t in rows:
        if (t.name, t.started_on) in stops:
            dose = f" to {t.dose}" if t.dose else ""
            out.append(Change(t.started_on, t.id, t.name, "dose", f"{t.name} dose changed{dose}"))
        else:
            out.append(Change(t.started_on, t.id, t.name, "start", f"{t.name} started"))
        if t.stopped_on and (t.name, t.stopped_on + timedelta(days=1)) not in starts:
            after = t.stopped_on + timedelta(days=1)
            out.append(Change(after, t.id, t.name, "stop", f"{t.name} stopped"))
    return sorted(out, key=lambda c: (c.day, c.treatment_id, c.what))
