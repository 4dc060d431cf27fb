"""Boom and bust: busy days well above the person's usual, followed by a crash.

The acute:chronic ratio (7-day over 28-day mean load, Gabbett 2016) is used only to describe a
spike ("1.6x your usual week"): a 2020 re-analysis found it predicts injury no better than
chance (science.md, "Models"), so it drives no forecast here. A spike is a day whose load is at
least `SPIKE_RATIO` times the person's chronic (28-day) mean; a spike followed by a crash onset
within 1-3 days is the boom-bust signature. The oscillation index is the mean absolute day-to-day
change in load over the recent weeks divided by their mean load: 0 for perfectly steady days,
about 1 when days swing between rest and twice the usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from pacekeeper.engine.crashes import find_episodes

SPIKE_RATIO = 1.5
WINDOW_DAYS = 56  # "the recent weeks"
OSCILLATION_HIGH = 0.6
MIN_EVENTS = 2  # spike-then-crash pairs in the window before the notice shows
CRASH_WITHIN = 3


@dataclass(frozen=True)
class Spike:
    day: date
    load: float
    ratio: float  # load over the chronic mean
    crash_onset: date | None  # a crash starting 1-3 days later


@dataclass(frozen=True)
class BoomBust:
    spikes: list[Spike]  # in the window
    oscillation: float | None
    acute_chronic: float | None  # the latest 7-day over 28-day ratio

    @property
    def events(self) -> list[Spike]:
        return [s for s in self.spikes if s.crash_onset is not None]

    @property
    def present(self) -> bool:
        return len(self.events) >= MIN_EVENTS or (
            len(self.events) >= 1 and (self.oscillation or 0.0) >= OSCILLATION_HIGH
        )

    def notice(self) -> str | None:
        """A short plain-words notice when the pattern is present, else None."""
        if not self.present:
            return None
        ev = self.events
        ratio = float(np.median([s.ratio for s in ev]))
        return (
            f"Boom and bust: in the last {WINDOW_DAYS // 7} weeks, {len(ev)} busy "
            f"day{'s' if len(ev) > 1 else ''} (about {ratio:.1f}x your usual) "
            f"{'were' if len(ev) > 1 else 'was'} followed by a crash within 3 days. "
            "Spreading effort more evenly may help."
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "spikes": [
                {
                    "day": s.day.isoformat(),
                    "load": s.load,
                    "ratio": s.ratio,
                    "crash_onset": s.crash_onset.isoformat() if s.crash_onset else None,
                }
                for s in self.spikes
            ],
            "oscillation": self.oscillation,
            "acute_chronic": self.acute_chronic,
            "present": self.present,
            "notice": self.notice(),
        }


def load_ratios(days: pl.DataFrame) -> pl.DataFrame:
    """`chronic` (mean load of the previous 28 days), `acute` (last 7 days including today) and
    `acr`; unknown loads are left out of the means, not counted as zero."""
    load = pl.col("load")
    return days.select(
        "day",
        "load",
        load.shift(1).rolling_mean(28, min_samples=7).alias("chronic"),
        load.rolling_mean(7, min_samples=4).alias("acute"),
    ).with_columns((pl.col("acute") / pl.col("chronic")).alias("acr"))


def boom_bust(days: pl.DataFrame) -> BoomBust:
    ratios = load_ratios(days)
    window = ratios.tail(WINDOW_DAYS)
    onsets = [e.onset for e in find_episodes(days)]
    spikes: list[Spike] = []
    for row in window.iter_rows(named=True):
        load, chronic = row["load"], row["chronic"]
        if load is None or not chronic or load < SPIKE_RATIO * chronic:
            continue
        day: date = row["day"]
        crash = next((o for o in onsets if 1 <= (o - day).days <= CRASH_WITHIN), None)
        spikes.append(Spike(day, float(load), float(load / chronic), crash))
    loads = window["load"]
    pairs = window.select(pl.col("load").diff().abs().alias("d"))["d"].drop_nulls()
    mean_load = loads.drop_nulls().mean()
    oscillation = (
        float(pairs.mean()) / float(mean_load)  # type: ignore[arg-type]
        if len(pairs) >= 7 and isinstance(mean_load, float) and mean_load > 0
        else None
    )
    acr = ratios["acr"].drop_nulls()
    return BoomBust(spikes, oscillation, float(acr[-1]) if len(acr) else None)
