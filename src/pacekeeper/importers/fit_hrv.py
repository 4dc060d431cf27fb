"""Beat-to-beat (RR) intervals from FIT `hrv` messages, summarised as one RMSSD per minute.

An `hrv` message holds up to five RR intervals (seconds) and no timestamp of its own. The
beats are placed on a clock that starts at the first timestamped message of the activity and
advances by each interval; when the device stops sending intervals (a pause), the clock jumps
forward to the latest record's timestamp so later beats do not fall behind.

Why per-minute RMSSD and not the beats themselves: a one-hour activity has ~5,000 beats and a
24-hour strap recording ~100,000; the pacing engine needs short-term vagal tone over time, not
single beats. RMSSD over one minute is the standard ultra-short-term HRV measure (Task Force
of the ESC/NASPE 1996; Munoz et al. 2015 for 60 s windows). The number of intervals used is
kept in `extra` so a reader can judge each value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from pacekeeper.importers.fit_decode import FitMessage

MIN_RR, MAX_RR = 0.3, 2.0  # seconds: 30-200 bpm; anything else is a sensor artefact
MAX_JUMP = 0.2  # a beat differing from the previous by more than 20% is an ectopic/artefact
MIN_DIFFS = 10  # fewer successive differences in a minute give no usable RMSSD
RESYNC = 5.0  # seconds the beat clock may lag the records before it jumps forward


@dataclass(frozen=True)
class RrMinute:
    start: datetime  # UTC, on the minute
    rmssd_ms: float
    rr_count: int  # valid intervals that fell in the minute
    diffs: int  # successive differences the RMSSD was computed from


def rr_minutes(messages: Iterable[FitMessage]) -> Iterator[RrMinute]:
    clock: float | None = None  # seconds since the Unix epoch
    last_ts: float | None = None
    minute: int | None = None
    squares: list[float] = []
    count = 0
    prev: float | None = None

    def close() -> RrMinute | None:
        if minute is None or len(squares) < MIN_DIFFS:
            return None
        rmssd = math.sqrt(sum(squares) / len(squares)) * 1000
        start = datetime.fromtimestamp(minute * 60, UTC)
        return RrMinute(start, round(rmssd, 1), count, len(squares))

    for m in messages:
        ts = m.fields.get("timestamp")
        if isinstance(ts, datetime):
            last_ts = ts.timestamp()
            if clock is None:
                clock = last_ts
            continue
        if m.name != "hrv" or clock is None:
            continue
        if last_ts is not None and last_ts - clock > RESYNC:
            clock, prev = last_ts, None
        times = m.fields.get("time")
        if not isinstance(times, list):
            continue
        for rr in times:
            if not isinstance(rr, int | float) or not math.isfinite(rr) or rr <= 0:
                continue
            clock += float(rr)
            at = int(clock // 60)
            if at != minute:
                done = close()
                if done is not None:
                    yield done
                minute, squares, count = at, [], 0
            if not MIN_RR <= rr <= MAX_RR:
                prev = None
                continue
            count += 1
            if prev is not None and abs(rr - prev) <= MAX_JUMP * prev:
                squares.append((rr - prev) ** 2)
            prev = float(rr)
    done = close()
    if done is not None:
        yield done
