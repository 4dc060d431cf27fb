"""The heart-rate ceiling: where it comes from, and a refinement suggested from the person's own
days (never applied without them).

Order of preference (science.md, "Pacing and heart rate"): the heart rate at the first
ventilatory threshold from a CPET (Workwell Foundation); a value the person or a clinician set;
the documented default, the lower of resting HR + 15 bpm and 0.55 x (220 - age)
(domain/profile.default_hr_ceiling). Beta-blockers, ivabradine and POTS make heart rate a poor
signal: the ceiling is then flagged for a clinician to set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from pacekeeper.domain.conditions import CeilingMethod
from pacekeeper.domain.profile import default_hr_ceiling
from pacekeeper.engine.crashes import find_episodes

SRC_CPET = "Workwell Foundation: HR at the first ventilatory threshold of a CPET"
SRC_DEFAULT = (
    "Lower of resting HR + 15 (University of the Pacific, 2020) and 0.55 x (220 - age) "
    "(Workwell): a place to start, not accurate"
)
SRC_OWN = "Your own days: minutes above the ceiling before crashes versus calm days"
MEDICATION_NOTE = (
    "Heart-rate medicines or POTS make heart rate a poor guide: ask a clinician to set this."
)
MIN_PRE_CRASH = 2
MIN_CALM = 7
STEP_BPM = 5
RARELY_ABOVE_MIN = 5.0  # median minutes above: "rarely crossed"


@dataclass(frozen=True)
class Ceiling:
    bpm: int | None
    method: CeilingMethod | None
    reason: str
    source: str
    caution: str | None = None


def choose_ceiling(
    *,
    cpet_vt1_hr: int | None,
    profile_hr: int | None,
    profile_method: CeilingMethod | None,
    resting_hr: int | None,
    birth_year: int | None,
    today: date,
    medication: bool = False,
) -> Ceiling:
    caution = MEDICATION_NOTE if medication else None
    if cpet_vt1_hr is not None:
        return Ceiling(
            cpet_vt1_hr, CeilingMethod.CPET, "From your CPET (first threshold).", SRC_CPET, caution
        )
    if profile_hr is not None and profile_method not in (None, CeilingMethod.DEFAULT):
        assert profile_method is not None
        source = SRC_CPET if profile_method is CeilingMethod.CPET else "Set in your profile"
        return Ceiling(profile_hr, profile_method, profile_method.label + ".", source, caution)
    bpm = default_hr_ceiling(resting_hr, birth_year, today)
    if bpm is None:
        return Ceiling(
            None,
            None,
            "Add your resting heart rate or birth year to get a ceiling.",
            SRC_DEFAULT,
            caution,
        )
    parts = []
    if resting_hr is not None:
        parts.append(f"resting HR {resting_hr} + 15 = {resting_hr + 15}")
    if birth_year is not None:
        age = today.year - birth_year
        parts.append(f"0.55 x (220 - {age}) = {round(0.55 * (220 - age))}")
    why = "Default: the lower of " + " and ".join(parts) + "."
    return Ceiling(bpm, CeilingMethod.DEFAULT, why, SRC_DEFAULT, caution)


@dataclass(frozen=True)
class Refinement:
    current: int
    suggested: int | None  # None: keep the current ceiling
    reason: str
    pre_crash_minutes: float  # median minutes above on the 1-2 days before a crash
    calm_minutes: float  # median minutes above on calm days
    pre_crash_days: int
    calm_days: int
    source: str = SRC_OWN


def _median(values: list[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def suggest_refinement(days: pl.DataFrame, current: int) -> Refinement | None:
    """Compare minutes above the ceiling on the two days before each crash with calm days (no
    crash within three days after, not inside a crash). None without enough of both.

    - Before crashes clearly more time above (at least twice, and 5+ minutes more): the ceiling
      tells risky days apart; keep it.
    - Crashes came without time above (median under 5 minutes, not more than calm days): the
      ceiling is not warning you; suggest 5 bpm lower.
    - Otherwise no clear difference: keep it, and keep watching.
    """
    if "above_ceiling_min" not in days.columns or days.height == 0:
        return None
    episodes = find_episodes(days)
    day_list: list[date] = days["day"].to_list()
    above = days["above_ceiling_min"].to_list()
    pre: set[date] = set()
    near: set[date] = set()
    for ep in episodes:
        pre |= {ep.onset - timedelta(days=k) for k in (1, 2)}
        near |= {ep.onset - timedelta(days=k) for k in range(0, 4)}
        near |= {ep.onset + timedelta(days=k) for k in range((ep.end - ep.onset).days + 1)}
    pre_vals = [
        float(a) for d, a in zip(day_list, above, strict=True) if d in pre and a is not None
    ]
    calm_vals = [
        float(a) for d, a in zip(day_list, above, strict=True) if d not in near and a is not None
    ]
    if len(pre_vals) < MIN_PRE_CRASH or len(calm_vals) < MIN_CALM:
        return None
    pre_m, calm_m = _median(pre_vals), _median(calm_vals)
    counts = (len(pre_vals), len(calm_vals))
    if pre_m >= max(2 * calm_m, calm_m + 5):
        return Refinement(
            current, None,
            f"Before crashes you spent about {pre_m:.0f} min above {current} bpm, against "
            f"{calm_m:.0f} min on calm days: this ceiling tells risky days apart. Keep it.",
            pre_m, calm_m, *counts,
        )  # fmt: skip
    if pre_m < RARELY_ABOVE_MIN and pre_m <= calm_m:
        return Refinement(
            current, current - STEP_BPM,
            f"Your crashes came after days with little time above {current} bpm "
            f"(about {pre_m:.0f} min): the ceiling is not warning you. Try {STEP_BPM} bpm lower.",
            pre_m, calm_m, *counts,
        )  # fmt: skip
    return Refinement(
        current, None,
        f"No clear difference yet: about {pre_m:.0f} min above before crashes, {calm_m:.0f} min "
        "on calm days. Keep it and keep watching.",
        pre_m, calm_m, *counts,
    )  # fmt: skip
