"""Profiles and their trackers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.clock import Clock
from pacekeeper.db.tables import Profile, Tracker
from pacekeeper.domain.conditions import CeilingMethod, Condition, Sex
from pacekeeper.domain.localday import local_day, minutes_to_time, time_to_minutes, zone
from pacekeeper.domain.profile import ProfileData
from pacekeeper.domain.trackers import BUILTIN_TRACKERS, TrackerDef, TrackerKind
from pacekeeper.errors import NotFoundError, ValidationError


def _apply(p: Profile, data: ProfileData) -> None:
    p.name = data.name
    p.conditions = [c.value for c in data.conditions]
    p.birth_year = data.birth_year
    p.sex = data.sex.value if data.sex else None
    p.resting_hr = data.resting_hr
    p.hr_ceiling = data.hr_ceiling
    p.hr_ceiling_method = data.hr_ceiling_method.value if data.hr_ceiling_method else None
    p.hr_affecting_medication = data.hr_affecting_medication
    p.time_zone = data.time_zone
    p.day_boundary_minutes = time_to_minutes(data.day_boundary)
    p.theme = data.theme
    p.is_generated = data.is_generated


def create_profile(
    s: Session, data: ProfileData, now: datetime, *, trackers: tuple[TrackerDef, ...] | None = None
) -> Profile:
    """A new profile with the built-in trackers (or `trackers`, when restoring a backup)."""
    p = Profile(created_at=now, updated_at=now)
    _apply(p, data)
    for t in BUILTIN_TRACKERS if trackers is None else trackers:
        p.trackers.append(_tracker_row(t))
    s.add(p)
    s.flush()
    return p


def update_profile(s: Session, profile_id: int, data: ProfileData, now: datetime) -> Profile:
    p = get_profile(s, profile_id)
    keep_generated = p.is_generated
    _apply(p, data)
    p.is_generated = keep_generated  # a person can't turn demo data into "real" data by editing
    p.updated_at = now
    s.flush()
    return p


def get_profile(s: Session, profile_id: int) -> Profile:
    p = s.get(Profile, profile_id)
    if p is None:
        raise NotFoundError(f"profile {profile_id} does not exist")
    return p


def list_profiles(s: Session) -> list[Profile]:
    return list(s.scalars(select(Profile).order_by(Profile.id)))


def find_profile(s: Session, ref: str | int | None) -> Profile:
    """A profile by id or exact name; with no ref, the only (or first real) profile."""
    profiles = list_profiles(s)
    if not profiles:
        raise NotFoundError("there is no profile yet: create one with `pacekeeper profile create`")
    if ref is None or ref == "":
        real = [p for p in profiles if not p.is_generated]
        return (real or profiles)[0]
    for p in profiles:
        if str(p.id) == str(ref) or p.name == ref:
            return p
    raise NotFoundError(
        f"no profile called {ref!r}; profiles: {', '.join(p.name for p in profiles)}"
    )


def delete_profile(s: Session, profile_id: int) -> None:
    s.delete(get_profile(s, profile_id))
    s.flush()


def profile_data(p: Profile) -> ProfileData:
    return ProfileData(
        name=p.name,
        conditions=tuple(Condition(c) for c in p.conditions),
        birth_year=p.birth_year,
        sex=Sex(p.sex) if p.sex else None,
        resting_hr=p.resting_hr,
        hr_ceiling=p.hr_ceiling,
        hr_ceiling_method=CeilingMethod(p.hr_ceiling_method) if p.hr_ceiling_method else None,
        hr_affecting_medication=p.hr_affecting_medication,
        time_zone=p.time_zone,
        day_boundary=minutes_to_time(p.day_boundary_minutes),
        theme=p.theme,
        is_generated=p.is_generated,
    )


def profile_zone(p: Profile) -> ZoneInfo:
    return zone(p.time_zone)


def profile_boundary(p: Profile) -> time:
    return minutes_to_time(p.day_boundary_minutes)


def today_for(p: Profile, clock: Clock) -> date:
    """The person's local day right now, with their day boundary."""
    return local_day(clock.now(), profile_zone(p), profile_boundary(p))


# -- trackers --------------------------------------------------------------------------------


def _tracker_row(t: TrackerDef) -> Tracker:
    return Tracker(
        key=t.key,
        label=t.label,
        kind=t.kind.value,
        min_value=t.min_value,
        max_value=t.max_value,
        low_anchor=t.low_anchor,
        high_anchor=t.high_anchor,
        higher_is_worse=t.higher_is_worse,
        is_symptom=t.is_symptom,
        unit=t.unit,
        enabled=t.enabled,
        position=t.position,
        builtin=t.builtin,
    )


def tracker_def(row: Tracker) -> TrackerDef:
    return TrackerDef(
        key=row.key,
        label=row.label,
        kind=TrackerKind(row.kind),
        min_value=row.min_value,
        max_value=row.max_value,
        low_anchor=row.low_anchor,
        high_anchor=row.high_anchor,
        higher_is_worse=row.higher_is_worse,
        is_symptom=row.is_symptom,
        unit=row.unit,
        enabled=row.enabled,
        position=row.position,
        builtin=row.builtin,
    )


def trackers(p: Profile, *, enabled_only: bool = False) -> list[TrackerDef]:
    defs = [tracker_def(t) for t in sorted(p.trackers, key=lambda t: (t.position, t.id or 0))]
    return [t for t in defs if t.enabled] if enabled_only else defs


def add_tracker(s: Session, p: Profile, t: TrackerDef) -> Tracker:
    if any(row.key == t.key for row in p.trackers):
        raise ValidationError.single("label", f"a tracker called {t.key!r} already exists")
    position = max((row.position for row in p.trackers), default=-1) + 1
    row = _tracker_row(replace(t, position=position, builtin=False))
    p.trackers.append(row)
    s.flush()
    return row


def set_tracker_enabled(s: Session, p: Profile, key: str, enabled: bool) -> None:
    for row in p.trackers:
        if row.key == key:
            row.enabled = enabled
            s.flush()
            return
    raise NotFoundError(f"profile {p.name!r} has no tracker {key!r}")


def move_tracker(s: Session, p: Profile, key: str, step: int) -> None:
    """Move a tracker up (step -1) or down (step +1) in the check-in order."""
    rows = sorted(p.trackers, key=lambda t: (t.position, t.id or 0))
    idx = next((i for i, r in enumerate(rows) if r.key == key), None)
    if idx is None:
        raise NotFoundError(f"profile {p.name!r} has no tracker {key!r}")
    j = idx + step
    if 0 <= j < len(rows):
        rows[idx], rows[j] = rows[j], rows[idx]
    for i, r in enumerate(rows):
        r.position = i
    s.flush()
