"""Activity and rest entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import Activity, Profile, Rest
from pacekeeper.domain.entries import ActivityData, Posture, RestData, RestKind
from pacekeeper.domain.localday import utc_offset_minutes, with_offset
from pacekeeper.errors import NotFoundError

SOURCE_SIZE: int = Activity.__table__.c.source.type.length  # type: ignore[attr-defined]


def add_activity(s: Session, p: Profile, a: ActivityData) -> tuple[Activity, bool]:
    """Store an activity; returns (row, created). A resent client_id returns the first row."""
    if a.client_id:
        seen = s.scalar(
            select(Activity).where(Activity.profile_id == p.id, Activity.client_id == a.client_id)
        )
        if seen is not None:
            return seen, False
    row = Activity(**_activity_values(p, a))
    s.add(row)
    s.flush()
    return row, True


def _activity_values(p: Profile, a: ActivityData) -> dict[str, Any]:
    """An activity's row; the source is cut to its column's length, which PostgreSQL enforces
    (an Apple Health source name can be longer)."""
    return {
        "profile_id": p.id,
        "what": a.what,
        "started_at": a.started_at,
        "utc_offset_minutes": utc_offset_minutes(a.started_at),
        "minutes": a.minutes,
        "physical": a.physical,
        "cognitive": a.cognitive,
        "emotional": a.emotional,
        "social": a.social,
        "posture": a.posture.value,
        "note": a.note,
        "source": a.source[:SOURCE_SIZE],
        "client_id": a.client_id,
    }


def add_imported_activities(s: Session, p: Profile, items: Sequence[ActivityData]) -> int:
    """Store activities an import read, skipping any already stored (same start, name and
    source) or repeated in `items`; returns how many were added. One query and one insert for
    all of them: an Apple Health export holds thousands of workouts."""
    if not items:
        return 0

    def key(started: datetime, what: str, source: str) -> tuple[datetime, str, str]:
        return started.astimezone(UTC), what, source[:SOURCE_SIZE]

    first = min(a.started_at for a in items)
    last = max(a.started_at for a in items)
    stored = s.execute(
        select(Activity.started_at, Activity.what, Activity.source).where(
            Activity.profile_id == p.id, Activity.started_at.between(first, last)
        )
    )
    seen = {key(*row) for row in stored}
    rows = []
    for a in items:
        k = key(a.started_at, a.what, a.source)
        if k not in seen:
            seen.add(k)
            rows.append(_activity_values(p, a) | {"client_id": None})
    if rows:
        s.execute(insert(Activity), rows)
    return len(rows)


def add_rest(s: Session, p: Profile, r: RestData) -> tuple[Rest, bool]:
    if r.client_id:
        seen = s.scalar(select(Rest).where(Rest.profile_id == p.id, Rest.client_id == r.client_id))
        if seen is not None:
            return seen, False
    row = Rest(
        profile_id=p.id,
        kind=r.kind.value,
        started_at=r.started_at,
        utc_offset_minutes=utc_offset_minutes(r.started_at),
        minutes=r.minutes,
        note=r.note,
        source=r.source,
        client_id=r.client_id,
    )
    s.add(row)
    s.flush()
    return row, True


def activities_between(s: Session, p: Profile, start: datetime, end: datetime) -> list[Activity]:
    """Activities that start in [start, end), oldest first."""
    return list(
        s.scalars(
            select(Activity)
            .where(Activity.profile_id == p.id, Activity.started_at >= start)
            .where(Activity.started_at < end)
            .order_by(Activity.started_at, Activity.id)
        )
    )


def rests_between(s: Session, p: Profile, start: datetime, end: datetime) -> list[Rest]:
    return list(
        s.scalars(
            select(Rest)
            .where(Rest.profile_id == p.id, Rest.started_at >= start, Rest.started_at < end)
            .order_by(Rest.started_at, Rest.id)
        )
    )


def delete_activity(s: Session, p: Profile, activity_id: int) -> None:
    row = s.get(Activity, activity_id)
    if row is None or row.profile_id != p.id:
        raise NotFoundError(f"activity {activity_id} does not exist")
    s.delete(row)
    s.flush()


def delete_rest(s: Session, p: Profile, rest_id: int) -> None:
    row = s.get(Rest, rest_id)
    if row is None or row.profile_id != p.id:
        raise NotFoundError(f"rest {rest_id} does not exist")
    s.delete(row)
    s.flush()


def activity_data(row: Activity) -> ActivityData:
    return ActivityData(
        what=row.what,
        started_at=with_offset(row.started_at, row.utc_offset_minutes),
        minutes=row.minutes,
        physical=row.physical,
        cognitive=row.cognitive,
        emotional=row.emotional,
        social=row.social,
        posture=Posture(row.posture),
        note=row.note,
        source=row.source,
        client_id=row.client_id,
    )


def rest_data(row: Rest) -> RestData:
    return RestData(
        kind=RestKind(row.kind),
        started_at=with_offset(row.started_at, row.utc_offset_minutes),
        minutes=row.minutes,
        note=row.note,
        source=row.source,
        client_id=row.client_id,
    )
