"""The daily frame the model reads: one row per local day, from whatever a profile has.

Columns (null where unknown; a missing day is never read as a zero):
- load and its parts `load_physical`, `load_cognitive`, `load_emotional`, `load_social`, in load
  points (below), plus `steps`, `active_min`, `above_ceiling_min`, zone minutes,
  `upright_min` (activities logged standing or walking) and `rest_min`;
- `symptom`: symptom burden 0-10, the mean of the day's symptom trackers, each put on 0-10 with
  higher = worse; `crash`: the person ticked a crash;
- `rhr`, `hrv`, `sleep_min`, and `rhr_dev` (bpm above the personal baseline) and `hrv_dev`
  (relative change), against the median of the previous `BASELINE_DAYS` days.

Load points: one point is about ten minutes of moderate effort in one dimension. A logged
activity gives minutes / 10 x rating / 2 in each of its four dimensions (physical, cognitive,
emotional, social; ratings 0-3), because patients report that thinking, feelings and company
cost energy as walking does (science.md, "Pacing and heart rate"). A day-level exertion rating
(Visible's "Physically active" 0-3 and its siblings) counts rating x 3 points. A wearable gives
physical points of steps / 1000 plus minutes above the heart-rate ceiling / 5 (or active minutes
/ 10 without steps). The physical part is the larger of the wearable's and the logged one,
never their sum, because the watch saw the walk the person also logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from pacekeeper.domain.trackers import TrackerDef, TrackerKind
from pacekeeper.engine.wearable import WEARABLE_COLUMNS, empty_wearable

DIMENSIONS = ("physical", "cognitive", "emotional", "social")
# Day-level exertion ratings (keys as the Visible importer names them) -> dimension.
EXERTION_TRACKERS = {
    "physically_active": "physical",
    "mentally_demanding": "cognitive",
    "emotionally_stressful": "emotional",
    "socially_demanding": "social",
}
RATING_POINTS = 3.0
STEPS_PER_POINT = 1000.0
ABOVE_CEILING_MIN_PER_POINT = 5.0
ACTIVE_MIN_PER_POINT = 10.0
UPRIGHT = ("standing", "walking")
BASELINE_DAYS = 90
BASELINE_MIN_DAYS = 7

ACTIVITY_SCHEMA = {
    "day": pl.Date,
    "minutes": pl.Float64,
    "physical": pl.Float64,
    "cognitive": pl.Float64,
    "emotional": pl.Float64,
    "social": pl.Float64,
    "posture": pl.String,
}
CHECKIN_SCHEMA = {"day": pl.Date, "key": pl.String, "value": pl.Float64}
REST_SCHEMA = {"day": pl.Date, "minutes": pl.Float64}


def empty_activities() -> pl.DataFrame:
    return pl.DataFrame(schema=ACTIVITY_SCHEMA)


def empty_checkins() -> pl.DataFrame:
    return pl.DataFrame(schema=CHECKIN_SCHEMA)


def empty_rests() -> pl.DataFrame:
    return pl.DataFrame(schema=REST_SCHEMA)


def _burden_expr(t: TrackerDef) -> pl.Expr:
    span = t.max_value - t.min_value or 1.0
    scaled = (pl.col("value") - t.min_value) / span * 10.0
    return scaled if t.higher_is_worse else 10.0 - scaled


def symptom_days(checkins: pl.DataFrame, trackers: Sequence[TrackerDef]) -> pl.DataFrame:
    """Per day: `symptom` burden (0-10), `crash` (ticked), the exertion-rating points per
    dimension, and `checked_in`."""
    symptom = [t for t in trackers if t.is_symptom and t.kind != TrackerKind.YES_NO]
    rows = checkins.filter(pl.col("value").is_not_null())
    burden = pl.concat(
        [
            rows.filter(pl.col("key") == t.key).select("day", _burden_expr(t).alias("b"))
            for t in symptom
        ]
        or [pl.DataFrame(schema={"day": pl.Date, "b": pl.Float64})]
    )
    out = rows.select("day").unique()
    out = out.join(
        burden.group_by("day").agg(pl.col("b").clip(0, 10).mean().alias("symptom")),
        on="day",
        how="left",
    )
    crash = (
        rows.filter(pl.col("key") == "crash")
        .group_by("day")
        .agg((pl.col("value").max() >= 1).alias("crash"))
    )
    out = out.join(crash, on="day", how="left")
    rated = rows.filter(pl.col("key").is_in(list(EXERTION_TRACKERS)))
    for key, dim in EXERTION_TRACKERS.items():
        part = (
            rated.filter(pl.col("key") == key)
            .group_by("day")
            .agg((pl.col("value").max() * RATING_POINTS).alias(f"rated_{dim}"))
        )
        out = out.join(part, on="day", how="left")
    return out.with_columns(pl.lit(True).alias("checked_in"))


def activity_days(activities: pl.DataFrame, rests: pl.DataFrame) -> pl.DataFrame:
    """Per day with any logged activity or rest: logged points per dimension, upright and rest
    minutes."""
    per = [
        (pl.col("minutes") / 10.0 * pl.col(d) / 2.0).sum().alias(f"logged_{d}") for d in DIMENSIONS
    ]
    upright = pl.col("minutes").filter(pl.col("posture").is_in(UPRIGHT)).sum().alias("upright_min")
    acts = activities.group_by("day").agg(*per, upright)
    rest = rests.group_by("day").agg(pl.col("minutes").sum().alias("rest_min"))
    out = acts.join(rest, on="day", how="full", coalesce=True)
    return out.with_columns(
        *[pl.col(f"logged_{d}").fill_null(0.0) for d in DIMENSIONS],
        pl.col("upright_min").fill_null(0.0),
        pl.col("rest_min").fill_null(0.0),
    )


def _wearable_physical() -> pl.Expr:
    from_steps = pl.col("steps") / STEPS_PER_POINT + (
        pl.col("above_ceiling_min").fill_null(0.0) / ABOVE_CEILING_MIN_PER_POINT
    )
    return (
        pl.when(pl.col("steps").is_not_null())
        .then(from_steps)
        .otherwise(pl.col("active_min") / ACTIVE_MIN_PER_POINT)
    )


def _baseline_dev(col: str, relative: bool) -> pl.Expr:
    """Today's value against the median of the previous days (not today: no self-comparison)."""
    base = (
        pl.col(col)
        .shift(1)
        .rolling_median(BASELINE_DAYS, min_samples=BASELINE_MIN_DAYS)
        .alias(f"{col}_base")
    )
    return (pl.col(col) / base - 1.0) if relative else (pl.col(col) - base)


def daily_features(
    first: date,
    last: date,
    *,
    checkins: pl.DataFrame | None = None,
    trackers: Sequence[TrackerDef] = (),
    activities: pl.DataFrame | None = None,
    rests: pl.DataFrame | None = None,
    wearable: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The daily frame from `first` to `last` inclusive, every day present (see module doc)."""
    checkins = empty_checkins() if checkins is None else checkins
    activities = empty_activities() if activities is None else activities
    rests = empty_rests() if rests is None else rests
    wearable = empty_wearable() if wearable is None else wearable
    wearable = wearable.with_columns(
        pl.lit(None, dtype=t).alias(n) for n, t in WEARABLE_COLUMNS.items() if n not in wearable
    )
    days = pl.DataFrame({"day": pl.date_range(first, last, "1d", eager=True)})
    frame = (
        days.join(symptom_days(checkins, trackers), on="day", how="left")
        .join(activity_days(activities, rests), on="day", how="left")
        .join(wearable.select(list(WEARABLE_COLUMNS)), on="day", how="left")
    )
    has_wearable = pl.col("steps").is_not_null() | pl.col("active_min").is_not_null()
    has_log = pl.col("logged_physical").is_not_null()
    physical_parts = [
        _wearable_physical(),
        pl.col("logged_physical"),
        pl.col("rated_physical"),
    ]
    frame = frame.with_columns(
        pl.max_horizontal(physical_parts).alias("load_physical"),
        *[
            pl.max_horizontal(pl.col(f"logged_{d}"), pl.col(f"rated_{d}")).alias(f"load_{d}")
            for d in DIMENSIONS[1:]
        ],
    )
    known = (
        has_wearable
        | has_log
        | pl.any_horizontal([pl.col(f"rated_{d}").is_not_null() for d in DIMENSIONS])
    )
    load = pl.sum_horizontal([pl.col(f"load_{d}").fill_null(0.0) for d in DIMENSIONS])
    frame = frame.with_columns(
        pl.when(known).then(load).otherwise(None).alias("load"),
        pl.col("checked_in").fill_null(False),
    )
    frame = frame.with_columns(
        _baseline_dev("rhr", relative=False).alias("rhr_dev"),
        _baseline_dev("hrv", relative=True).alias("hrv_dev"),
    )
    drop = [c for c in frame.columns if c.startswith(("logged_", "rated_"))]
    return frame.drop(drop)
