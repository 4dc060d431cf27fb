"""Garmin / ANT FIT files (activity and daily monitoring files), decoded by fit_decode.

Read: each session as an activity (sport, start, timer time, average and maximum heart rate),
heart rate from activity records and from monitoring, stress levels, beat-to-beat (RR)
intervals as one RMSSD per minute (fit_hrv.py), and from daily-monitoring files step counts,
sleep levels and overnight HRV (fit_daily.py). FIT times are UTC; they are shown in the
profile's time zone (docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.fit_daily import monitoring_steps, overnight_hrv, sleep_stages
from pacekeeper.importers.fit_decode import FitDecodeError, FitFile, decode
from pacekeeper.importers.fit_hrv import rr_minutes

HEAVY_SPORTS = {"running", "cycling", "swimming", "hiking", "rowing", "cross_country_skiing"}
LIGHT_SPORTS = {"yoga", "breathing", "meditation", "generic"}


class FitImporter:
    name = "fit"

    def sniff(self, head: bytes, path: Path) -> bool:
        return len(head) >= 12 and head[0] in (12, 14) and head[8:12] == b".FIT"

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        try:
            fit = decode(path)
        except FitDecodeError as exc:
            raise ImportFileError(str(path), exc.reason, f"byte {exc.offset}") from exc
        except OSError as exc:
            raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
        progress(fit.size)
        for p in fit.problems:
            report.skipped.append(
                Skipped(f"byte {p.offset}", f"message {p.message_index}: {p.reason}")
            )
        source = _source(fit)
        report.sources.add(source)
        for record in _records(fit, source, ctx, report):
            if isinstance(record, SampleData):
                report.saw_day(ctx.day_of(record.start))
            elif isinstance(record, ActivityData):
                report.saw_day(ctx.day_of(record.started_at))
            yield record


def _source(fit: FitFile) -> str:
    ids = fit.by_name("file_id")
    maker = ids[0].get("manufacturer") if ids else None
    name = str(maker).replace("_", " ").title() if isinstance(maker, str) else "FIT device"
    return f"{name} (FIT)"


def _local(instant: datetime, ctx: ImportContext) -> datetime:
    return instant.astimezone(ctx.tz)


def _in_zone(sample: SampleData, ctx: ImportContext) -> SampleData:
    end = _local(sample.end, ctx) if sample.end is not None else None
    return replace(sample, start=_local(sample.start, ctx), end=end)


def _records(
    fit: FitFile, source: str, ctx: ImportContext, report: ImportReport
) -> Iterator[Record]:
    names = {m.name for m in fit.messages}
    yield from _messages(fit, source, ctx, report)
    if "hrv" in names:
        for minute in rr_minutes(fit.messages):
            yield SampleData(
                SampleKind.HRV_RMSSD,
                _local(minute.start, ctx),
                minute.rmssd_ms,
                source,
                extra={"window_s": 60, "rr_count": minute.rr_count, "from": "rr"},
            )
    if "monitoring" in names:
        for steps in monitoring_steps(fit.messages, source):
            yield _in_zone(steps, ctx)
    if "sleep_level" in names:
        for stage in sleep_stages(fit.messages, source):
            yield _in_zone(stage, ctx)
    if "hr" in names:
        report.skipped.append(
            Skipped("file", "swim/strap 'hr' messages (stored heart rate) are not read yet")
        )


def _messages(
    fit: FitFile, source: str, ctx: ImportContext, report: ImportReport
) -> Iterator[Record]:
    for m in fit.messages:
        f: dict[str, Any] = m.fields
        if m.name == "session":
            start, seconds = (
                f.get("start_time"),
                f.get("total_timer_time") or f.get("total_elapsed_time"),
            )
            if not isinstance(start, datetime) or not seconds:
                report.skipped.append(
                    Skipped(f"byte {m.offset}", "a session without start or duration")
                )
                continue
            sport = str(f.get("sport") or "exercise")
            physical = 3 if sport in HEAVY_SPORTS else 1 if sport in LIGHT_SPORTS else 2
            heart = [
                f"{k.replace('_', ' ')} {f[k]}"
                for k in ("avg_heart_rate", "max_heart_rate")
                if f.get(k)
            ]
            yield ActivityData(
                sport.replace("_", " ").capitalize()[:80],
                _local(start, ctx),
                max(1, min(1440, round(float(seconds) / 60))),
                physical=physical,
                posture=Posture.UPRIGHT,
                note=", ".join(heart),
                source=source,
            )
        elif m.name in ("record", "monitoring"):
            ts, hr = f.get("timestamp"), f.get("heart_rate")
            if isinstance(ts, datetime) and isinstance(hr, int | float) and hr > 0:
                yield SampleData(SampleKind.HEART_RATE, _local(ts, ctx), float(hr), source)
        elif m.name == "stress_level":
            ts, level = f.get("stress_level_time"), f.get("stress_level_value")
            if isinstance(ts, datetime) and isinstance(level, int | float) and 0 <= level <= 100:
                yield SampleData(SampleKind.STRESS, _local(ts, ctx), float(level), source)
        elif m.name in ("hrv_status_summary", "hrv_value"):
            hrv = overnight_hrv(m, source)
            if hrv is not None:
                yield _in_zone(hrv, ctx)
