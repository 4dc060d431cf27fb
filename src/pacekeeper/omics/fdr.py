"""Benjamini-Hochberg false discovery rate."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def bh(p: ArrayLike) -> NDArray[np.float64]:
    """BH-adjusted p-values (q-values). NaN p-values stay NaN and do not count in m.

    q_(i) = min over j >= i of (m / j) p_(j), capped at 1, for p sorted ascending.
    """
    arr = np.asarray(p, dtype=np.float64)
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnan(arr)
    vals = arr[ok]
    m = vals.size
    if m == 0:
        return out
    order = np.argsort(vals)
    scaled = vals[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(q, 1.0)
    out[ok] = adjusted
    return out
