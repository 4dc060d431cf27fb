"""Fitbit account export (the "Download your data" JSON files, also in the PMData data set).

One file per metric, each a JSON array; times are the wearer's local time with no offset, so
they are read in the profile's time zone. The metric comes from the file name (Fitbit's own
names), the format from the content. Read: resting_heart_rate, lightly/moderately/very active
minutes, time_in_heart_rate_zones (minutes per zone), heart_rate (averaged per minute, see
fitbit_hr.py), steps (per minute), sleep (stages), exercise (as activities). Not read yet:
sedentary_minutes, calories, distance (docs/formats.md). Fitbit's own export writes dates as
"11/01/19 00:00:00" (month first); PMData rewrote them as ISO dates: both are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.localday import later
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.fitbit_hr import MinuteHeartRate, parse_time
from pacekeeper.importers.jsonstream import array_items

SOURCE = "Fitbit"
HEAD = re.compile(rb'^\s*\[\s*\{\s*"(dateTime|logId)"')
ACTIVE = {
    "lightly_active_minutes": "light",
    "moderately_active_minutes": "moderate",
    "very_active_minutes": "vigorous",
}
STAGES = {
    "wake": SampleKind.SLEEP_AWAKE,
    "awake": SampleKind.SLEEP_AWAKE,
    "restless": SampleKind.SLEEP_AWAKE,
    "light": SampleKind.SLEEP_LIGHT,
    "deep": SampleKind.SLEEP_DEEP,
    "rem": SampleKind.SLEEP_REM,
    "asleep": SampleKind.SLEEP_ASLEEP,
}
# Fitbit's default zone names (below zone 1, fat burn, cardio, peak), as stored in `extra`.
ZONES = {
    "BELOW_DEFAULT_ZONE_1": "below_zones",
    "IN_DEFAULT_ZONE_1": "fat_burn",
    "IN_DEFAULT_ZONE_2": "cardio",
    "IN_DEFAULT_ZONE_3": "peak",
}
KNOWN_UNREAD = {
    "sedentary_minutes",
    "calories",
    "distance",
    "altitude",
}


def metric_of(path: Path) -> str:
    return re.sub(r"[-_ ]?\d{4}-\d{2}-\d{2}$", "", path.stem.lower())  # "steps-2019-11-01" too


class FitbitJson:
    name = "fitbit-json"

    def sniff(self, head: bytes, path: Path) -> bool:
        return bool(HEAD.match(head))

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        metric = metric_of(path)
        if metric in KNOWN_UNREAD:
            report.skipped.append(Skipped("file", f"{metric} is not read yet"))
            return
        if metric == "heart_rate":
            yield from _heart_rate(path, report, progress, ctx)
            return
        handler = {
            "resting_heart_rate": _resting_hr,
            "time_in_heart_rate_zones": _zones,
            "steps": _steps,
            "sleep": _sleep,
            "exercise": _exercise,
        }.get(metric)
        if handler is None and metric not in ACTIVE:
            raise ImportFileError(
                str(path), f"is a Fitbit file, but {metric!r} is not a metric Pacekeeper reads"
            )
        for index, item in array_items(path, report, progress):
            where = f"element {index}"
            try:
                records = list(
                    handler(item, ctx) if handler else _active(item, ctx, ACTIVE[metric])
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                report.skipped.append(
                    Skipped(where, f"unexpected content ({type(exc).__name__}: {exc})")
                )
                continue
            for r in records:
                if isinstance(r, SampleData):
                    report.saw_day(ctx.day_of(r.start))
                elif isinstance(r, ActivityData):
                    report.saw_day(ctx.day_of(r.started_at))
                report.sources.add(SOURCE)
                yield r


def _local(text: str, ctx: ImportContext) -> datetime:
    return parse_time(text, ctx.tz)


def _date(text: str) -> date:
    return parse_time(text, UTC).date()


def _heart_rate(
    path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
) -> Iterator[Record]:
    """Every 5-15 s a reading: streamed, and kept as one mean per minute (fitbit_hr.py)."""
    minutes = MinuteHeartRate(SOURCE, ctx.tz)
    for index, item in array_items(path, report, progress):
        try:
            done = minutes.add(str(item["dateTime"]), item["value"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            report.skipped.append(
                Skipped(f"element {index}", f"unexpected content ({type(exc).__name__}: {exc})")
            )
            continue
        yield from _seen(done, ctx, report)
    yield from _seen(minutes.flush(), ctx, report)


def _seen(records: list[SampleData], ctx: ImportContext, report: ImportReport) -> Iterator[Record]:
    for r in records:
        report.saw_day(ctx.day_of(r.start))
        report.sources.add(SOURCE)
        yield r


def _zones(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    start = ctx.day_start(_date(item["dateTime"]))
    for name, minutes in item["value"]["valuesInZones"].items():
        zone = ZONES.get(name, str(name).lower())
        value = float(minutes)
        if not 0 <= value <= 1440:
            raise ValueError(f"{name} has {minutes!r} minutes")
        # One stream per zone, told apart by source so the natural key keeps them all.
        yield SampleData(
            SampleKind.HR_ZONE_MINUTES,
            start,
            value,
            f"{SOURCE} ({zone.replace('_', ' ')})",
            extra={"daily": True, "zone": zone},
        )


def _resting_hr(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    value = item["value"]
    bpm = float(value["value"]) if isinstance(value, dict) else float(value)
    if bpm > 0:  # Fitbit writes 0 on days it could not compute one
        start = ctx.day_start(_date(item["dateTime"]))
        yield SampleData(
            SampleKind.RESTING_HEART_RATE, start, round(bpm, 1), SOURCE, extra={"daily": True}
        )


def _active(item: dict[str, Any], ctx: ImportContext, intensity: str) -> Iterator[Record]:
    minutes = float(item["value"])
    start = ctx.day_start(_date(item["dateTime"]))
    # One stream per intensity, told apart by source so the natural key keeps all three.
    yield SampleData(
        SampleKind.ACTIVE_MINUTES,
        start,
        minutes,
        f"{SOURCE} ({intensity})",
        extra={"daily": True, "intensity": intensity},
    )


def _steps(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    start = _local(item["dateTime"], ctx)
    steps = float(item["value"])
    if steps > 0:
        yield SampleData(SampleKind.STEPS, start, steps, SOURCE, later(start, timedelta(minutes=1)))


def _sleep(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    start, end = _local(item["startTime"], ctx), _local(item["endTime"], ctx)
    yield SampleData(
        SampleKind.SLEEP_IN_BED,
        start,
        float(item["timeInBed"]),
        SOURCE,
        end,
        extra={"log_id": item.get("logId"), "efficiency": item.get("efficiency")},
    )
    for stage in (item.get("levels") or {}).get("data", []):
        kind = STAGES.get(stage["level"])
        if kind is None:
            continue
        s = _local(stage["dateTime"], ctx)
        seconds = float(stage["seconds"])
        yield SampleData(kind, s, seconds / 60, SOURCE, later(s, timedelta(seconds=seconds)))


def _exercise(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    start = _local(item["startTime"], ctx)
    minutes = max(
        1, min(1440, round(float(item.get("activeDuration") or item["duration"]) / 60000))
    )
    levels = {lv["name"]: lv["minutes"] for lv in item.get("activityLevel", [])}
    # Physical load from Fitbit's intensity minutes: mostly "very" is heavy, "fairly" moderate.
    hard = levels.get("very", 0) + levels.get("fairly", 0)
    physical = 3 if levels.get("very", 0) >= minutes / 2 else 2 if hard >= minutes / 3 else 1
    note = f"average heart rate {item['averageHeartRate']}" if item.get("averageHeartRate") else ""
    yield ActivityData(
        str(item.get("activityName") or "Exercise")[:80],
        start,
        minutes,
        physical=physical,
        posture=Posture.UPRIGHT,
        note=note,
        source=SOURCE,
    )
