"""One row per local day: the check-in's answers, the day's load, rest and steps. Pure: it takes
rows already read (stored check-ins, activity and rest rows, and each day's steps per source
after the store's per-minute source choice) and does no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from pacekeeper.domain.entries import LOAD_KINDS
from pacekeeper.domain.localday import local_day
from pacekeeper.domain.sources import choose_source

# Read-only properties, so frozen dataclasses, ORM rows and plain test objects all fit.


class CheckInLike(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def values(self) -> Mapping[str, float]: ...


class ActivityLike(Protocol):
    @property
    def started_at(self) -> datetime: ...  # aware
    @property
    def minutes(self) -> float: ...
    @property
    def physical(self) -> float: ...  # ratings 0-3
    @property
    def cognitive(self) -> float: ...
    @property
    def emotional(self) -> float: ...
    @property
    def social(self) -> float: ...


class RestLike(Protocol):
    @property
    def started_at(self) -> datetime: ...
    @property
    def minutes(self) -> float: ...


@dataclass(frozen=True)
class HistoryDay:
    day: date
    values: dict[str, float] | None  # None: no check-in that day (a gap, never zero)
    load: dict[str, float]  # load kind -> load points (minutes x rating 0-3), every kind present
    active_minutes: float
    rest_minutes: float
    steps: float | None  # None: no step data that day
    crash: bool  # the check-in's "crash" answer was yes
    steps_source: str | None = None  # the highest-ranked device with steps that day
    # How much each device's minutes contributed (domain.source_priority: one device per minute).
    steps_by_source: Mapping[str, float] = field(default_factory=dict)

    @property
    def steps_from(self) -> str | None:
        """Which devices the day's steps came from, largest first: "Watch 6,210 · Phone 312"."""
        if not self.steps_by_source:
            return None
        ranked = sorted(self.steps_by_source.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) == 1:
            return ranked[0][0]
        return " · ".join(f"{source} {round(value):,}" for source, value in ranked)

    @property
    def total_load(self) -> float:
        return sum(self.load.values())


def history_days(
    first: date,
    last: date,
    checkins: Sequence[CheckInLike],
    activities: Sequence[ActivityLike],
    rests: Sequence[RestLike],
    steps_by_day: Mapping[date, Mapping[str, float]],
    tz: ZoneInfo,
    boundary: time,
) -> list[HistoryDay]:
    """Each day from `first` to `last`, both included; entries land on the person's local day
    (an activity at 02:00 with a 04:00 boundary counts for the evening before).

    Entries outside the period are left out. `steps_by_day` holds, per local day, how many steps
    each device contributed once every minute was given to one device
    (`store.daily_by_source`): a walk a watch and a phone both counted is counted once.
    """
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    n = (last - first).days + 1
    by_day = {c.day: dict(c.values) for c in checkins if first <= c.day <= last}
    load = [dict.fromkeys(LOAD_KINDS, 0.0) for _ in range(n)]
    active = [0.0] * n
    rest = [0.0] * n

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

    out = []
    for i in range(n):
        day = first + timedelta(days=i)
        values = by_day.get(day)
        steps = {src: v for src, v in steps_by_day.get(day, {}).items() if v > 0}
        chosen = choose_source(steps)
        out.append(
            HistoryDay(
                day=day,
                values=values,
                load=load[i],
                active_minutes=active[i],
                rest_minutes=rest[i],
                steps=sum(steps.values()) if steps else None,
                crash=values is not None and values.get("crash", 0) >= 1,
                steps_source=chosen,
                steps_by_source=steps,
            )
        )
    return out
