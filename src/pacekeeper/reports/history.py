"""One row per local day: the check-in's answers, the day's load, rest and steps. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from pacekeeper.domain.entries import LOAD_KINDS
from pacekeeper.domain.localday import local_day


class CheckInLike(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def values(self) -> Mapping[str, float]: ...


class ActivityLike(Protocol):
    started_at: datetime
    minutes: int
    physical: int
    cognitive: int
    emotional: int
    social: int


class RestLike(Protocol):
    started_at: datetime
    minutes: int


class SampleLike(Protocol):
    start: datetime
    value: float


@dataclass(frozen=True)
class HistoryDay:
    day: date
    values: dict[str, float] | None  # None: no check-in that day (a gap, never zero)
    load: dict[str, float]  # load kind -> load points (minutes x rating 0-3)
    active_minutes: float
    rest_minutes: float
    steps: float | None  # None: no step data that day
    crash: bool

    @property
    def total_load(self) -> float:
        return sum(self.load.values())


def history_days(
    first: date,
    last: date,
    checkins: Sequence[CheckInLike],
    activities: Sequence[ActivityLike],
    rests: Sequence[RestLike],
    step_samples: Sequence[SampleLike],
    tz: ZoneInfo,
    boundary: time,
) -> list[HistoryDay]:
    """Each day from `first` to `last`; entries land on the person's local day."""
    n = (last - first).days + 1
    by_day = {c.day: dict(c.values) for c in checkins}
    load = [dict.fromkeys(LOAD_KINDS, 0.0) for _ in range(n)]
    active = [0.0] * n
    rest = [0.0] * n
    steps: list[float | None] = [None] * n

    def index(instant: datetime) -> int | None:
        i = (local_day(instant, tz, boundary) - first).days
        return i if 0 <= i < n else None

    for a in activities:
        if (i := index(a.started_at)) is not None:
            active[i] += a.minutes
            for kind in LOAD_KINDS:
                load[i][kind] += a.minutes * getattr(a, kind)
    for r in rests:
        if (i := index(r.started_at)) is not None:
            rest[i] += r.minutes
    for sample in step_samples:
        if (i := index(sample.start)) is not None:
            steps[i] = (steps[i] or 0.0) + sample.value

    out = []
    for i in range(n):
        day = first + timedelta(days=i)
        values = by_day.get(day)
        out.append(
            HistoryDay(
                day=day,
                values=values,
                load=load[i],
                active_minutes=active[i],
                rest_minutes=rest[i],
                steps=steps[i],
                crash=bool(values and values.get("crash", 0) >= 1),
            )
        )
    return out
