"""Possible triggers: which logged factors are followed by flare onsets, and after how many days.

For every candidate factor (`trigger_factors`) and every lag of 0-3 days, the chance that a
flare (a crash episode, `crashes.find_episodes` with hindsight) starts on day d + lag is
compared between days d with and without the factor: risk ratio and risk difference with 95%
intervals, and a one-sided block-permutation p-value (weeks shuffled, so runs of exposure are
kept). Benjamini-Hochberg q-values control the false discovery rate across every factor x lag
tested. Only days still at risk count as outcomes: a day inside an episode that began earlier
cannot start a flare. Nothing is tested below the minimum (`MIN_ONSETS` onsets in all,
`MIN_EXPOSED` exposed days with a known outcome), and the words never claim a cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from pacekeeper.domain.trackers import TrackerDef
from pacekeeper.engine.crashes import Episode, find_episodes
from pacekeeper.engine.trigger_factors import Factor, candidate_factors
from pacekeeper.engine.trigger_stats import (
    Comparison,
    benjamini_hochberg,
    block_permutations,
    compare,
    permutation_p,
)

MAX_LAG = 3
MIN_ONSETS = 5  # flare onsets in the whole history before anything is tested
MIN_EXPOSED = 5  # days with the factor (and a known outcome) before a factor x lag is tested
MIN_EXPOSED_ONSETS = 2  # a single onset after a factor is never called likely
FDR = 0.10  # q-value at or under which a factor is "likely real"


@dataclass(frozen=True)
class LagTest:
    lag: int
    counts: Comparison
    risk_ratio: float
    rr_low: float
    rr_high: float
    rd_low: float
    rd_high: float
    p: float
    q: float = 1.0

    def to_dict(self) -> dict[str, object]:
        c = self.counts
        return {
            "lag": self.lag,
            "exposed_onsets": c.exposed_onsets,
            "exposed_days": c.exposed_days,
            "other_onsets": c.other_onsets,
            "other_days": c.other_days,
            "risk_ratio": _num(self.risk_ratio),
            "risk_ratio_interval": [_num(self.rr_low), _num(self.rr_high)],
            "risk_difference": _num(c.risk_difference),
            "risk_difference_interval": [_num(self.rd_low), _num(self.rd_high)],
            "p": self.p,
            "q": self.q,
        }


@dataclass(frozen=True)
class FactorResult:
    key: str
    label: str
    kind: str
    exposed_days: int
    lags: list[LagTest]  # only the lags that met the minimum

    @property
    def best(self) -> LagTest | None:
        if not self.lags:
            return None
        return min(self.lags, key=lambda t: (t.q, t.p, t.lag))

    @property
    def likely(self) -> bool:
        b = self.best
        return (
            b is not None
            and b.q <= FDR
            and b.counts.exposed_onsets >= MIN_EXPOSED_ONSETS
            and b.counts.risk_difference > 0
        )

    def words(self) -> str:
        b = self.best
        if b is None:
            return f"{_cap(self.label)}: not enough days yet ({self.exposed_days} logged)."
        c = b.counts
        when = "the same day" if b.lag == 0 else f"{b.lag} day{'s' if b.lag > 1 else ''} later"
        verdict = "Likely real" if self.likely else "Could be chance"
        return (
            f"On {c.exposed_onsets} of {c.exposed_days} days with {self.label}, a flare started "
            f"{when} (usual: {_usual(c)}). {verdict} (FDR {_percent(b.q)})."
        )

    def to_dict(self) -> dict[str, object]:
        b = self.best
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "exposed_days": self.exposed_days,
            "best_lag": b.lag if b else None,
            "likely": self.likely,
            "words": self.words(),
            "lags": [t.to_dict() for t in self.lags],
        }


@dataclass(frozen=True)
class TriggerResult:
    onsets: int
    days: int
    tests: int  # factor x lag comparisons that met the minimum (the BH family)
    factors: list[FactorResult] = field(default_factory=list)
    min_onsets: int = MIN_ONSETS
    min_exposed: int = MIN_EXPOSED
    fdr: float = FDR

    @property
    def enough(self) -> bool:
        return self.onsets >= self.min_onsets

    @property
    def likely(self) -> list[FactorResult]:
        return [f for f in self.factors if f.likely]

    def not_enough_words(self) -> str:
        flares = f"{self.onsets} flare{'s' if self.onsets != 1 else ''}"
        return f"Not enough data yet: {flares} so far, I need at least {self.min_onsets}."

    def lines(self) -> list[str]:
        if not self.enough:
            return [self.not_enough_words()]
        found = self.likely
        if not found:
            return [
                f"No factor stands out yet ({self.tests} comparisons over {self.onsets} flares)."
            ]
        return [f.words() for f in found]

    def to_dict(self) -> dict[str, object]:
        return {
            "onsets": self.onsets,
            "days": self.days,
            "tests": self.tests,
            "enough": self.enough,
            "min_onsets": self.min_onsets,
            "min_exposed": self.min_exposed,
            "fdr": self.fdr,
            "factors": [f.to_dict() for f in self.factors],
        }


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _percent(q: float) -> str:
    return "under 1%" if q < 0.005 else f"{q * 100:.0f}%"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _usual(c: Comparison) -> str:
    if c.other_onsets == 0:
        return f"none of {c.other_days} other days"
    return f"1 in {max(round(c.other_days / c.other_onsets), 1)}"


def onset_outcome(days: pl.DataFrame, episodes: Sequence[Episode] | None = None) -> np.ndarray:
    """Per day: 1.0 a flare starts, 0.0 a known day at risk with none, NaN unknown or already in
    an episode that began earlier. `episodes`: those `find_episodes(days)` gives, when the
    caller has them already."""
    n = days.height
    known = np.zeros(n, dtype=bool)
    for col in ("symptom", "crash"):
        if col in days.columns:
            known |= days[col].is_not_null().to_numpy()
    out = np.where(known, 0.0, np.nan)
    index = {d: i for i, d in enumerate(days["day"].to_list())}
    for ep in find_episodes(days) if episodes is None else episodes:
        if ep.onset not in index or ep.end not in index:
            continue
        a, b = index[ep.onset], index[ep.end]
        out[a] = 1.0
        out[a + 1 : b + 1] = np.nan
    return out


def _later(outcome: np.ndarray, lag: int) -> np.ndarray:
    """outcome of day d + lag, at index d (unknown past the end)."""
    out = np.full(len(outcome), np.nan)
    out[: len(outcome) - lag] = outcome[lag:]
    return out


def _factor_tests(f: Factor, later: list[np.ndarray], perms: np.ndarray) -> list[LagTest]:
    """The lags where the factor meets the minimum, each with its counts, intervals and p."""
    lags = [
        lag
        for lag, y in enumerate(later)
        if (c := compare(f.exposed, y)).exposed_days >= MIN_EXPOSED and c.other_days >= MIN_EXPOSED
    ]
    if not lags:
        return []
    p = permutation_p(f.exposed, np.column_stack([later[lag] for lag in lags]), perms)
    out = []
    for lag, p_lag in zip(lags, p.tolist(), strict=True):
        counts = compare(f.exposed, later[lag])
        rr, lo, hi = counts.risk_ratio()
        d_lo, d_hi = counts.difference_interval()
        out.append(LagTest(lag, counts, rr, lo, hi, d_lo, d_hi, p_lag))
    return out


def find_triggers(
    days: pl.DataFrame,
    *,
    checkins: pl.DataFrame | None = None,
    trackers: Sequence[TrackerDef] = (),
    activities: pl.DataFrame | None = None,
    treatments: pl.DataFrame | None = None,
    episodes: Sequence[Episode] | None = None,
    seed: int = 0,
) -> TriggerResult:
    """Possible triggers over a daily frame (see the module doc). `checkins` (day, key, value),
    `activities` (with a `what` column) and `treatments` (day, name) are read only for the
    frame's days; rows outside it are ignored. `episodes`: the frame's crash episodes when the
    caller has found them already (the insights page has)."""
    outcome = onset_outcome(days, episodes) if days.height else np.zeros(0)
    onsets = int(np.nansum(outcome))
    if onsets < MIN_ONSETS or days.height == 0:
        return TriggerResult(onsets=onsets, days=days.height, tests=0)
    factors = candidate_factors(
        days, checkins=checkins, trackers=trackers, activities=activities, treatments=treatments
    )
    perms = block_permutations(days.height, seed=seed)
    later = [_later(outcome, lag) for lag in range(MAX_LAG + 1)]
    per_factor = [(f, _factor_tests(f, later, perms)) for f in factors]
    all_p = np.array([t.p for _, tests in per_factor for t in tests])
    q = iter(benjamini_hochberg(all_p).tolist())
    results = [
        FactorResult(
            f.key,
            f.label,
            f.kind,
            f.exposed_days,
            [replace(t, q=next(q)) for t in tests],
        )
        for f, tests in per_factor
    ]
    results.sort(key=lambda r: (r.best.q, r.best.p) if r.best else (2.0, 2.0))
    return TriggerResult(onsets=onsets, days=days.height, tests=len(all_p), factors=results)
