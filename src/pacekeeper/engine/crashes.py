"""Crash (flare, PEM episode) detection: labelled even when the person did not tick "crash".

An episode starts on a day whose symptom burden reaches the person's flare threshold
(`pem.flare_threshold`: their recent median plus a margin) and either stays there the next day,
or is backed by the body: morning resting heart rate at least `RHR_RISE` bpm over its baseline
or HRV at least `HRV_DROP` below it (Workwell: a resting HR 10 bpm off normal is a sign to rest;
we take half of that as support, not as proof). A ticked crash is always an episode day. The
episode lasts while the burden stays above the halfway point between the threshold's baseline
and the threshold, judged against the threshold frozen at onset (a long crash must not raise its
own baseline), and ends on its last such day. Missing days neither start nor end an episode:
one day without a check-in inside a crash continues it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from pacekeeper.engine.pem import flare_threshold

RHR_RISE = 5.0  # bpm over baseline
HRV_DROP = -0.15  # relative to baseline
MAX_GAP = 1  # days without a check-in an episode may span


@dataclass(frozen=True)
class Episode:
    onset: date
    peak: date
    end: date
    peak_burden: float | None
    ticked: bool  # the person ticked "crash" on at least one of its days
    body_support: bool  # resting HR up or HRV down on at least one of its days

    @property
    def days(self) -> int:
        return (self.end - self.onset).days + 1

    def to_dict(self) -> dict[str, object]:
        return {
            "onset": self.onset.isoformat(),
            "peak": self.peak.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "peak_burden": self.peak_burden,
            "ticked": self.ticked,
            "body_support": self.body_support,
        }


def _col(days: pl.DataFrame, name: str) -> np.ndarray:
    if name not in days.columns:
        return np.full(days.height, np.nan)
    return np.asarray(days[name].cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=np.float64)


def find_episodes(days: pl.DataFrame, *, causal: bool = False) -> list[Episode]:
    """Crash episodes in a daily frame (see the module doc for the rule).

    `causal`: judge each day only from that day and before, as a forecaster must: a rise with
    no body support then becomes an episode on its second day (the first day cannot know the
    next), so no label ever depends on a later day.
    """
    y = _col(days, "symptom")
    ticked = _col(days, "crash") == 1.0
    thr = flare_threshold(days).fill_null(np.nan).to_numpy().astype(np.float64)
    rhr_dev, hrv_dev = _col(days, "rhr_dev"), _col(days, "hrv_dev")
    support = (rhr_dev >= RHR_RISE) | (hrv_dev <= HRV_DROP)
    over = np.isfinite(y) & np.isfinite(thr) & (y >= thr)
    day_list: list[date] = days["day"].to_list()
    episodes: list[Episode] = []
    t, n = 0, days.height
    while t < n:
        # Hindsight may look at the next day; a causal judgement only at the one before.
        neighbour = t - 1 if causal else t + 1
        sustained = 0 <= neighbour < n and bool(over[neighbour])
        starts = ticked[t] or (over[t] and (sustained or support[t]))
        if not starts:
            t += 1
            continue
        # Freeze the bar at onset: halfway between the baseline and the threshold.
        base_thr = thr[t] if np.isfinite(thr[t]) else np.nanmax(np.append(y[: t + 1], 0.0))
        margin = _margin(days, t, float(thr[t]))
        stay = base_thr - margin / 2.0
        end, gap, u = t, 0, t + 1
        while u < n:
            if ticked[u] or (np.isfinite(y[u]) and y[u] >= stay):
                end, gap = u, 0
            elif not np.isfinite(y[u]) and gap < MAX_GAP:
                gap += 1
            else:
                break
            u += 1
        span = slice(t, end + 1)
        ys = y[span]
        peak = t + int(np.nanargmax(ys)) if np.isfinite(ys).any() else t
        episodes.append(
            Episode(
                onset=day_list[t],
                peak=day_list[peak],
                end=day_list[end],
                peak_burden=float(y[peak]) if np.isfinite(y[peak]) else None,
                ticked=bool(ticked[span].any()),
                body_support=bool(support[span].any()),
            )
        )
        t = end + 1
    return episodes


def _margin(days: pl.DataFrame, t: int, threshold: float) -> float:
    """The threshold's margin over its baseline at day t (the 28-day median). `threshold` is
    the threshold at day t: it looks only backwards, so the whole frame's value at t is what
    the days up to t alone would give."""
    past = days["symptom"].head(t).drop_nulls().tail(28)
    if past.is_empty() or not np.isfinite(threshold):
        return 1.5
    median = past.median()
    return max(threshold - float(median), 0.0) if isinstance(median, float) else 1.5


def label_crashes(days: pl.DataFrame, *, causal: bool = False) -> pl.DataFrame:
    """The frame with `crash_detected` (a day inside an episode: True; outside: False where the
    day has a symptom score or a tick, else null) and `episode` (1-based, null outside)."""
    n = days.height
    detected = np.zeros(n, dtype=bool)
    episode = np.full(n, -1)
    index = {d: i for i, d in enumerate(days["day"].to_list())}
    for number, ep in enumerate(find_episodes(days, causal=causal), start=1):
        a, b = index[ep.onset], index[ep.end]
        detected[a : b + 1] = True
        episode[a : b + 1] = number
    known = np.isfinite(_col(days, "symptom")) | np.isfinite(_col(days, "crash"))
    values: list[bool | None] = [
        bool(d) if (d or k) else None for d, k in zip(detected, known, strict=True)
    ]
    ep_values: list[int | None] = [int(e) if e > 0 else None for e in episode]
    return days.with_columns(
        pl.Series("crash_detected", values, dtype=pl.Boolean),
        pl.Series("episode", ep_values, dtype=pl.Int64),
    )
