"""The rule of two (science.md, "Graded exposure and the rule of two"), as a function of history.

One small movement, a level in minutes. A step raises the level by `STEP_SHARE` of the current
baseline and is watched for 48 hours: the step day and the two days after. A flare in that
window (symptom burden at or over the person's flare threshold, or a ticked crash) means back
off to the previous tolerated level minus 10% and stabilise for at least the person's PEM
duration; no flare means the step is kept. At most one step a week, never during or just after
a crash. Where the condition rules (safety.condition_rules) forbid escalation, an increase is
never offered: at most "your envelope grew", when the person's own days show a sustained,
stable improvement. Streaks count days done, never intensity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import polars as pl

from pacekeeper.engine.crashes import find_episodes
from pacekeeper.engine.pem import flare_threshold
from pacekeeper.planner.safety import ConditionRules

STEP_SHARE = 0.10  # seed 002; Fibromyalgia Canada: about +10% a week
BACK_OFF_SHARE = 0.10
WATCH_DAYS = 2  # 48 h after the step day
MIN_DAYS_BETWEEN = 7
MIN_STABILISE_DAYS = 2
GROWTH_WINDOW = 28  # days compared for "your envelope grew"
GROWTH_MIN_DROP = 0.5  # symptom points lower than the window before
SRC_RULE_OF_TWO = "Rule of two (seed 002); Fibromyalgia Canada (science.md)"
SRC_NICE = "NICE NG206: no fixed increments for ME/CFS (science.md)"


class Outcome(StrEnum):
    WATCHING = "watching"
    KEPT = "kept"
    FLARE = "flare"


class Action(StrEnum):
    STEP_UP = "step_up"  # offer the next small step
    WATCH = "watch"  # a step is inside its 48 h
    HOLD = "hold"  # keep the level (too soon, crash, stabilising)
    BACK_OFF = "back_off"  # a flare followed the last step
    NOT_OFFERED = "not_offered"  # the condition rules forbid escalation
    ENVELOPE_GREW = "envelope_grew"  # ME/CFS rules: own data show a stable improvement


@dataclass(frozen=True)
class Step:
    day: date
    level: float  # minutes of the movement from this day on


@dataclass(frozen=True)
class Advice:
    action: Action
    level: float  # the level to do now
    next_level: float | None  # offered next level (step up) or the backed-off level
    reason: str
    source: str
    earliest_next: date | None = None


def step_outcome(step: Step, days: pl.DataFrame, today: date) -> Outcome:
    """Flare within 48 h of the step (its day and the two after) or a ticked crash: FLARE.
    Still inside the window: WATCHING. Otherwise KEPT."""
    window_end = step.day + timedelta(days=WATCH_DAYS)
    if days.height:
        thr = flare_threshold(days)
        rows = days.with_columns(thr.alias("_thr")).filter(
            (pl.col("day") >= step.day) & (pl.col("day") <= window_end)
        )
        frozen = days.with_columns(thr.alias("_thr")).filter(pl.col("day") < step.day)["_thr"]
        bar = frozen.drop_nulls()[-1] if frozen.drop_nulls().len() else None
        for row in rows.iter_rows(named=True):
            limit = bar if bar is not None else row["_thr"]
            y = row.get("symptom")
            if row.get("crash") or (y is not None and limit is not None and y >= limit):
                return Outcome.FLARE
    return Outcome.WATCHING if today <= window_end else Outcome.KEPT


def streak(done: set[date], today: date) -> int:
    """Days in a row the movement was done, ending today (or yesterday if not yet today)."""
    day = today if today in done else today - timedelta(days=1)
    n = 0
    while day in done:
        n += 1
        day -= timedelta(days=1)
    return n


def _crash_recent(days: pl.DataFrame, today: date, rest_days: int) -> date | None:
    """The end of a crash that is ongoing or ended within `rest_days` of today."""
    eps = find_episodes(days) if days.height else []
    ticked = (
        [d for d, c in zip(days["day"].to_list(), days["crash"].to_list(), strict=True) if c]
        if "crash" in days.columns
        else []
    )
    ends = [e.end for e in eps] + ticked
    recent = [e for e in ends if (today - e).days <= rest_days]
    return max(recent) if recent else None


def envelope_grew(days: pl.DataFrame) -> str | None:
    """ME/CFS rules' only upward word: the last 4 weeks had no crash, lower symptoms (by at least
    half a point) than the 4 weeks before, and no less load. Never a schedule."""
    if days.height < 2 * GROWTH_WINDOW or "symptom" not in days.columns:
        return None
    recent, before = days.tail(GROWTH_WINDOW), days.tail(2 * GROWTH_WINDOW).head(GROWTH_WINDOW)
    last_onset = max((e.onset for e in find_episodes(days)), default=None)
    if last_onset is not None and last_onset >= recent["day"][0]:
        return None
    y_now, y_before = recent["symptom"].drop_nulls(), before["symptom"].drop_nulls()
    l_now, l_before = recent["load"].drop_nulls(), before["load"].drop_nulls()
    if min(len(y_now), len(y_before), len(l_now), len(l_before)) < GROWTH_WINDOW // 2:
        return None
    drop = float(np.median(y_before.to_numpy())) - float(np.median(y_now.to_numpy()))
    if drop < GROWTH_MIN_DROP or np.median(l_now.to_numpy()) < np.median(l_before.to_numpy()):
        return None
    return (
        f"Your last 4 weeks were steadier: no crash, symptoms about {drop:.1f} points lower, "
        "with no less activity. Your envelope has grown by itself; stay inside it."
    )


def advise(
    steps: list[Step],
    baseline: float,
    days: pl.DataFrame,
    today: date,
    rules: ConditionRules,
    pem_days: float = 3.0,
) -> Advice:
    """What to do with the movement today, from its steps so far (oldest first) and the daily
    frame up to yesterday (symptom, crash, load)."""
    level = steps[-1].level if steps else baseline
    if not rules.may_progress:
        grew = envelope_grew(days) if rules.envelope_only else None
        if grew:
            return Advice(Action.ENVELOPE_GREW, level, None, grew, SRC_NICE)
        return Advice(Action.NOT_OFFERED, level, None, rules.reason, rules.source)
    rest_days = max(MIN_STABILISE_DAYS, math.ceil(pem_days))
    # Walk the steps: the tolerated level and the last flare.
    tolerated = baseline
    flare_on: date | None = None
    outcomes: list[Outcome] = []
    for i, step in enumerate(steps):
        previous = steps[i - 1].level if i else baseline
        # Only a rise is watched; a step down (backing off) is kept by definition.
        outcome = step_outcome(step, days, today) if step.level > previous else Outcome.KEPT
        outcomes.append(outcome)
        if outcome is Outcome.FLARE:
            tolerated = min(tolerated, previous) * (1 - BACK_OFF_SHARE)
            flare_on = step.day
        elif outcome is Outcome.KEPT:
            tolerated = step.level
    last = steps[-1] if steps else None
    if last is not None and outcomes[-1] is Outcome.WATCHING:
        return Advice(
            Action.WATCH, last.level, None,
            "Watching 48 hours after your last step. Keep the same level.",
            SRC_RULE_OF_TWO, last.day + timedelta(days=WATCH_DAYS + 1),
        )  # fmt: skip
    if last is not None and flare_on == last.day and level > tolerated:
        return Advice(
            Action.BACK_OFF, level, round(tolerated, 1),
            f"A flare came within 48 hours of the step. Go back to {tolerated:.0f} min and stay "
            f"there at least {rest_days} days.",
            SRC_RULE_OF_TWO, flare_on + timedelta(days=rest_days),
        )  # fmt: skip
    crash_end = _crash_recent(days, today, rest_days)
    if crash_end is not None:
        return Advice(
            Action.HOLD, level, None, "No step during or just after a crash. Keep steady.",
            SRC_RULE_OF_TWO, crash_end + timedelta(days=rest_days + 1),
        )  # fmt: skip
    if flare_on is not None and (today - flare_on).days < rest_days + WATCH_DAYS:
        return Advice(
            Action.HOLD, level, None, f"Stabilising after a flare: at least {rest_days} days.",
            SRC_RULE_OF_TWO, flare_on + timedelta(days=rest_days + WATCH_DAYS),
        )  # fmt: skip
    if last is not None and (today - last.day).days < MIN_DAYS_BETWEEN:
        return Advice(
            Action.HOLD, level, None, "At most one step a week. Keep the same level.",
            SRC_RULE_OF_TWO, last.day + timedelta(days=MIN_DAYS_BETWEEN),
        )  # fmt: skip
    nxt = round(level + STEP_SHARE * level, 1)
    return Advice(
        Action.STEP_UP, level, nxt,
        f"No flare after your last step. If you like, try {nxt:g} min ({STEP_SHARE:.0%} more) "
        "and watch 48 hours.",
        SRC_RULE_OF_TWO,
    )  # fmt: skip
