"""Candidate factors for possible triggers: one 1 / 0 / unknown series per factor over the days
of the daily frame.

- trackers: yes/no ticked; numbers and scales on the worse side of the person's own median
  (above it, or below it for a tracker where higher is better). Trackers
  that make up the symptom burden are left out (a flare is defined by them, so they would find
  themselves), and so are the crash tick and the day exertion ratings (those are the loads below);
  a tracker whose key mentions stress is kept even if it counts as a symptom;
- each kind of logged activity (`what`, case and spaces ignored): done that day, and done with
  more load than its own median; known on days with any logged activity;
- the load dimensions and the total: a day in the person's busiest quarter;
- short sleep: a night in the person's shortest quarter;
- treatments (a day, name frame, when given): taken that day; every day of the frame is known.

A factor whose days are exactly those of an earlier one is dropped (asked once, counted once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from pacekeeper.domain.trackers import TrackerDef, TrackerKind
from pacekeeper.engine.features import DIMENSIONS, EXERTION_TRACKERS

TREATMENT_SCHEMA = {"day": pl.Date, "name": pl.String}
TOP_QUARTER = 0.75


@dataclass(frozen=True)
class Factor:
    key: str  # stable id, e.g. "tracker:visitors", "activity:walk", "load:social"
    label: str  # words after "days with", e.g. "visitors", "a busy social day"
    kind: str  # tracker, activity, activity_load, load, sleep, treatment
    exposed: np.ndarray  # per frame day: 1.0, 0.0, or NaN (unknown)

    @property
    def exposed_days(self) -> int:
        return int(np.nansum(self.exposed))


def empty_treatments() -> pl.DataFrame:
    return pl.DataFrame(schema=TREATMENT_SCHEMA)


def _per_day(days: pl.Series, values: pl.DataFrame, col: str) -> np.ndarray:
    """values (day, col) aligned to the frame's days, NaN where absent."""
    joined = pl.DataFrame({"day": days}).join(values, on="day", how="left")
    return np.asarray(joined[col].cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=np.float64)


def _above(x: np.ndarray, cut: float) -> np.ndarray:
    return np.where(np.isfinite(x), (x > cut).astype(np.float64), np.nan)


def _top(x: np.ndarray, cut: float) -> np.ndarray:
    """At or over the cut, unless the cut is the lowest value (then everyone would be in)."""
    low = float(np.nanmin(x))
    return _above(x, cut) if cut <= low else np.where(np.isfinite(x), (x >= cut) * 1.0, np.nan)


def _tracker_factors(
    days: pl.Series, checkins: pl.DataFrame, trackers: Sequence[TrackerDef]
) -> list[Factor]:
    out: list[Factor] = []
    for t in trackers:
        stress = "stress" in t.key
        symptom = t.is_symptom and t.kind != TrackerKind.YES_NO
        if t.key == "crash" or t.key in EXERTION_TRACKERS or (symptom and not stress):
            continue
        answers = (
            checkins.filter((pl.col("key") == t.key) & pl.col("value").is_not_null())
            .group_by("day")
            .agg(pl.col("value").max())
        )
        x = _per_day(days, answers, "value")
        if not np.isfinite(x).any():
            continue
        name = t.label.lower()
        if t.kind == TrackerKind.YES_NO:
            out.append(Factor(f"tracker:{t.key}", name, "tracker", _above(x, 0.5)))
            continue
        # The worse side of the person's median: "higher stress", "lower sleep quality".
        cut = float(np.nanmedian(x))
        if t.higher_is_worse:
            out.append(Factor(f"tracker:{t.key}", f"higher {name}", "tracker", _above(x, cut)))
        else:
            low = np.where(np.isfinite(x), (x < cut).astype(np.float64), np.nan)
            out.append(Factor(f"tracker:{t.key}", f"lower {name}", "tracker", low))
    return out


def _activity_factors(days: pl.Series, activities: pl.DataFrame) -> list[Factor]:
    if "what" not in activities.columns or activities.is_empty():
        return []
    points = pl.sum_horizontal([pl.col("minutes") / 10.0 * pl.col(d) / 2.0 for d in DIMENSIONS])
    acts = activities.with_columns(
        pl.col("what").fill_null("").str.strip_chars().str.to_lowercase().alias("what"),
        points.alias("points"),
    ).filter(pl.col("what") != "")
    logged = _per_day(days, activities.group_by("day").agg(pl.len().alias("n")), "n")
    known = np.isfinite(logged)
    out: list[Factor] = []
    for what in sorted(acts["what"].unique().to_list()):
        per = acts.filter(pl.col("what") == what).group_by("day").agg(pl.col("points").sum())
        load = _per_day(days, per, "points")
        done = np.isfinite(load)
        out.append(
            Factor(f"activity:{what}", what, "activity", np.where(known, done * 1.0, np.nan))
        )
        if done.sum() >= 2:
            cut = float(np.median(load[done]))
            heavy = np.where(known, (done & (np.nan_to_num(load) > cut)) * 1.0, np.nan)
            out.append(Factor(f"activity_load:{what}", f"a heavier {what}", "activity_load", heavy))
    return out


def _busy_factors(frame: pl.DataFrame) -> list[Factor]:
    out: list[Factor] = []
    for col, label in [("load", "a busy day")] + [
        (f"load_{d}", f"a busy {d} day") for d in DIMENSIONS
    ]:
        if col not in frame.columns:
            continue
        x = np.asarray(frame[col].cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=float)
        if not np.isfinite(x).any() or np.nanmax(x) <= 0:
            continue
        cut = float(np.nanquantile(x, TOP_QUARTER))
        out.append(Factor(f"load:{col.removeprefix('load_')}", label, "load", _top(x, cut)))
    return out


def _sleep_factor(frame: pl.DataFrame) -> list[Factor]:
    if "sleep_min" not in frame.columns:
        return []
    x = np.asarray(frame["sleep_min"].cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=float)
    if not np.isfinite(x).any():
        return []
    cut = float(np.nanquantile(x, 1 - TOP_QUARTER))
    short = np.where(np.isfinite(x), (x <= cut).astype(np.float64), np.nan)
    hours = f"{cut / 60:.1f}".rstrip("0").rstrip(".")
    return [Factor("sleep:short", f"a short night (under {hours} h)", "sleep", short)]


def _treatment_factors(days: pl.Series, treatments: pl.DataFrame) -> list[Factor]:
    out: list[Factor] = []
    for name in sorted(treatments["name"].drop_nulls().unique().to_list()):
        taken = treatments.filter(pl.col("name") == name).select("day").unique()
        x = _per_day(days, taken.with_columns(pl.lit(1.0).alias("t")), "t")
        out.append(Factor(f"treatment:{name}", name, "treatment", np.nan_to_num(x, nan=0.0)))
    return out


def candidate_factors(
    frame: pl.DataFrame,
    *,
    checkins: pl.DataFrame | None = None,
    trackers: Sequence[TrackerDef] = (),
    activities: pl.DataFrame | None = None,
    treatments: pl.DataFrame | None = None,
) -> list[Factor]:
    """Every candidate factor over the daily frame's days (see the module doc)."""
    days = frame["day"]
    out: list[Factor] = []
    if checkins is not None:
        out += _tracker_factors(days, checkins, trackers)
    if activities is not None:
        out += _activity_factors(days, activities)
    out += _busy_factors(frame)
    out += _sleep_factor(frame)
    if treatments is not None:
        out += _treatment_factors(days, treatments)
    # A factor identical to an earlier one (reading is every cognitive day) is one question,
    # not two: keep the first, so the false discovery control counts it once.
    kept: list[Factor] = []
    for f in out:
        same = any(np.array_equal(f.exposed, k.exposed, equal_nan=True) for k in kept)
        if f.exposed_days > 0 and not same:
            kept.append(f)
    return kept
