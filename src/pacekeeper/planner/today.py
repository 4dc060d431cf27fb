"""Today's budget, its traffic light, the reasons behind it and a suggested shape for the day.

The budget is the engine's envelope (engine/envelope.py) when it has one, otherwise a cautious
share of the person's own median logged day. Each lowering is one listed rule with its data and
source, so every number on the today page can be explained (design.md, "Recommendations are
explainable").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import polars as pl

from pacekeeper.engine.picture import Picture

# Lowering factors (multiplied together, each listed as a reason).
BOOM_BUST_FACTOR = 0.8
CRASH_FACTOR = 0.5
MORNING_FACTOR = 0.5
BUSY_YESTERDAY_FACTOR = 0.8
# Without an envelope: 80% of the median logged day (Fibromyalgia Canada starts from the
# tolerated average minus 20%).
FALLBACK_SHARE = 0.8
FALLBACK_DAYS = 28
FALLBACK_MIN_DAYS = 3
RHR_OVER = 10.0  # bpm over baseline (Workwell fact sheet)
HRV_UNDER = -0.20  # relative to baseline: "well under"
BUSY_RATIO = 1.5  # yesterday's load over the usual day (boombust.SPIKE_RATIO)
MINUTES_PER_POINT = 10.0  # one load point: about ten minutes of moderate effort
MAX_BLOCKS = 6
RED_DAY_MAX = 3.0  # load points: on a red day at most a few short blocks (Pacekeeper's rule)

SRC_ENVELOPE = "Energy envelope (Jason et al.); engine/envelope.py, docs/model.md"
SRC_FALLBACK = "Fibromyalgia Canada: tolerated average minus 20% (science.md)"
SRC_BOOM = "Boom and bust (science.md, 'Models'); engine/boombust.py"
SRC_CRASH = "PEM lasts days (NICE NG206 1.2); engine/crashes.py"
SRC_WORKWELL = "Workwell Foundation fact sheet: resting HR 10 bpm off normal, rest (science.md)"
SRC_DELAY = "PEM is delayed 12-48 h (NICE NG206; CDC) (science.md)"
SRC_BLOCKS = "Bursts of 10-15 min with equal or longer rest (science.md, 'Pacing')"


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


LIGHT_WORDS = {
    Light.GREEN: "A steady day is fine. Stay inside the budget.",
    Light.AMBER: "Go gently today. Rest early.",
    Light.RED: "Rest is the plan today.",
}


@dataclass(frozen=True)
class Reason:
    what: str
    data: str
    rule: str
    source: str


@dataclass(frozen=True)
class Block:
    kind: str  # "activity" or "rest"
    minutes: int


@dataclass(frozen=True)
class Morning:
    """This morning's body signals against the person's baseline (null when unknown)."""

    rhr: float | None = None
    rhr_dev: float | None = None  # bpm above baseline
    hrv: float | None = None
    hrv_dev: float | None = None  # relative change


@dataclass(frozen=True)
class TodayPlan:
    day: date | None
    budget: float | None  # load points; None while nothing is known
    used: float
    light: Light
    basis: str  # "envelope", "median" or "none"
    certainty: str  # "low", "moderate" or "high"
    reasons: list[Reason] = field(default_factory=list)
    shape: list[Block] = field(default_factory=list)

    @property
    def left(self) -> float | None:
        return None if self.budget is None else max(self.budget - self.used, 0.0)

    @property
    def words(self) -> str:
        return LIGHT_WORDS[self.light]


def _known(days: pl.DataFrame, name: str) -> list[float]:
    if name not in days.columns:
        return []
    return [float(x) for x in days[name].drop_nulls().to_list()]


def _last(days: pl.DataFrame, name: str) -> float | None:
    if name not in days.columns or days.height == 0:
        return None
    value = days[name][-1]
    return None if value is None else float(value)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def _in_crash(days: pl.DataFrame, pic: Picture) -> bool:
    """A crash in progress: the latest episode reaches yesterday, or yesterday was ticked."""
    if days.height == 0:
        return False
    yesterday: date = days["day"][-1]
    if pic.episodes and pic.episodes[-1].end >= yesterday:
        return True
    ticked = _last(days, "crash")
    return ticked is not None and ticked >= 1


def day_shape(left: float | None) -> list[Block]:
    """Blocks of 10-15 minutes of activity, each followed by rest at least as long, sized to what
    is left of the budget. Nothing left (or unknown): one long rest."""
    if left is None or left * MINUTES_PER_POINT < 10:
        return [Block("rest", 30)]
    minutes = left * MINUTES_PER_POINT
    size = 15 if minutes >= 60 else 10
    count = min(int(minutes // size), MAX_BLOCKS)
    shape: list[Block] = []
    for _ in range(count):
        shape += [Block("activity", size), Block("rest", max(size, 15))]
    return shape


def plan_today(
    days: pl.DataFrame, used_today: float, pic: Picture, morning: Morning | None = None
) -> TodayPlan:
    """Today's plan from the daily frame up to yesterday, today's load so far, the engine's
    picture of the same frame and this morning's body signals."""
    morning = morning or Morning()
    reasons: list[Reason] = []
    env = pic.envelope
    budget: float | None
    certainty = "low"
    basis = "none"
    if env is not None:
        budget, basis = env.safe_load, "envelope"
        certainty = pic.summary.certainty if pic.summary else "low"
        reasons.append(
            Reason(
                "Budget from your envelope",
                f"{env.safe_load:.0f} load points (likely {env.low:.0f}-{env.high:.0f}); "
                f"usual day {env.usual_load:.0f}; flare level {env.threshold:.1f}/10",
                "The most load today that keeps the next 3 days under your flare level "
                "(lower quartile of the model's estimates).",
                SRC_ENVELOPE,
            )
        )
    else:
        recent = _known(days.tail(FALLBACK_DAYS), "load")
        median = _median(recent) if len(recent) >= FALLBACK_MIN_DAYS else None
        budget = None if median is None else FALLBACK_SHARE * median
        if budget is not None:
            basis = "median"
            reasons.append(
                Reason(
                    "Cautious budget from your own days",
                    f"median of {len(recent)} logged days: {median:.0f} load points",
                    f"{FALLBACK_SHARE:.0%} of your usual logged day, until the model knows you "
                    "(about a week of check-ins with activities).",
                    SRC_FALLBACK,
                )
            )
        else:
            reasons.append(
                Reason(
                    "No budget yet",
                    f"{len(recent)} days with a known load",
                    f"Needs at least {FALLBACK_MIN_DAYS} days with activities logged.",
                    SRC_FALLBACK,
                )
            )
    red = amber = False
    factor = 1.0
    factors: list[float] = []
    if pic.boom_bust.present:
        factor *= BOOM_BUST_FACTOR
        factors.append(BOOM_BUST_FACTOR)
        amber = True
        reasons.append(
            Reason(
                "Boom and bust lately",
                pic.boom_bust.notice() or "",
                f"Budget x {BOOM_BUST_FACTOR:g}: even days help more than big ones.",
                SRC_BOOM,
            )
        )
    if _in_crash(days, pic):
        factor *= CRASH_FACTOR
        factors.append(CRASH_FACTOR)
        red = True
        ep = pic.episodes[-1] if pic.episodes else None
        seen = f"crash since {ep.onset:%d %b}" if ep else "crash ticked yesterday"
        reasons.append(
            Reason("Crash in progress", seen, f"Budget x {CRASH_FACTOR:g}: rest first.", SRC_CRASH)
        )
    body: list[str] = []
    if morning.rhr_dev is not None and morning.rhr_dev >= RHR_OVER:
        body.append(f"resting HR {morning.rhr_dev:+.0f} bpm over your normal")
    if morning.hrv_dev is not None and morning.hrv_dev <= HRV_UNDER:
        body.append(f"HRV {morning.hrv_dev:+.0%} against your normal")
    if body:
        factor *= MORNING_FACTOR
        factors.append(MORNING_FACTOR)
        red = True
        reasons.append(
            Reason(
                "This morning's body signals",
                "; ".join(body),
                f"Resting HR {RHR_OVER:.0f}+ bpm over or HRV {-HRV_UNDER:.0%} under normal: "
                f"budget x {MORNING_FACTOR:g}.",
                SRC_WORKWELL,
            )
        )
    elif morning.rhr_dev is not None or morning.hrv_dev is not None:
        parts = []
        if morning.rhr_dev is not None:
            parts.append(f"resting HR {morning.rhr_dev:+.0f} bpm")
        if morning.hrv_dev is not None:
            parts.append(f"HRV {morning.hrv_dev:+.0%}")
        reasons.append(
            Reason(
                "This morning's body signals",
                ", ".join(parts) + " against your normal",
                "In range: no change. One signal, not the whole truth.",
                SRC_WORKWELL,
            )
        )
    yesterday = _last(days, "load")
    usual = env.usual_load if env is not None else _median(_known(days.tail(FALLBACK_DAYS), "load"))
    if yesterday is not None and usual and yesterday >= BUSY_RATIO * usual:
        factor *= BUSY_YESTERDAY_FACTOR
        factors.append(BUSY_YESTERDAY_FACTOR)
        amber = True
        reasons.append(
            Reason(
                "Busy yesterday: delayed PEM risk",
                f"yesterday {yesterday:.0f} load points, {yesterday / usual:.1f}x your usual",
                f"PEM can arrive 12-48 h later: budget x {BUSY_YESTERDAY_FACTOR:g}.",
                SRC_DELAY,
            )
        )
    elif yesterday is not None:
        last3 = _known(days.tail(3), "load")
        reasons.append(
            Reason(
                "Recent load",
                f"yesterday {yesterday:.0f}; last {len(last3)} days {sum(last3):.0f} load points",
                "No busy spike: no change.",
                SRC_DELAY,
            )
        )
    if budget is not None:
        base = budget
        budget = max(budget * factor, 0.0)
        steps = [f"{base:.1f}"] + [f"x {f:g}" for f in factors]
        if red and budget > RED_DAY_MAX:
            budget = RED_DAY_MAX
            steps.append(f"capped at {RED_DAY_MAX:g} on a red day")
        if budget <= 0.0:
            red = True
        elif used_today >= budget:
            amber = True
        reasons.append(
            Reason(
                "Today's budget",
                " ".join(steps) + f" = {budget:.1f} load points; used so far {used_today:.1f}",
                f"The base times each lowering above; a red day keeps at most {RED_DAY_MAX:g} "
                "points, in short blocks.",
                "Pacekeeper's planner rules (docs/planner.md)",
            )
        )
    light = Light.RED if red else Light.AMBER if amber or budget is None else Light.GREEN
    left = None if budget is None else max(budget - used_today, 0.0)
    shape = [Block("rest", 60)] if red and (left is None or left < 1) else day_shape(left)
    reasons.append(
        Reason(
            "Shape of the day",
            "nothing left: rest"
            if not left
            else f"{left:.0f} load points left, about "
            f"{math.floor(left * MINUTES_PER_POINT)} minutes of moderate effort",
            "Short blocks (10-15 min), each followed by rest at least as long.",
            SRC_BLOCKS,
        )
    )
    day = env.day if env is not None else None
    return TodayPlan(day, budget, used_today, light, basis, certainty, reasons, shape)
