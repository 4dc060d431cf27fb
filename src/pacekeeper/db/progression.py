"""Queries for the planner: its per-profile settings and the rule-of-two movement."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import (
    PlannerSetting,
    Profile,
    ProgressionDay,
    ProgressionMovement,
    ProgressionStep,
)
from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.planner.progression import Step

SETTING_KEYS = ("cpet_vt1_hr", "crisis_line", "pem_screen", "dsq_pem", "long_covid_chosen")


def settings(s: Session, p: Profile) -> dict[str, Any]:
    row = s.get(PlannerSetting, p.id)
    return dict(row.values) if row is not None else {}


def update_settings(s: Session, p: Profile, changes: dict[str, Any], now: datetime) -> None:
    """Set (or, with None, remove) planner settings; unknown keys are refused."""
    unknown = sorted(set(changes) - set(SETTING_KEYS))
    if unknown:
        raise ValidationError([FieldError(k, "is not a planner setting") for k in unknown])
    row = s.get(PlannerSetting, p.id)
    if row is None:
        row = PlannerSetting(profile_id=p.id, values={}, updated_at=now)
        s.add(row)
    values = {**row.values, **changes}
    row.values = {k: v for k, v in values.items() if v is not None}
    row.updated_at = now
    s.flush()


def active_movement(s: Session, p: Profile) -> ProgressionMovement | None:
    return s.scalars(
        select(ProgressionMovement)
        .where(ProgressionMovement.profile_id == p.id, ProgressionMovement.active)
        .order_by(ProgressionMovement.id.desc())
    ).first()


def start_movement(
    s: Session, p: Profile, name: str, baseline_minutes: float, day: date, now: datetime
) -> ProgressionMovement:
    """Choose the one movement (the previous one, if any, is put aside)."""
    errors = []
    if not name.strip() or len(name) > 80:
        errors.append(FieldError("name", "must be 1 to 80 characters"))
    if not 0 < baseline_minutes <= 600:
        errors.append(FieldError("minutes", "must be from 1 to 600"))
    if errors:
        raise ValidationError(errors)
    for old in s.scalars(
        select(ProgressionMovement).where(
            ProgressionMovement.profile_id == p.id, ProgressionMovement.active
        )
    ):
        old.active = False
    m = ProgressionMovement(
        profile_id=p.id,
        name=name.strip(),
        baseline_minutes=baseline_minutes,
        started_on=day,
        active=True,
        created_at=now,
    )
    s.add(m)
    s.flush()
    return m


def steps(s: Session, m: ProgressionMovement) -> list[Step]:
    rows = s.scalars(
        select(ProgressionStep)
        .where(ProgressionStep.movement_id == m.id)
        .order_by(ProgressionStep.day)
    )
    return [Step(r.day, r.level_minutes) for r in rows]


def set_level(s: Session, m: ProgressionMovement, day: date, minutes: float) -> None:
    """Record the level from `day` on (one change per day; a second one replaces it)."""
    if not 0 < minutes <= 600:
        raise ValidationError([FieldError("minutes", "must be from 1 to 600")])
    row = s.scalars(
        select(ProgressionStep).where(
            ProgressionStep.movement_id == m.id, ProgressionStep.day == day
        )
    ).first()
    if row is None:
        s.add(ProgressionStep(movement_id=m.id, day=day, level_minutes=minutes))
    else:
        row.level_minutes = minutes
    s.flush()


def mark_done(s: Session, m: ProgressionMovement, day: date) -> None:
    if s.get(ProgressionDay, (m.id, day)) is None:
        s.add(ProgressionDay(movement_id=m.id, day=day))
        s.flush()


def days_done(s: Session, m: ProgressionMovement) -> set[date]:
    return set(s.scalars(select(ProgressionDay.day).where(ProgressionDay.movement_id == m.id)))
