"""How fast a person's heart rate comes down after effort, from their own heart-rate samples.

The measure is heart-rate recovery at one minute (HRR60): the drop in bpm from a peak to the
reading 60 s later. A drop under 12 bpm after exercise is the classic "abnormal" cut-off (Cole et
al., NEJM 1999); we use it only to shorten bursts, never to diagnose. Peaks are taken from
episodes where the heart rate went above the person's ceiling, so the measure is about the
efforts pacing is meant to limit. Fewer than MIN_EPISODES usable episodes give no estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

MIN_EPISODES = 3
AFTER_S = 60.0
TOLERANCE_S = 20.0  # minute-level exports put the next reading at 60 s +- a few seconds


@dataclass(frozen=True)
class Recovery:
    hrr60_bpm: float | None  # median over episodes; None when there are too few
    episodes: int


def heart_rate_recovery(
    seconds: Sequence[float], bpm: Sequence[float], ceiling: float | None
) -> Recovery:
    """`seconds` ascending (any origin) and `bpm` of the same length."""
    if ceiling is None or len(seconds) != len(bpm):
        return Recovery(None, 0)
    drops: list[float] = []
    i, n = 0, len(seconds)
    while i < n:
        if bpm[i] <= ceiling:
            i += 1
            continue
        # One episode: the run of readings above the ceiling; its peak is the highest reading.
        peak_i = i
        while i < n and bpm[i] > ceiling:
            if bpm[i] > bpm[peak_i]:
                peak_i = i
            i += 1
        after = _reading_near(seconds, peak_i, seconds[peak_i] + AFTER_S)
        if after is not None:
            drops.append(bpm[peak_i] - bpm[after])
    if len(drops) < MIN_EPISODES:
        return Recovery(None, len(drops))
    return Recovery(float(median(drops)), len(drops))


def _reading_near(seconds: Sequence[float], start: int, target: float) -> int | None:
    best: int | None = None
    for j in range(start + 1, len(seconds)):
        gap = abs(seconds[j] - target)
        if gap <= TOLERANCE_S and (best is None or gap < abs(seconds[best] - target)):
            best = j
        if seconds[j] > target + TOLERANCE_S:
            break
    return best
