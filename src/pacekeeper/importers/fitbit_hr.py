"""Fitbit's heart_rate.json: a reading every 5-15 seconds, kept as one mean per minute.

A year of Fitbit heart rate is ~3 million readings (PMData's files are ~120 MB each). The
pacing engine works in minutes (time above the heart-rate threshold, resting trends), so the
readings are averaged per local minute as they stream past; the number of readings and the
lowest and highest are kept in `extra`. Readings with Fitbit's confidence 0 (the sensor had
no contact) and bpm outside 20-250 are left out.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind

US_TIME = re.compile(r"^(\d{2})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
MIN_BPM, MAX_BPM = 20.0, 250.0


def parse_time(text: str, tz: tzinfo) -> datetime:
    """Fitbit's "11/01/19 00:00:05" (month/day/two-digit year) or ISO "2019-11-01 00:00:05",
    the wearer's local time without an offset, read in `tz`."""
    us = US_TIME.match(text.strip())
    if us:
        month, day, year, hh, mm, ss = (int(g) for g in us.groups())
        return datetime(2000 + year, month, day, hh, mm, ss, tzinfo=tz)
    return datetime.fromisoformat(text.replace("T", " ")[:19]).replace(tzinfo=tz)


class MinuteHeartRate:
    """Collects readings of one minute; a reading from a later minute closes it.

    The time text is parsed once per minute, not per reading: readings of one minute share
    their text up to the seconds (`... 08:15:`), which is what makes a 3-million-reading file
    quick to read."""

    def __init__(self, source: str, tz: tzinfo) -> None:
        self.source = source
        self.tz = tz
        self.key = ""
        self.minute: datetime | None = None
        self.values: list[float] = []

    def add(self, text: str, value: Any) -> list[SampleData]:
        bpm = float(value["bpm"])
        confidence = value.get("confidence")
        key = text.strip()[:-2]
        done: list[SampleData] = []
        if key != self.key:
            minute = parse_time(text, self.tz).replace(second=0, microsecond=0)
            done = self.flush()
            self.key, self.minute = key, minute
        if MIN_BPM <= bpm <= MAX_BPM and confidence != 0:
            self.values.append(bpm)
        return done

    def flush(self) -> list[SampleData]:
        if self.minute is None or not self.values:
            self.values = []
            return []
        v = self.values
        sample = SampleData(
            SampleKind.HEART_RATE,
            self.minute,
            round(sum(v) / len(v), 1),
            self.source,
            extra={"n": len(v), "min": min(v), "max": max(v)},
        )
        self.values = []
        return [sample]
