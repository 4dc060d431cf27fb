"""Garmin Connect account export (the "GDPR" data download), JSON files.

Two kinds of file are read, told apart by their content (the names are only a hint):

- `DI-Connect-Aggregator/UDSFile_*.json`: a JSON array of daily summaries ("user daily
  summary"), one object per calendar day (`userProfilePK`, `calendarDate`, `totalSteps`, ...).
  Each becomes daily samples at the start of the person's local day (marked daily).
- `DI-Connect-Fitness/*summarizedActivities*.json`: `[{"summarizedActivitiesExport": [...]}]`,
  one object per recorded activity. Each becomes an activity (source "Garmin Connect").

Units in the export: durations in milliseconds, activity distance in centimetres, activity start
times as epoch milliseconds (`startTimeGmt` is UTC, `startTimeLocal` the watch's wall clock
written as if it were UTC, so their difference is the UTC offset at the start).
Mapping decisions are listed in docs/formats.md ("Garmin Connect (account export, JSON)").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.jsonstream import CHUNK, array_items

SOURCE = "Garmin Connect"
HEAD_BYTES = 4096
EXPORT_KEY = "summarizedActivitiesExport"
ARRAY_OF_OBJECTS = re.compile(rb"^\s*\[\s*\{")
UDS_KEYS = (b'"totalSteps"', b'"wellnessStartTimeGmt"', b'"restingHeartRate"', b'"allDayStress"')
# The usual opening of a summarizedActivities file: the inner array is streamed from here.
EXPORT_OPENING = re.compile(r'^\s*\[\s*\{\s*"' + EXPORT_KEY + r'"\s*:\s*\[')
FIRST_YEAR, LAST_YEAR = 1980, 2200  # a date outside these is damage, not data
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

# Physical load by activity type (Garmin's `activityType` keys); anything else counts as light.
MODERATE_TYPES = ("walking", "hiking", "yoga", "pilates", "golf", "surfing", "paddl", "skat")
HEAVY_TYPES = (
    "running",
    "cycling",
    "biking",
    "swimming",
    "climbing",
    "mountaineering",
    "strength",
    "cardio",
    "rowing",
    "ski",
    "hiit",
    "boxing",
)


def _kind(head: bytes) -> str | None:
    """ "uds", "activities" or None, from the first bytes of a file."""
    if not ARRAY_OF_OBJECTS.match(head):
        return None
    if b'"' + EXPORT_KEY.encode() + b'"' in head:
        return "activities"
    if (
        b'"userProfilePK"' in head
        and b'"calendarDate"' in head
        and any(k in head for k in UDS_KEYS)
    ):
        return "uds"
    return None


class GarminConnectJson:
    name = "garmin-connect-json"

    def sniff(self, head: bytes, path: Path) -> bool:
        return _kind(head) is not None

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        try:
            with path.open("rb") as f:
                head = f.read(HEAD_BYTES)
        except OSError as exc:
            raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
        kind = _kind(head)
        if kind is None:
            raise ImportFileError(str(path), "is not a Garmin Connect export file Pacekeeper reads")
        items = (
            array_items(path, report, progress)
            if kind == "uds"
            else _activity_items(path, report, progress)
        )
        handler = _daily_summary if kind == "uds" else _activity
        for index, item in items:
            where = f"element {index}"
            try:
                if not isinstance(item, dict):
                    raise TypeError(f"expected an object, found {type(item).__name__}")
                records = list(handler(item, ctx))
                days = [
                    ctx.day_of(r.start if isinstance(r, SampleData) else r.started_at)
                    for r in records
                    if isinstance(r, SampleData | ActivityData)
                ]
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError) as exc:
                report.skipped.append(
                    Skipped(where, f"unexpected content ({type(exc).__name__}: {exc})")
                )
                continue
            for d in days:
                report.saw_day(d)
            for r in records:
                report.sources.add(SOURCE)
                yield r


# --- reading ---------------------------------------------------------------------------------


def _activity_items(
    path: Path, report: ImportReport, progress: Progress
) -> Iterator[tuple[int, Any]]:
    """(index, activity) for each activity in a summarizedActivities file.

    The usual layout `[{"summarizedActivitiesExport": [...]}]` is streamed activity by activity,
    so a truncated file keeps every activity before the cut. Any other layout of the outer array
    is read element by element, each element's list of activities as a whole.
    """
    try:
        f = path.open("rb")
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
    with f:
        start = f.read(CHUNK).decode("utf-8", "replace")
        opening = EXPORT_OPENING.match(start)
    if opening is None:
        index = 0
        for n, outer in array_items(path, report, progress):
            inner = outer.get(EXPORT_KEY) if isinstance(outer, dict) else None
            if not isinstance(inner, list):
                report.skipped.append(Skipped(f"element {n}", f"has no {EXPORT_KEY} list"))
                continue
            for item in inner:
                yield index, item
                index += 1
        return
    after = len(start[: opening.end()].encode())
    yield from array_items(path, report, progress, after=after, what="the activity list")


# --- mapping ---------------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    """A finite number, or None for a missing/odd value (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _daily_summary(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    day = date.fromisoformat(str(item["calendarDate"])[:10])
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"calendarDate {day} is out of range")
    start = ctx.day_start(day)

    def sample(kind: SampleKind, value: float, source: str = SOURCE, **extra: Any) -> SampleData:
        return SampleData(kind, start, round(value, 1), source, extra={"daily": True, **extra})

    out: list[SampleData] = []
    if item.get("includesWellnessData") is not False:
        steps = _num(item.get("totalSteps"))
        if steps is not None and steps >= 0:
            out.append(sample(SampleKind.STEPS, steps))
        meters = _num(item.get("totalDistanceMeters"))
        if meters is not None and meters >= 0:
            out.append(sample(SampleKind.DISTANCE, meters))
        kcal = _num(item.get("activeKilocalories"))
        if kcal is not None and kcal >= 0:
            out.append(sample(SampleKind.ACTIVE_ENERGY, kcal))
        for key, intensity in (
            ("moderateIntensityMinutes", "moderate"),
            ("vigorousIntensityMinutes", "vigorous"),
        ):
            minutes = _num(item.get(key))
            if minutes is not None and minutes >= 0:
                out.append(
                    sample(
                        SampleKind.ACTIVE_MINUTES,
                        minutes,
                        f"{SOURCE} ({intensity})",
                        intensity=intensity,
                    )
                )
    rhr = _num(item.get("restingHeartRate"))
    if rhr is not None and rhr > 0:  # missing or 0 when the watch could not compute one
        out.append(sample(SampleKind.RESTING_HEART_RATE, rhr))
    stress = _stress(item.get("allDayStress"))
    if stress is not None:
        out.append(sample(SampleKind.STRESS, stress))
    battery = item.get("bodyBattery")
    if isinstance(battery, dict):
        for stat in battery.get("bodyBatteryStatList") or []:
            if not isinstance(stat, dict):
                continue
            which = {"HIGHEST": "high", "LOWEST": "low"}.get(str(stat.get("bodyBatteryStatType")))
            value = _num(stat.get("statsValue"))
            if which and value is not None and 0 <= value <= 100:
                out.append(
                    sample(SampleKind.BODY_BATTERY, value, f"{SOURCE} (body battery {which})")
                )
    respiration = item.get("respiration")
    if isinstance(respiration, dict):
        breaths = _num(respiration.get("avgWakingRespirationValue"))
        if breaths is not None and breaths > 0:
            out.append(sample(SampleKind.RESPIRATION_RATE, breaths))
    yield from out


def _stress(value: Any) -> float | None:
    """The day's average overall stress (the TOTAL aggregate), 0-100; Garmin's negative values
    mean "no data" (off wrist, too active)."""
    if not isinstance(value, dict):
        return None
    for agg in value.get("aggregatorList") or []:
        if isinstance(agg, dict) and agg.get("type") == "TOTAL":
            level = _num(agg.get("averageStressLevel"))
            if level is not None and 0 <= level <= 100:
                return level
    return None


def _started_at(item: dict[str, Any]) -> datetime:
    gmt = _num(item.get("startTimeGmt"))
    if gmt is None:
        gmt = _num(item["beginTimestamp"])
    if gmt is None:
        raise ValueError("no start time")
    start = datetime.fromtimestamp(gmt / 1000, UTC)
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ValueError(f"start time {start:%Y-%m-%d} is out of range")
    local = _num(item.get("startTimeLocal"))
    if local is None:
        return start
    offset = timedelta(minutes=round((local - gmt) / 60000))
    return start.astimezone(timezone(offset))  # shown in the watch's offset at the start


def physical_load(activity_type: str, minutes: int, item: dict[str, Any]) -> int:
    """1 light, 2 moderate, 3 heavy: the highest of what the activity type, Garmin's intensity
    minutes and the average heart rate say."""
    t = activity_type.lower()
    by_type = 2 if any(w in t for w in HEAVY_TYPES) or any(w in t for w in MODERATE_TYPES) else 1
    vigorous = _num(item.get("vigorousIntensityMinutes")) or 0
    moderate = _num(item.get("moderateIntensityMinutes")) or 0
    by_intensity = 3 if vigorous >= minutes / 2 else 2 if vigorous + moderate >= minutes / 3 else 1
    hr = _num(item.get("avgHr")) or 0
    by_hr = 3 if hr >= 140 else 2 if hr >= 110 else 1
    return max(by_type, by_intensity, by_hr)


def posture_of(activity_type: str) -> Posture:
    t = activity_type.lower()
    if "swim" in t:
        return Posture.LYING  # horizontal in the water: no orthostatic load
    if "stand_up" not in t and any(w in t for w in ("cycling", "biking", "rowing", "kayak")):
        return Posture.SITTING
    return Posture.UPRIGHT


def _activity(item: dict[str, Any], ctx: ImportContext) -> Iterator[Record]:
    started = _started_at(item)
    ms = _num(item.get("duration"))
    if ms is None:
        ms = _num(item["elapsedDuration"])
    if ms is None or ms < 0:
        raise ValueError("no duration")
    minutes = max(1, min(1440, round(ms / 60000)))
    activity_type = str(item.get("activityType") or "other")
    what = CONTROL.sub(" ", str(item.get("name") or activity_type.replace("_", " "))).strip()
    notes = []
    hr = _num(item.get("avgHr"))
    if hr:
        notes.append(f"average heart rate {round(hr)}")
    cm = _num(item.get("distance"))
    if cm:
        notes.append(f"distance {cm / 100000:.2f} km")
    yield ActivityData(
        (what or "Activity")[:80],
        started,
        minutes,
        physical=physical_load(activity_type, minutes, item),
        posture=posture_of(activity_type),
        note=", ".join(notes),
        source=SOURCE,
    )
