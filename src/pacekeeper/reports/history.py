"""One row per local day: the check-in's answers, the day's load, rest and steps. Pure: it takes
rows already read (stored check-ins, activity and rest rows, step samples) and does no I/O."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


class SampleLike(Protocol):
    """A step count over an interval; a `source` attribute, where there is one, is used too."""

    @property
    def start(self) -> datetime: ...
    @property
    def value(self) -> float: ...


@dataclass(frozen=True)
class HistoryDay:
    day: date
    values: dict[str, float] | None  # None: no check-in that day (a gap, never zero)
    load: dict[str, float]  # load kind -> load points (minutes x rating 0-3), every kind present
    active_minutes: float
    rest_minutes: float
    steps: float | None  # None: no step data that day
    crash: bool  # the check-in's "crash" answer was yes
    steps_source: str | None = None  # the device whose count `steps` is (see domain/sources.py)

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
    """Each day from `first` to `last`, both included; entries land on the person's local day
    (an activity at 02:00 with a 04:00 boundary counts for the evening before).

    Entries outside the period are left out. Steps are summed over the day per source, and when
    two sources counted the same day (a phone and a watch both count the same walk) the day
    takes one source's count, chosen by `domain.sources.choose_source`, never the sum.
    """
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    n = (last - first).days + 1
    by_day = {c.day: dict(c.values) for c in checkins if first <= c.day <= last}
    load = [dict.fromkeys(LOAD_KINDS, 0.0) for _ in range(n)]
    active = [0.0] * n
    rest = [0.0] * n
    steps: list[dict[str, float]] = [defaultdict(float) for _ in range(n)]

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
            steps[i][str(getattr(sample, "source", ""))] += sample.value

    out = []
    for i in range(n):
        day = first + timedelta(days=i)
        values = by_day.get(day)
        chosen = choose_source(steps[i])
        out.append(
            HistoryDay(
                day=day,
                values=values,
                load=load[i],
                active_minutes=active[i],
                rest_minutes=rest[i],
                steps=steps[i][chosen] if chosen is not None else None,
                crash=values is not None and values.get("crash", 0) >= 1,
                steps_source=chosen,
            )
        )
    return out
