"""What the engine needs about one person, as frames, and the daily frame made from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import polars as pl

from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA
from pacekeeper.domain.trackers import BUILTIN_TRACKERS, TrackerDef
from pacekeeper.engine.features import (
    ACTIVITY_SCHEMA,
    daily_features,
    empty_checkins,
    empty_rests,
)
from pacekeeper.engine.wearable import wearable_days

NO_DAY = date(2000, 1, 1)  # any day: only the empty frame's columns are wanted
# Logged activities keep what the person called them (`what`), for possible triggers; the daily
# features ignore the column.
LOGGED_ACTIVITY_SCHEMA = {**ACTIVITY_SCHEMA, "what": pl.String}


def empty_logged_activities() -> pl.DataFrame:
    return pl.DataFrame(schema=LOGGED_ACTIVITY_SCHEMA)


def empty_samples() -> pl.DataFrame:
    frame = pl.from_arrow(SAMPLE_SCHEMA.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


@dataclass
class Inputs:
    checkins: pl.DataFrame = field(default_factory=empty_checkins)  # day, key, value
    activities: pl.DataFrame = field(default_factory=empty_logged_activities)
    rests: pl.DataFrame = field(default_factory=empty_rests)
    samples: pl.DataFrame = field(default_factory=empty_samples)  # SAMPLE_SCHEMA
    trackers: list[TrackerDef] = field(default_factory=lambda: list(BUILTIN_TRACKERS))

    def span(self, wearable: pl.DataFrame) -> tuple[date, date] | None:
        days = pl.concat(
            [
                self.checkins.select("day"),
                self.activities.select("day"),
                self.rests.select("day"),
                wearable.select("day"),
            ]
        )["day"].drop_nulls()
        if days.is_empty():
            return None
        lo, hi = days.min(), days.max()
        assert isinstance(lo, date) and isinstance(hi, date)
        return lo, hi


def daily_frame(
    inputs: Inputs, *, boundary: time, hr_ceiling: float | None, last: date | None = None
) -> pl.DataFrame:
    """The daily frame from the first to the last day with any data (or `last`)."""
    wearable = wearable_days(inputs.samples, boundary=boundary, hr_ceiling=hr_ceiling)
    span = inputs.span(wearable)
    if span is None:
        return daily_features(NO_DAY, NO_DAY).clear()
    first, end = span
    return daily_features(
        first,
        max(end, last) if last else end,
        checkins=inputs.checkins,
        trackers=inputs.trackers,
        activities=inputs.activities,
        rests=inputs.rests,
        wearable=wearable,
    )
