"""The statistics behind possible triggers: 2x2 risk comparisons, their intervals, a block
permutation p-value and Benjamini-Hochberg q-values. Plain NumPy, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z95 = 1.959964
BLOCK_DAYS = 7  # weeks move as a whole, so a week's run of exposures stays a run
PERMUTATIONS = 1999


@dataclass(frozen=True)
class Comparison:
    """Flare onsets on day d + lag after days with (1) and without (0) the factor on day d."""

    exposed_onsets: int
    exposed_days: int
    other_onsets: int
    other_days: int

    @property
    def risk_exposed(self) -> float:
        return self.exposed_onsets / self.exposed_days if self.exposed_days else float("nan")

    @property
    def risk_other(self) -> float:
        return self.other_onsets / self.other_days if self.other_days else float("nan")

    @property
    def risk_difference(self) -> float:
        return self.risk_exposed - self.risk_other

    def risk_ratio(self) -> tuple[float, float, float]:
        """Risk ratio with a 95% log (Katz) interval; 0.5 is added to every cell when one is
        empty, so the ratio stays finite."""
        a, n1 = float(self.exposed_onsets), float(self.exposed_days)
        c, n0 = float(self.other_onsets), float(self.other_days)
        if not n1 or not n0:
            return float("nan"), float("nan"), float("nan")
        if a == 0 or c == 0 or a == n1 or c == n0:
            a, c, n1, n0 = a + 0.5, c + 0.5, n1 + 1, n0 + 1
        rr = (a / n1) / (c / n0)
        se = float(np.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0))
        return float(rr), float(rr * np.exp(-Z95 * se)), float(rr * np.exp(Z95 * se))

    def difference_interval(self) -> tuple[float, float]:
        """95% interval of the risk difference: Newcombe's hybrid score method (Wilson intervals
        of each risk combined), which behaves with small counts and zero cells."""
        p1, p0 = self.risk_exposed, self.risk_other
        l1, u1 = wilson(self.exposed_onsets, self.exposed_days)
        l0, u0 = wilson(self.other_onsets, self.other_days)
        d = p1 - p0
        lo = d - float(np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2))
        hi = d + float(np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2))
        return lo, hi


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return float(max(centre - half, 0.0)), float(min(centre + half, 1.0))


def block_permutations(n: int, *, count: int = PERMUTATIONS, seed: int = 0) -> np.ndarray:
    """(count, n) day indices: the days cut into weeks and the weeks shuffled. Shuffling whole
    weeks keeps the runs and weekly rhythm of a factor, so a factor logged for a week at a time
    is not judged as if each day were an independent coin toss."""
    rng = np.random.default_rng(seed)
    n_blocks = -(-n // BLOCK_DAYS)
    grid = np.arange(n_blocks * BLOCK_DAYS).reshape(n_blocks, BLOCK_DAYS)
    order = np.argsort(rng.random((count, n_blocks)), axis=1)
    shuffled = grid[order].reshape(count, -1)
    # The last week may be short: drop the padding days; every row drops the same number.
    return shuffled[shuffled < n].reshape(count, n)


def compare(exposed: np.ndarray, outcome: np.ndarray) -> Comparison:
    """exposed, outcome: 1.0 / 0.0 / NaN (unknown) per pair of days."""
    known = np.isfinite(exposed) & np.isfinite(outcome)
    e, y = exposed[known] == 1.0, outcome[known] == 1.0
    return Comparison(int((e & y).sum()), int(e.sum()), int((~e & y).sum()), int((~e).sum()))


def permutation_p(exposed: np.ndarray, outcomes: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """One-sided p-values, one per column of `outcomes` (n days x lags), that onsets follow
    exposed days more often than other days, by the risk difference, against the same exposure
    series with its weeks shuffled. The shuffled series are built once for all lags."""
    known_y = np.isfinite(outcomes).astype(np.float32)
    y = np.where(known_y > 0, outcomes, 0.0).astype(np.float32)
    known_e = np.isfinite(exposed).astype(np.float32)
    e = np.where(known_e > 0, exposed, 0.0).astype(np.float32)

    def rd(e_rows: np.ndarray, k_rows: np.ndarray) -> np.ndarray:
        n1, a = e_rows @ known_y, e_rows @ y
        n_all, y_all = k_rows @ known_y, k_rows @ y
        n0, c = n_all - n1, y_all - a
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = a / n1 - c / n0
        return np.where((n1 > 0) & (n0 > 0), diff, -np.inf)

    observed = rd(e[None, :], known_e[None, :])[0]
    shuffled = rd(e[perms], known_e[perms])
    hits = np.sum(shuffled >= observed[None, :] - 1e-6, axis=0)
    return np.asarray((1 + hits) / (1 + len(perms)), dtype=np.float64)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """q-values (BH step-up adjusted p-values), in the order given."""
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q
