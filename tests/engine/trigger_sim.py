"""Simulated histories for the trigger tests: a daily frame, a long check-in frame and logged
activities, with flares that follow a planted factor after a set number of days (or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from pacekeeper.domain.trackers import BUILTIN_TRACKERS, TrackerDef, TrackerKind
from pacekeeper.engine.features import daily_features
from pacekeeper.frames.build import LOGGED_ACTIVITY_SCHEMA

START = date(2024, 1, 1)
VISITORS = TrackerDef("visitors", "Visitors", kind=TrackerKind.YES_NO, max_value=1)
COFFEE = TrackerDef(
    "coffee", "Cups of coffee", kind=TrackerKind.NUMBER, max_value=10, is_symptom=False
)
TRACKERS = [*BUILTIN_TRACKERS, VISITORS, COFFEE]
ACTIVITY_SCHEMA = LOGGED_ACTIVITY_SCHEMA  # the frame a profile's activities come in


@dataclass
class History:
    days: pl.DataFrame
    checkins: pl.DataFrame
    activities: pl.DataFrame
    flare_days: set[int]


def simulate(
    n: int,
    *,
    seed: int,
    lag: int | None = 2,
    p_after: float = 0.6,
    p_base: float = 0.04,
    flare_len: int = 3,
) -> History:
    """Visitors on about 15% of days; when `lag` is set, a flare starts `lag` days after a
    visit with chance `p_after`; otherwise (and also then) with chance `p_base` on any day."""
    rng = np.random.default_rng(seed)
    visitors = rng.random(n) < 0.15
    coffee = rng.integers(0, 4, n).astype(float)
    walk = rng.random(n) < 0.5
    symptom = 3.0 + rng.normal(0, 0.3, n)
    crash = np.zeros(n, dtype=bool)
    t, starts = 14, set()  # two weeks of calm so the flare threshold has a baseline
    while t < n:
        planted = lag is not None and t >= lag and visitors[t - lag] and rng.random() < p_after
        if planted or rng.random() < p_base:
            starts.add(t)
            end = min(t + flare_len, n)
            symptom[t:end] = 8.0 + rng.normal(0, 0.3, end - t)
            crash[t:end] = True
            t = end + 2
        else:
            t += 1
    day = [START + timedelta(days=i) for i in range(n)]
    rows: list[tuple[date, str, float]] = []
    for i, d in enumerate(day):
        rows += [
            (d, "fatigue", float(np.clip(symptom[i], 0, 10))),
            (d, "crash", float(crash[i])),
            (d, "visitors", float(visitors[i])),
            (d, "coffee", coffee[i]),
        ]
    checkins = pl.DataFrame(
        rows, schema={"day": pl.Date, "key": pl.String, "value": pl.Float64}, orient="row"
    )
    acts = [(d, 30.0, 2.0, 0.0, 0.0, 0.0, "walking", "Walk") for i, d in enumerate(day) if walk[i]]
    acts += [(d, 60.0, 0.0, 1.0, 0.0, 1.0, "sitting", "Reading") for d in day[::2]]
    activities = pl.DataFrame(acts, schema=ACTIVITY_SCHEMA, orient="row")
    frame = daily_features(
        day[0], day[-1], checkins=checkins, trackers=TRACKERS, activities=activities
    )
    return History(frame, checkins, activities, starts)
