"""Garmin / ANT FIT files (activity and daily monitoring files), decoded by fit_decode.

Read: each session as an activity (sport, start, timer time, average and maximum heart rate),
heart rate from activity records and from monitoring, and stress levels. FIT times are UTC;
they are shown in the profile's time zone. Not read yet: beat-to-beat (HRV) intervals,
monitoring step counts (cumulative per activity type), sleep levels (docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.fit_decode import FitDecodeError, FitFile, decode

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


def _records(
    fit: FitFile, source: str, ctx: ImportContext, report: ImportReport
) -> Iterator[Record]:
    unread: set[str] = set()
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
            if m.name == "monitoring" and f.get("steps") is not None:
                unread.add("monitoring step counts")
        elif m.name == "stress_level":
            ts, level = f.get("stress_level_time"), f.get("stress_level_value")
            if isinstance(ts, datetime) and isinstance(level, int | float) and 0 <= level <= 100:
                yield SampleData(SampleKind.STRESS, _local(ts, ctx), float(level), source)
        elif m.name in ("hrv", "hr"):
            unread.add("beat-to-beat (HRV) intervals")
        elif m.name in ("sleep_level", "hrv_status_summary", "hrv_value"):
            unread.add(m.name.replace("_", " "))
    for what in sorted(unread):
        report.skipped.append(Skipped("file", f"{what} are not read yet"))
