"""Apple Health elements to Pacekeeper records: the type and unit tables, and the expat handlers
for the elements that need a real XML parser (records with children such as HRV beat lists,
workouts, correlations, activity summaries, and anything written unusually).

Decisions (docs/formats.md):
- HRV SDNN keeps its beat-to-beat list in `extra`: {"beats": n, "bpm": [...], "times": [...]}
  (`times` as the export writes them: a local time of day in the phone's locale).
- An ActivitySummary becomes one ACTIVE_MINUTES sample for the person's day (exercise minutes,
  from the day boundary to the next), with the day's active energy, stand hours and goals in
  `extra`; its energy is not stored as ACTIVE_ENERGY, which the records already add up to.
- A Correlation's inner records are read like top-level ones when their type is one Pacekeeper
  reads; blood pressure has no sample kind, so those correlations are counted as not read.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.localday import day_start
from pacekeeper.domain.samples import SampleKind
from pacekeeper.importers.apple_health_lines import beat_list
from pacekeeper.importers.base import ImportReport, Record, Skipped
from pacekeeper.importers.context import ImportContext

QUANTITY = "HKQuantityTypeIdentifier"
CATEGORY = "HKCategoryTypeIdentifier"
CORRELATION = "HKCorrelationTypeIdentifier"
WORKOUT_PREFIX = "HKWorkoutActivityType"
SLEEP_TYPE = CATEGORY + "SleepAnalysis"
SLEEP_PREFIX = "HKCategoryValueSleepAnalysis"
SUMMARY_SOURCE = "Apple Health activity summary"

BPM = {"count/min": 1.0, "count/s": 60.0}
KCAL = {"kcal": 1.0, "Cal": 1.0, "kJ": 1 / 4.184, "J": 1 / 4184, "cal": 0.001}
METRES = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "ft": 0.3048, "yd": 0.9144, "cm": 0.01}
# type -> (kind, {unit: factor to the kind's unit})
QUANTITIES: dict[str, tuple[SampleKind, dict[str, float]]] = {
    QUANTITY + "HeartRate": (SampleKind.HEART_RATE, BPM),
    QUANTITY + "RestingHeartRate": (SampleKind.RESTING_HEART_RATE, BPM),
    QUANTITY + "HeartRateVariabilitySDNN": (SampleKind.HRV_SDNN, {"ms": 1.0, "s": 1000.0}),
    QUANTITY + "StepCount": (SampleKind.STEPS, {"count": 1.0}),
    QUANTITY + "DistanceWalkingRunning": (SampleKind.DISTANCE, METRES),
    QUANTITY + "ActiveEnergyBurned": (SampleKind.ACTIVE_ENERGY, KCAL),
    QUANTITY + "RespiratoryRate": (SampleKind.RESPIRATION_RATE, BPM),
    QUANTITY + "OxygenSaturation": (SampleKind.SPO2, {"%": 100.0}),  # written as a fraction
}
SLEEP = {
    "InBed": SampleKind.SLEEP_IN_BED,
    "AsleepCore": SampleKind.SLEEP_LIGHT,
    "AsleepDeep": SampleKind.SLEEP_DEEP,
    "AsleepREM": SampleKind.SLEEP_REM,
    "Awake": SampleKind.SLEEP_AWAKE,
    "AsleepUnspecified": SampleKind.SLEEP_ASLEEP,
    "Asleep": SampleKind.SLEEP_ASLEEP,
}
HEAVY = {"running", "cycling", "swimming", "highintensityintervaltraining"}
LIGHT = {"yoga", "mindandbody", "flexibility"}
SEATED = {"cycling", "rowing"}
MINUTES = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0}
# Top-level elements that carry nothing to read.
IGNORED = {"HealthData", "ExportDate", "Me"}


def short(type_name: str) -> str:
    for prefix in (QUANTITY, CATEGORY, CORRELATION, "HKDataType", "HK"):
        if type_name.startswith(prefix):
            return type_name.removeprefix(prefix) or type_name
    return type_name or "(no type)"


def source_of(a: dict[str, str]) -> str:
    return (a.get("sourceName") or "").strip()[:200] or "Apple Health"


def parse_time(text: str) -> datetime:
    """'2024-01-02 08:15:00 +0100', keeping its offset."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def why(exc: Exception) -> str:
    return f"missing {exc}" if isinstance(exc, KeyError) else str(exc)


@dataclass
class ElementReader:
    """expat handlers: records collected in `out` until the caller yields them.

    `line_shift` maps the parser's line numbers to the file's: the scanner feeds expat only
    part of the file (and never the DTD), and updates it before each part.
    """

    path: Path
    report: ImportReport
    ctx: ImportContext
    parser: Any = None
    out: list[Record] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    unread: Counter[str] = field(default_factory=Counter)
    started: bool = False
    line_shift: int = 0
    current: dict[str, str] | None = None  # the top-level element being read
    current_line: int = 0
    beats: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, dict[str, str]] = field(default_factory=dict)
    inner: list[dict[str, str]] = field(default_factory=list)  # a Correlation's records

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "InstantaneousBeatsPerMinute" and self.current is not None:
            self.stack.append(name)  # most elements expat sees are these: the shortest path
            self.beats.append((attrs.get("bpm", ""), attrs.get("time", "")))
            return
        self.started = True
        depth = len(self.stack)
        self.stack.append(name)
        if depth == 1:
            if name in ("Record", "Workout", "Correlation", "ActivitySummary"):
                self.current = attrs
                self.current_line = self.parser.CurrentLineNumber + self.line_shift
                self.beats, self.stats, self.inner = [], {}, []
            elif name not in IGNORED:
                self.unread[name] += 1
        elif self.current is None:
            return
        elif name == "WorkoutStatistics" and depth == 2:
            self.stats[attrs.get("type", "")] = attrs
        elif name == "Record" and depth == 2 and self.stack[1] == "Correlation":
            self.inner.append(attrs)

    def end(self, name: str) -> None:
        self.stack.pop()
        if len(self.stack) != 1 or self.current is None:
            return
        attrs, self.current = self.current, None
        try:
            if name == "Record":
                self.record(attrs, self.beats)
            elif name == "Workout":
                self.workout(attrs)
            elif name == "Correlation":
                self.correlation(attrs)
            elif name == "ActivitySummary":
                self.summary(attrs)
        except (KeyError, ValueError, TypeError, OverflowError) as exc:
            self.report.skipped.append(
                Skipped(f"line {self.current_line}", f"{name} not read: {why(exc)}")
            )

    def keep(self, r: SampleData | ActivityData, source: str) -> None:
        self.report.sources.add(source)
        self.report.saw_day(self.ctx.day_of(r.start if isinstance(r, SampleData) else r.started_at))
        self.out.append(r)

    def record(self, a: dict[str, str], beats: list[tuple[str, str]]) -> bool:
        """Read one Record; False when its type is not one Pacekeeper reads."""
        kind_name = a["type"]
        source = source_of(a)
        start, end = parse_time(a["startDate"]), parse_time(a["endDate"])
        if end < start:
            raise ValueError("it ends before it starts")
        if kind_name == SLEEP_TYPE:
            stage_name = a.get("value", "").removeprefix(SLEEP_PREFIX)
            stage = SLEEP.get(stage_name)
            if stage is None:
                self.unread[f"{short(kind_name)} value {stage_name}"] += 1
                return False
            minutes = (end - start).total_seconds() / 60
            self.keep(SampleData(stage, start, minutes, source, end), source)
            return True
        known = QUANTITIES.get(kind_name)
        if known is None:
            self.unread[short(kind_name)] += 1
            return False
        kind, units = known
        unit = a.get("unit", "")
        factor = units.get(unit)
        if factor is None:
            self.unread[f"{short(kind_name)} in {unit or 'no unit'}"] += 1
            return False
        value = float(a["value"]) * factor
        if not math.isfinite(value):
            raise ValueError(f"value {a['value']!r} is not a number")
        extra = beat_list(beats) if kind is SampleKind.HRV_SDNN and beats else None
        sample = SampleData(kind, start, value, source, end if kind.is_interval else None, extra)
        self.keep(sample, source)
        return True

    def correlation(self, a: dict[str, str]) -> None:
        read = False
        for inner in self.inner:  # unread inner types are counted once, with the correlation
            if inner.get("type") in QUANTITIES or inner.get("type") == SLEEP_TYPE:
                read = self.record(inner, []) or read
        if not read:
            self.unread[f"{short(a.get('type', ''))} correlation"] += 1

    def summary(self, a: dict[str, str]) -> None:
        day = date.fromisoformat(a["dateComponents"].strip())
        start = self.ctx.day_start(day)
        end = day_start(day + timedelta(days=1), self.ctx.tz, self.ctx.boundary)
        minutes = float(a.get("appleExerciseTime") or 0)
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"appleExerciseTime {a.get('appleExerciseTime')!r} is not a number")
        extra: dict[str, Any] = {}
        factor = KCAL.get(a.get("activeEnergyBurnedUnit") or "kcal")
        for attr, key, scale in (
            ("activeEnergyBurned", "active_energy_kcal", factor),
            ("activeEnergyBurnedGoal", "active_energy_goal_kcal", factor),
            ("appleExerciseTimeGoal", "exercise_goal_min", 1.0),
            ("appleStandHours", "stand_hours", 1.0),
            ("appleStandHoursGoal", "stand_hours_goal", 1.0),
        ):
            text = a.get(attr)
            if text and scale is not None:
                v = float(text) * scale
                if math.isfinite(v):
                    extra[key] = round(v, 3)
        sample = SampleData(
            SampleKind.ACTIVE_MINUTES, start, minutes, SUMMARY_SOURCE, end, extra or None
        )
        self.keep(sample, SUMMARY_SOURCE)

    def workout(self, a: dict[str, str]) -> None:
        source = source_of(a)
        start = parse_time(a["startDate"])
        what = a.get("workoutActivityType", "").removeprefix(WORKOUT_PREFIX) or "Workout"
        if a.get("duration"):
            minutes = float(a["duration"]) * MINUTES[a.get("durationUnit") or "min"]
        else:
            minutes = (parse_time(a["endDate"]) - start).total_seconds() / 60
        if not math.isfinite(minutes):
            raise ValueError(f"duration {a.get('duration')!r} is not a number")
        key = what.lower()
        physical = 3 if key in HEAVY else 1 if key in LIGHT else 2
        activity = ActivityData(
            what[:80],
            start,
            max(1, min(1440, round(minutes))),
            physical=physical,
            posture=Posture.SITTING if key in SEATED else Posture.UPRIGHT,
            note=", ".join(self._workout_notes(a)),
            source=source,
        )
        self.keep(activity, source)

    def _workout_notes(self, a: dict[str, str]) -> list[str]:
        """Distance, energy and average heart rate: from the Workout's own attributes (older
        exports) or from its WorkoutStatistics children (iOS 16 and later)."""
        notes = []
        for label, attr, stat in (
            ("distance", "totalDistance", "DistanceWalkingRunning"),
            ("energy", "totalEnergyBurned", "ActiveEnergyBurned"),
        ):
            s = self.stats.get(QUANTITY + stat, {})
            if a.get(attr):
                notes.append(f"{label} {round(float(a[attr]), 2)} {a.get(attr + 'Unit', '')}")
            elif s.get("sum"):
                notes.append(f"{label} {round(float(s['sum']), 2)} {s.get('unit', '')}")
        hr = self.stats.get(QUANTITY + "HeartRate", {})
        if hr.get("average"):
            notes.append(f"average heart rate {round(float(hr['average']))} bpm")
        return [n.strip() for n in notes]
