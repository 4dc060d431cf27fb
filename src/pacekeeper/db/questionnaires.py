"""Queries for questionnaires: saved responses with their scores, and each profile's schedule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import QuestionnaireResponse, QuestionnaireSchedule
from pacekeeper.errors import ValidationError

EVERY_DAYS_MAX = 730


@dataclass(frozen=True)
class ResponseView:
    id: int
    instrument: str
    taken_at: datetime
    day: date  # the local day it was filled in (by the offset kept with it)
    answers: dict[str, int]
    scores: dict[str, object]


@dataclass(frozen=True)
class DueView:
    instrument: str
    every_days: int
    last_day: date | None
    due_on: date  # today when never filled in

    def is_due(self, today: date) -> bool:
        return self.due_on <= today


def _local_day(taken_at: datetime, offset_minutes: int) -> date:
    return (taken_at + timedelta(minutes=offset_minutes)).date()


def save_response(
    s: Session,
    profile_id: int,
    instrument: str,
    answers: Mapping[str, int],
    scores: Mapping[str, object],
    taken_at: datetime,
    utc_offset_minutes: int,
) -> ResponseView:
    row = QuestionnaireResponse(
        profile_id=profile_id,
        instrument=instrument,
        taken_at=taken_at,
        utc_offset_minutes=utc_offset_minutes,
        answers=dict(answers),
        scores=dict(scores),
    )
    s.add(row)
    s.flush()
    return _view(row)


def _view(row: QuestionnaireResponse) -> ResponseView:
    return ResponseView(
        row.id,
        row.instrument,
        row.taken_at,
        _local_day(row.taken_at, row.utc_offset_minutes),
        dict(row.answers),
        dict(row.scores),
    )


def responses(
    s: Session, profile_id: int, instrument: str | None = None, limit: int = 50
) -> list[ResponseView]:
    """Newest first."""
    q = select(QuestionnaireResponse).where(QuestionnaireResponse.profile_id == profile_id)
    if instrument is not None:
        q = q.where(QuestionnaireResponse.instrument == instrument)
    q = q.order_by(QuestionnaireResponse.taken_at.desc(), QuestionnaireResponse.id.desc())
    return [_view(r) for r in s.scalars(q.limit(limit))]


def set_schedule(s: Session, profile_id: int, instrument: str, every_days: int | None) -> None:
    """Ask for a reminder every N days; None stops the reminders (answers are kept)."""
    s.execute(
        delete(QuestionnaireSchedule).where(
            QuestionnaireSchedule.profile_id == profile_id,
            QuestionnaireSchedule.instrument == instrument,
        )
    )
    if every_days is None:
        return
    if not 1 <= every_days <= EVERY_DAYS_MAX:
        raise ValidationError.single("every_days", f"must be 1-{EVERY_DAYS_MAX} days")
    s.add(QuestionnaireSchedule(profile_id=profile_id, instrument=instrument,
                                every_days=every_days))  # fmt: skip
    s.flush()


def schedules(s: Session, profile_id: int) -> dict[str, int]:
    rows = s.execute(
        select(QuestionnaireSchedule.instrument, QuestionnaireSchedule.every_days).where(
            QuestionnaireSchedule.profile_id == profile_id
        )
    )
    return {str(k): int(n) for k, n in rows}


def due(s: Session, profile_id: int, today: date) -> list[DueView]:
    """Each scheduled questionnaire with the day it is next due: N days after the last local
    day it was filled in, or today when it never was. Soonest first."""
    out: list[DueView] = []
    for instrument, every in schedules(s, profile_id).items():
        last = responses(s, profile_id, instrument, limit=1)
        last_day = last[0].day if last else None
        due_on = today if last_day is None else last_day + timedelta(days=every)
        out.append(DueView(instrument, every, last_day, due_on))
    return sorted(out, key=lambda d: (d.due_on, d.instrument))
