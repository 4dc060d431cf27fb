"""Write a realistic Apple Health export of any size, for benchmarks and scale tests.

    .venv/bin/python bench/apple_health_gen.py --size 1GB --out /tmp/export.xml [--seed 7] [--zip]

The file looks like what the Health app writes: the XML header with the internal DTD that newer
iOS versions write malformed, `ExportDate` and `Me`, then day after day of Records (heart rate
every few minutes from the watch, most of them with a motion-context MetadataEntry; step counts
and distance from phone and watch overlapping; active and basal energy; daily resting heart rate;
HRV SDNN with its beat-to-beat list; sleep stages; a few types Pacekeeper does not read),
Workouts with WorkoutStatistics, WorkoutEvent and WorkoutRoute, blood-pressure Correlations and
one ActivitySummary a day. Times are written in the wall-clock offset of the day: Berlin with
its DST changes, and a two-week trip to New York every few months. The output is streamed (the
memory used does not depend on the size) and is the same for the same seed and size.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

HOME, TRIP = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
WATCH, PHONE, SCALE = "Apple Watch de Zoë", "iPhone de Zoë", "Withings Health Mate"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x2812a4f50&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch,"
    " hardware:Watch6,2, software:10.4&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x2812a5e00&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone,"
    " hardware:iPhone14,5, software:17.4&gt;"
)
Q, C = "HKQuantityTypeIdentifier", "HKCategoryTypeIdentifier"

# The header as the Health app writes it (long lines kept as they are in real exports).
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth                   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex                 CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType                     CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse   CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  value         CDATA #IMPLIED
>
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
{close}
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
{close}
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
>
]>
<HealthData locale="fr_FR">
 <ExportDate value="{export_date}"/>
 {me}
"""
ME = (
    '<Me HKCharacteristicTypeIdentifierDateOfBirth="1984-03-09"'
    ' HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"'
    ' HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet"'
    ' HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet"'
    ' HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>'
)
FOOTER = "</HealthData>\n"
SLEEP_STAGES = ["AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake"]
WORKOUTS = ["Walking", "Yoga", "Cycling", "TraditionalStrengthTraining", "Swimming"]


def parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMG]?)i?B?\s*", text.upper())
    if m is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 200MB, 1GB)")
    return int(float(m[1]) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m[2]])


class Day:
    """Everything written for one local day, with times in that day's wall-clock offset."""

    def __init__(self, rng: random.Random, day: datetime, zone: ZoneInfo) -> None:
        self.rng, self.day, self.zone = rng, day, zone

    def at(self, minutes: float) -> datetime:
        return (self.day + timedelta(minutes=minutes)).astimezone(self.zone)

    def stamp(self, t: datetime) -> str:
        return t.strftime("%Y-%m-%d %H:%M:%S %z")

    def record(
        self,
        kind: str,
        source: str,
        start: datetime,
        end: datetime,
        value: str,
        unit: str | None = None,
        children: str = "",
    ) -> str:
        device = WATCH_DEVICE if source == WATCH else PHONE_DEVICE if source == PHONE else None
        attrs = f' type="{kind}" sourceName="{source}" sourceVersion="10.4"'
        if device:
            attrs += f' device="{device}"'
        if unit:
            attrs += f' unit="{unit}"'
        created = self.stamp(end + timedelta(seconds=self.rng.randint(5, 600)))
        attrs += (
            f' creationDate="{created}" startDate="{self.stamp(start)}"'
            f' endDate="{self.stamp(end)}" value="{value}"'
        )
        if not children:
            return f" <Record{attrs}/>\n"
        return f" <Record{attrs}>\n{children} </Record>\n"

    def lines(self) -> Iterator[str]:
        rng = self.rng
        yield from self.heart_rate()
        for _ in range(rng.randint(2, 6)):  # HRV readings through the day
            yield self.hrv(rng.uniform(0, 1440))
        yield self.record(
            Q + "RestingHeartRate", WATCH, self.at(0), self.at(1439), str(rng.randint(55, 72)),
            "count/min",
        )  # fmt: skip
        yield from self.movement()
        yield from self.sleep()
        if rng.random() < 0.35:
            yield from self.workout()
        if rng.random() < 0.15:
            yield from self.blood_pressure()
        if rng.random() < 0.1:
            t = self.at(rng.uniform(420, 540))
            meta = '  <MetadataEntry key="Withings User Identifier" value="1234"/>\n'
            kg = f"{rng.uniform(58, 62):.1f}"
            yield self.record(Q + "BodyMass", SCALE, t, t, kg, "kg", meta)

    def heart_rate(self) -> Iterator[str]:
        rng = self.rng
        minute = rng.uniform(0, 5)
        while minute < 1440:
            t = self.at(minute)
            motion = rng.random()
            key = "HKMetadataKeyHeartRateMotionContext"
            children = (
                f'  <MetadataEntry key="{key}" value="{int(motion * 3)}"/>\n'
                if motion < 0.6
                else ""
            )
            yield self.record(
                Q + "HeartRate", WATCH, t, t, str(rng.randint(52, 118)), "count/min", children
            )
            minute += rng.uniform(2, 7)

    def hrv(self, minute: float) -> str:
        rng, t = self.rng, self.at(minute)
        beats = "".join(
            f'   <InstantaneousBeatsPerMinute bpm="{rng.randint(55, 90)}"'
            f' time="{(t + timedelta(seconds=i)).strftime("%-I:%M:%S,%f")[:-4]} '
            f'{"AM" if t.hour < 12 else "PM"}"/>\n'
            for i in range(rng.randint(40, 70))
        )
        children = (
            f"  <HeartRateVariabilityMetadataList>\n{beats}  </HeartRateVariabilityMetadataList>\n"
        )
        return self.record(
            Q + "HeartRateVariabilitySDNN", WATCH, t, t + timedelta(seconds=60),
            f"{rng.uniform(18, 80):.4f}", "ms", children,
        )  # fmt: skip

    def movement(self) -> Iterator[str]:
        rng = self.rng
        minute = 420 + rng.uniform(0, 60)
        while minute < 1380:  # waking hours: phone and watch both count the same walking
            length = rng.uniform(2, 15)
            a, b = self.at(minute), self.at(minute + length)
            steps = rng.randint(20, 900)
            for source in (WATCH, PHONE) if rng.random() < 0.6 else (PHONE,):
                jitter = rng.randint(-20, 20)
                yield self.record(
                    Q + "StepCount", source, a, b, str(max(1, steps + jitter)), "count"
                )
                yield self.record(
                    Q + "DistanceWalkingRunning", source, a, b, f"{steps * 0.00072:.5f}", "km"
                )
            minute += length + rng.uniform(5, 60)
        minute = rng.uniform(0, 3)
        while minute < 1440:  # the watch writes active and basal energy all day
            a, b = self.at(minute), self.at(minute + 1)
            yield self.record(
                Q + "ActiveEnergyBurned", WATCH, a, b, f"{rng.uniform(0.05, 4):.3f}", "Cal"
            )
            if rng.random() < 0.5:
                yield self.record(
                    Q + "BasalEnergyBurned", WATCH, a, b, f"{rng.uniform(0.9, 1.2):.3f}", "Cal"
                )
            minute += rng.uniform(3, 12)
        for hour in range(8, 22):
            if rng.random() < 0.7:
                a = self.at(hour * 60 + rng.uniform(0, 50))
                yield self.record(
                    Q + "AppleStandTime", WATCH, a, a + timedelta(minutes=5), "2", "min"
                )
        date = self.day.astimezone(self.zone).date()
        energy = rng.uniform(150, 600)
        yield (
            f' <ActivitySummary dateComponents="{date}" activeEnergyBurned="{energy:.3f}"'
            ' activeEnergyBurnedGoal="400" activeEnergyBurnedUnit="Cal" appleMoveTime="0"'
            f' appleMoveTimeGoal="0" appleExerciseTime="{rng.randint(0, 60)}"'
            f' appleExerciseTimeGoal="30" appleStandHours="{rng.randint(4, 14)}"'
            ' appleStandHoursGoal="12"/>\n'
        )

    def sleep(self) -> Iterator[str]:
        rng = self.rng
        minute = -rng.uniform(30, 120)  # went to bed the evening before
        bed = minute
        yield_end = minute + rng.uniform(400, 520)
        meta = f'  <MetadataEntry key="HKTimeZone" value="{self.zone.key}"/>\n'
        yield self.record(
            C + "SleepAnalysis", PHONE, self.at(bed), self.at(yield_end),
            "HKCategoryValueSleepAnalysisInBed", children=meta,
        )  # fmt: skip
        minute += rng.uniform(5, 25)
        while minute < yield_end:
            length = rng.uniform(4, 45)
            stage = rng.choice(SLEEP_STAGES)
            yield self.record(
                C + "SleepAnalysis", WATCH, self.at(minute), self.at(minute + length),
                "HKCategoryValueSleepAnalysis" + stage, children=meta,
            )  # fmt: skip
            minute += length

    def workout(self) -> Iterator[str]:
        rng = self.rng
        what = rng.choice(WORKOUTS)
        minute, length = rng.uniform(600, 1100), rng.uniform(15, 60)
        a, b = self.at(minute), self.at(minute + length)
        kcal, km = length * rng.uniform(3, 8), length * rng.uniform(0.05, 0.12)
        span = f'startDate="{self.stamp(a)}" endDate="{self.stamp(b)}"'
        bpm = f"{rng.uniform(90, 130):.1f}"
        yield (
            f' <Workout workoutActivityType="HKWorkoutActivityType{what}" duration="{length:.6f}"'
            f' durationUnit="min" sourceName="{WATCH}" sourceVersion="10.4" device="{WATCH_DEVICE}"'
            f' creationDate="{self.stamp(b)}" {span}>\n'
            '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
            f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{self.stamp(a)}"'
            f' duration="{length:.3f}" durationUnit="min"/>\n'
            f'  <WorkoutStatistics type="{Q}ActiveEnergyBurned" {span} sum="{kcal:.3f}"'
            ' unit="Cal"/>\n'
            f'  <WorkoutStatistics type="{Q}DistanceWalkingRunning" {span} sum="{km:.4f}"'
            ' unit="km"/>\n'
            f'  <WorkoutStatistics type="{Q}HeartRate" {span} average="{bpm}" minimum="80"'
            ' maximum="150" unit="count/min"/>\n'
            f'  <WorkoutRoute sourceName="{PHONE}" sourceVersion="17.4"'
            f' creationDate="{self.stamp(b)}" {span}>\n'
            f'   <FileReference path="/workout-routes/route_{a:%Y-%m-%d_%H.%M}.gpx"/>\n'
            "  </WorkoutRoute>\n"
            " </Workout>\n"
        )

    def blood_pressure(self) -> Iterator[str]:
        rng = self.rng
        t = self.at(rng.uniform(420, 600))
        sys_v, dia_v = str(rng.randint(105, 135)), str(rng.randint(65, 88))
        inner = [
            self.record(Q + "BloodPressureSystolic", SCALE, t, t, sys_v, "mmHg"),
            self.record(Q + "BloodPressureDiastolic", SCALE, t, t, dia_v, "mmHg"),
        ]
        yield from inner  # Apple writes the parts at the top level too
        yield (
            f' <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="{SCALE}"'
            f' sourceVersion="6.1" creationDate="{self.stamp(t)}" startDate="{self.stamp(t)}"'
            f' endDate="{self.stamp(t)}">\n'
            + "".join(" " + line for line in inner)
            + " </Correlation>\n"
        )


def zone_on(day: datetime) -> ZoneInfo:
    """Home, except two weeks in New York every 100 days."""
    return TRIP if (day - datetime(2020, 1, 1, tzinfo=UTC)).days % 100 < 14 else HOME


def write_export(out: IO[str], size: int, seed: int = 7, broken_dtd: bool = True) -> int:
    """Write days of data until about `size` bytes are written; returns the days written.

    With `broken_dtd` two ATTLIST declarations are left unclosed, as iOS 16 and later write
    them (strict XML parsers such as ElementTree then refuse the whole file)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    first = datetime(2020, 1, 1, tzinfo=UTC)
    written = 0

    def emit(text: str) -> None:
        nonlocal written
        out.write(text)
        written += len(text.encode())

    header = HEADER.replace("{export_date}", "2026-11-30 21:04:11 +0100").replace("{me}", ME)
    emit(header.replace("{close}\n", "" if broken_dtd else ">\n"))
    days = 0
    while written < size - len(FOOTER):
        day = first + timedelta(days=days)
        zone = zone_on(day)
        local_midnight = day.replace(tzinfo=zone).astimezone(UTC)
        for line in Day(rng, local_midnight, zone).lines():
            emit(line)
            if written >= size - len(FOOTER):
                break  # whole elements only, so the file stays well-formed
        days += 1
    emit(FOOTER)
    return days


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=parse_size, default=parse_size("200MB"))
    ap.add_argument("--out", type=Path, default=Path("export.xml"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--zip", action="store_true", help="write export.zip as the Health app does")
    ap.add_argument(
        "--valid-dtd", action="store_true", help="close the DTD declarations newer iOS leaves open"
    )
    args = ap.parse_args(argv)
    if args.zip:
        with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("__MACOSX/apple_health_export/._export.xml", b"\x00\x05\x16\x07junk")
            zf.writestr("apple_health_export/.DS_Store", b"\x00\x00\x00\x01Bud1")
            with zf.open("apple_health_export/export.xml", "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                days = write_export(text, args.size, args.seed, not args.valid_dtd)
                text.flush()
                text.detach()
    else:
        with args.out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
            days = write_export(f, args.size, args.seed, not args.valid_dtd)
    print(f"{args.out}: {days} days, {args.out.stat().st_size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
