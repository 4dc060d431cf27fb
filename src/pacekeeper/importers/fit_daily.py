"""Daily-monitoring content of FIT files: step counts, sleep levels and overnight HRV.

- `monitoring` step counts are cumulative per activity type since the start of the device's
  day (walking and running counted apart), and reset to a smaller number at the next day. Each
  new value becomes a `steps` interval holding the difference to the previous value of that
  type, from the previous message of that type to this one.
- `sleep_level` messages mark where a stage begins; it lasts until the next message.
- `hrv_status_summary` holds last night's average RMSSD (Garmin's "HRV status"), and
  `hrv_value` the 5-minute overnight values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import pairwise

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind
from pacekeeper.importers.fit_decode import FitMessage

SLEEP_KINDS = {
    "awake": SampleKind.SLEEP_AWAKE,
    "light": SampleKind.SLEEP_LIGHT,
    "deep": SampleKind.SLEEP_DEEP,
    "rem": SampleKind.SLEEP_REM,
}
MAX_STAGE_S = 12 * 3600  # a "stage" longer than this is a gap in the recording, not sleep
MAX_HRV_MS = 300.0


def monitoring_steps(messages: Iterable[FitMessage], source: str) -> Iterator[SampleData]:
    last: dict[str, tuple[datetime, int]] = {}  # activity type -> (time, cumulative steps)
    day_start: datetime | None = None
    by_start: dict[datetime, SampleData] = {}
    for m in messages:
        ts = m.fields.get("timestamp")
        if m.name == "monitoring_info" and isinstance(ts, datetime):
            day_start = ts  # the device's local midnight, in UTC
            continue
        steps = m.fields.get("steps")
        if m.name != "monitoring" or not isinstance(ts, datetime):
            continue
        if not isinstance(steps, int) or steps < 0:
            continue
        kind = str(m.fields.get("activity_type") or "generic")
        before = last.get(kind)
        last[kind] = (ts, steps)
        if before is None:
            # The first count of the file: steps since the device's day began.
            start = day_start if day_start is not None and day_start < ts else None
            delta = steps
        else:
            start, delta = before[0], steps - before[1] if steps >= before[1] else steps
        if start is None or delta <= 0 or start >= ts:
            continue
        # Two activity types may close an interval with the same start: add them together.
        old = by_start.get(start)
        total = delta + (old.value if old else 0.0)
        end = max(ts, old.end) if old and old.end else ts
        by_start[start] = SampleData(
            SampleKind.STEPS, start, float(total), source, end, extra={"from": "monitoring"}
        )
    yield from sorted(by_start.values(), key=lambda s: s.start)


def sleep_stages(messages: Iterable[FitMessage], source: str) -> Iterator[SampleData]:
    marks = [
        (m.fields["timestamp"], m.fields.get("sleep_level"))
        for m in messages
        if m.name == "sleep_level" and isinstance(m.fields.get("timestamp"), datetime)
    ]
    marks.sort(key=lambda x: x[0])
    for (start, level), (end, _) in pairwise(marks):
        kind = SLEEP_KINDS.get(str(level))
        seconds = (end - start).total_seconds()
        if kind is None or not 0 < seconds <= MAX_STAGE_S:
            continue  # "unmeasurable", or a gap
        yield SampleData(kind, start, round(seconds / 60, 2), source, end)


def overnight_hrv(m: FitMessage, source: str) -> SampleData | None:
    ts = m.fields.get("timestamp")
    if not isinstance(ts, datetime):
        return None
    if m.name == "hrv_status_summary":
        value = m.fields.get("last_night_average")
        extra: dict[str, object] = {"daily": True, "overnight": True}
        status = m.fields.get("status")
        if isinstance(status, str):
            extra["status"] = status
        weekly = m.fields.get("weekly_average")
        if isinstance(weekly, int | float):
            extra["weekly_average"] = round(float(weekly), 1)
    else:
        value, extra = m.fields.get("value"), {"window_s": 300, "overnight": True}
    if not isinstance(value, int | float) or not 0 < value < MAX_HRV_MS:
        return None
    return SampleData(SampleKind.HRV_RMSSD, ts, round(float(value), 1), source, extra=extra)
