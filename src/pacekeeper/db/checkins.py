"""Daily check-ins: one per person per local day; a new save for the same day replaces it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pacekeeper.db.tables import CheckIn, CheckInValue, Profile
from pacekeeper.domain.entries import CheckInData
from pacekeeper.domain.localday import utc_offset_minutes


class SaveOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DUPLICATE = "duplicate"  # this exact submission (client_id) was stored before
    STALE = "stale"  # an answer recorded later for the same day is already stored; kept that one


@dataclass(frozen=True)
class StoredCheckIn:
    day: date
    values: dict[str, float]
    note: str
    recorded_at: datetime
    utc_offset_minutes: int
    client_id: str | None
    source: str


def save_checkin(
    s: Session, p: Profile, data: CheckInData, now: datetime
) -> tuple[CheckIn, SaveOutcome]:
    """Store a check-in. Safe to call again with the same data: offline phones resend."""
    if data.client_id:
        seen = s.scalar(
            select(CheckIn).where(CheckIn.profile_id == p.id, CheckIn.client_id == data.client_id)
        )
        if seen is not None:
            return seen, SaveOutcome.DUPLICATE

    recorded_at = data.recorded_at or now
    existing = s.scalar(
        select(CheckIn)
        .where(CheckIn.profile_id == p.id, CheckIn.day == data.day)
        .options(selectinload(CheckIn.values))
    )
    if existing is not None and existing.recorded_at > recorded_at:
        return existing, SaveOutcome.STALE

    tracker_ids = {t.key: t.id for t in p.trackers}
    if existing is None:
        row = CheckIn(profile_id=p.id, day=data.day)
        s.add(row)
        outcome = SaveOutcome.CREATED
    else:
        row = existing
        row.values.clear()
        s.flush()
        outcome = SaveOutcome.UPDATED
    row.recorded_at = recorded_at
    row.utc_offset_minutes = utc_offset_minutes(recorded_at)
    row.note = data.note
    row.client_id = data.client_id
    row.source = data.source
    for key, value in data.values.items():
        row.values.append(CheckInValue(tracker_id=tracker_ids[key], value=value))
    s.flush()
    return row, outcome


def _stored(row: CheckIn, keys: dict[int, str]) -> StoredCheckIn:
    return StoredCheckIn(
        day=row.day,
        values={keys[v.tracker_id]: v.value for v in row.values},
        note=row.note,
        recorded_at=row.recorded_at,
        utc_offset_minutes=row.utc_offset_minutes,
        client_id=row.client_id,
        source=row.source,
    )


def get_checkin(s: Session, p: Profile, day: date) -> StoredCheckIn | None:
    row = s.scalar(
        select(CheckIn)
        .where(CheckIn.profile_id == p.id, CheckIn.day == day)
        .options(selectinload(CheckIn.values))
    )
    return None if row is None else _stored(row, {t.id: t.key for t in p.trackers})


def latest_checkin_before(s: Session, p: Profile, day: date) -> StoredCheckIn | None:
    row = s.scalar(
        select(CheckIn)
        .where(CheckIn.profile_id == p.id, CheckIn.day < day)
        .order_by(CheckIn.day.desc())
        .limit(1)
        .options(selectinload(CheckIn.values))
    )
    return None if row is None else _stored(row, {t.id: t.key for t in p.trackers})


def checkins_between(s: Session, p: Profile, first: date, last: date) -> list[StoredCheckIn]:
    """Check-ins from `first` to `last`, both included, oldest first."""
    rows = s.scalars(
        select(CheckIn)
        .where(CheckIn.profile_id == p.id, CheckIn.day >= first, CheckIn.day <= last)
        .order_by(CheckIn.day)
        .options(selectinload(CheckIn.values))
    )
    keys = {t.id: t.key for t in p.trackers}
    return [_stored(r, keys) for r in rows]


def delete_checkin(s: Session, p: Profile, day: date) -> bool:
    row = s.scalar(select(CheckIn).where(CheckIn.profile_id == p.id, CheckIn.day == day))
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True


@dataclass(frozen=True)
class MergeResult:
    added: int  # answers stored
    same: int  # already stored with the same value (a re-import)
    kept: int  # a different value was already there and was kept


def merge_answers(
    s: Session,
    p: Profile,
    day: date,
    values: dict[str, float],
    note: str,
    source: str,
    now: datetime,
) -> MergeResult:
    """Add imported answers to a day's check-in without overwriting any answer already there.

    What a person entered themselves always wins over an import, and importing the same file
    again adds nothing. A note is appended unless the day's note already contains it.
    """
    row = s.scalar(
        select(CheckIn)
        .where(CheckIn.profile_id == p.id, CheckIn.day == day)
        .options(selectinload(CheckIn.values))
    )
    if row is None:
        row = CheckIn(
            profile_id=p.id, day=day, recorded_at=now, utc_offset_minutes=0, note="", source=source
        )
        s.add(row)
    ids = {t.key: t.id for t in p.trackers}
    have = {v.tracker_id: v.value for v in row.values}
    added = same = kept = 0
    for key, value in values.items():
        tid = ids[key]
        if tid not in have:
            row.values.append(CheckInValue(tracker_id=tid, value=value))
            added += 1
        elif have[tid] == value:
            same += 1
        else:
            kept += 1
    if note and note not in row.note:
        row.note = f"{row.note}\n{note}".strip() if row.note else note
    s.flush()
    return MergeResult(added, same, kept)
