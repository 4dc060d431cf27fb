"""Which device to believe when several counted the same thing.

People often carry a phone and wear a watch; both count steps, and adding them would count a
walk twice. Every reading is stored with its source (nothing is thrown away); when a day's
total is needed, the source ranked highest here is used:

1. a worn device (watch, band, ring, strap, or a FIT file): it is on the body all day;
2. an app or service that gathers a worn device's data (Garmin Connect, Fitbit, Apple Health
   from a Watch is already 1);
3. anything else, phones last (a phone left on a table counts nothing).

Within one rank the larger total wins (the device that saw more of the day). The chosen source
is shown beside the number, so the person can see which device was believed.
"""

from __future__ import annotations

from collections.abc import Mapping

WORN = ("watch", "band", "ring", "strap", "oura", "whoop", "polar", "wahoo", "coros", "(fit)",
        "vivo", "forerunner", "fenix", "venu", "charge", "versa", "sense", "inspire")  # fmt: skip
SERVICES = ("garmin", "fitbit", "withings", "demo")
PHONES = ("iphone", "phone", "pixel", "galaxy", "android", "google fit", "health connect")


def source_rank(source: str) -> int:
    """Higher is more trusted for counts such as steps."""
    s = source.lower()
    if any(w in s for w in WORN):
        return 3
    if any(w in s for w in SERVICES):
        return 2
    if any(w in s for w in PHONES):
        return 0
    return 1


def choose_source(totals: Mapping[str, float]) -> str | None:
    """The source whose total to use: highest rank, then the larger total, then the name."""
    if not totals:
        return None
    return max(totals, key=lambda src: (source_rank(src), totals[src], src))
