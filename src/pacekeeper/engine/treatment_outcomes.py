"""The outcomes a treatment change is read against, taken from the daily frame
(engine/features.py), and one plain sentence for each before/after result.

Crash days are read as 1 on a day with a crash ticked and 0 on any other checked-in day, so the
effect is a change in the share of days with a crash (shown in percentage points). Fatigue is
the check-in's own fatigue answer when the person has that tracker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from pacekeeper.engine.treatment_effect import DEFAULT_WINDOWS, Effect, Windows, before_after


@dataclass(frozen=True)
class Outcome:
    column: str
    label: str
    unit: str
    higher_is_better: bool | None  # None: neither direction is better in itself
    scale: float = 1.0  # shown value = effect x scale
    digits: int = 1


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("symptom", "Symptom burden", "points", False),
    Outcome("fatigue", "Fatigue", "points", False),
    Outcome("crash_day", "Crash days", "percentage points", False, scale=100.0, digits=0),
    Outcome("load", "Daily load", "load points", None),
    Outcome("rhr", "Resting heart rate", "bpm", False),
    Outcome("hrv", "Heart rate variability", "ms", True, digits=0),
    Outcome("sleep_min", "Sleep", "minutes", None, digits=0),
)
MAIN = ("symptom", "fatigue", "crash_day", "rhr")


def outcome_frame(daily: pl.DataFrame, checkins: pl.DataFrame | None = None) -> pl.DataFrame:
    """day plus one column per outcome (null where unknown)."""
    cols = [pl.col("day")]
    for name in ("symptom", "load", "rhr", "hrv", "sleep_min"):
        cols.append(
            pl.col(name).cast(pl.Float64)
            if name in daily.columns
            else pl.lit(None, pl.Float64).alias(name)
        )
    crash = pl.col("crash").fill_null(False) if "crash" in daily.columns else pl.lit(False)
    checked = pl.col("checked_in") if "checked_in" in daily.columns else pl.lit(False)
    cols.append(pl.when(checked).then(crash.cast(pl.Float64)).otherwise(None).alias("crash_day"))
    out = daily.select(cols)
    if checkins is not None and checkins.height:
        fatigue = (
            checkins.filter((pl.col("key") == "fatigue") & pl.col("value").is_not_null())
            .group_by("day")
            .agg(pl.col("value").mean().alias("fatigue"))
        )
        return out.join(fatigue, on="day", how="left")
    return out.with_columns(pl.lit(None, pl.Float64).alias("fatigue"))


def crash_days(frame: pl.DataFrame) -> list[date]:
    if "crash_day" not in frame.columns:
        return []
    return frame.filter(pl.col("crash_day") == 1.0)["day"].to_list()


@dataclass(frozen=True)
class OutcomeEffect:
    outcome: Outcome
    effect: Effect

    def sentence(self, windows: Windows = DEFAULT_WINDOWS) -> str:
        return describe(self.outcome, self.effect, windows)


def effects(
    frame: pl.DataFrame,
    event_day: date,
    *,
    columns: Sequence[str] = MAIN,
    others: Sequence[tuple[date, str]] = (),
    windows: Windows = DEFAULT_WINDOWS,
) -> list[OutcomeEffect]:
    """One before/after per outcome in `columns` of an outcome frame (`outcome_frame`)."""
    crashes = crash_days(frame)
    return [
        OutcomeEffect(
            o,
            before_after(
                frame, o.column, event_day, windows=windows, others=others, crash_days=crashes
            ),
        )
        for o in OUTCOMES
        if o.column in columns and o.column in frame.columns
    ]


def _size(o: Outcome, x: float) -> str:
    return f"{abs(x) * o.scale:.{o.digits}f}"


def _amount(o: Outcome, x: float) -> str:
    """'1.2 points lower'; 'no change' when it rounds to zero."""
    if float(_size(o, x)) == 0:
        return "no change"
    return f"{_size(o, x)} {o.unit} {'higher' if x > 0 else 'lower'}"


def _range(o: Outcome, low: float, high: float) -> str:
    lo, hi = _amount(o, low), _amount(o, high)
    if lo == hi == "no change":
        return "no change"
    if (low > 0) == (high > 0) and "no change" not in (lo, hi):
        a, b = sorted((_size(o, low), _size(o, high)), key=float)
        return f"{a} to {b} {o.unit} {'higher' if low > 0 else 'lower'}"
    return f"between {lo} and {hi}"


def _verdict(o: Outcome, e: Effect) -> str:
    if not e.clear or o.higher_is_better is None:
        return ""
    better = (e.effect > 0) == o.higher_is_better
    return ", which is better" if better else ", which is worse"


def _naive(o: Outcome, e: Effect) -> str:
    naive, trend = _amount(o, e.naive), e.explained_by_trend
    if float(_size(o, trend)) == 0:
        return f" A plain before/after says about the same ({naive})."
    if (trend > 0) == (e.naive > 0) and abs(trend) >= abs(e.naive):
        return (
            f" A plain before/after would say {naive}; the trend already there accounts for "
            f"all of that ({_amount(o, trend)} by itself)."
        )
    if (trend > 0) == (e.naive > 0):
        return (
            f" A plain before/after would say {naive}; {_size(o, trend)} of that is the trend "
            "that was already there."
        )
    return (
        f" A plain before/after would say {naive}; the trend already there was heading the "
        f"other way, hiding {_size(o, trend)}."
    )


def describe(o: Outcome, e: Effect, windows: Windows = DEFAULT_WINDOWS) -> str:
    """One sentence (and its caveats), with the number and its 80% interval."""
    if not e.enough:
        return (
            f"{o.label}: not enough data yet ({e.n_before} days with a value in the "
            f"{windows.before_days} days before, {windows.min_before} needed; {e.n_after} "
            f"after the first {windows.wash_in_days} days, {windows.min_after} needed)."
        )
    likely = _range(o, e.low, e.high)
    if e.clear:
        head = f"{o.label}: {_amount(o, e.effect)} than the earlier trend predicted"
        head += f"{_verdict(o, e)} (likely {likely})."
    elif likely == "no change":
        head = f"{o.label}: no change against the earlier trend."
    else:
        head = f"{o.label}: no clear change against the earlier trend (likely {likely})."
    caveats = ""
    if e.confounders:
        what = ", ".join(f"{w} on {d.isoformat()}" for d, w in e.confounders[:3])
        caveats += f" Something else changed in these weeks ({what}), so this cannot be told apart."
    if e.crash_before:
        caveats += (
            " A crash came shortly before, and some recovery would have come anyway, so the "
            "change may look bigger than it is."
        )
    return head + _naive(o, e) + caveats
