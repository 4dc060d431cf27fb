"""Apple Health exports: `export.zip` as the Health app shares it, or its `export.xml`.

The XML is streamed with expat over the file or the zip member (memory does not grow with the
export's size); the internal DTD that newer iOS versions write malformed is cut before parsing.
Times keep the offset they were written with. Read: heart rate, resting heart rate, HRV (SDNN),
steps, walking/running distance, active energy, respiratory rate, oxygen saturation, sleep
stages and workouts. Every other record type is counted and listed once as not read
(docs/formats.md). A damaged or truncated export imports what came before the damage.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext

CHUNK = 1 << 16
MAX_PROLOG = 4 << 20  # the DTD is ~10 KB; give up looking for the root element after 4 MB
ROOT = re.compile(rb"<HealthData[\s>/]")
DOCTYPE = b"<!DOCTYPE"
ZIP_MAGIC = b"PK\x03\x04"

QUANTITY = "HKQuantityTypeIdentifier"
CATEGORY = "HKCategoryTypeIdentifier"
WORKOUT_PREFIX = "HKWorkoutActivityType"
SLEEP_TYPE = CATEGORY + "SleepAnalysis"
SLEEP_PREFIX = "HKCategoryValueSleepAnalysis"

BPM = {"count/min": 1.0, "count/s": 60.0}
# type -> (kind, {unit: factor to the kind's unit})
QUANTITIES: dict[str, tuple[SampleKind, dict[str, float]]] = {
    QUANTITY + "HeartRate": (SampleKind.HEART_RATE, BPM),
    QUANTITY + "RestingHeartRate": (SampleKind.RESTING_HEART_RATE, BPM),
    QUANTITY + "HeartRateVariabilitySDNN": (SampleKind.HRV_SDNN, {"ms": 1.0, "s": 1000.0}),
    QUANTITY + "StepCount": (SampleKind.STEPS, {"count": 1.0}),
    QUANTITY + "DistanceWalkingRunning": (
        SampleKind.DISTANCE,
        {"m": 1.0, "km": 1000.0, "mi": 1609.344, "ft": 0.3048, "yd": 0.9144, "cm": 0.01},
    ),
    QUANTITY + "ActiveEnergyBurned": (
        SampleKind.ACTIVE_ENERGY,
        {"kcal": 1.0, "Cal": 1.0, "kJ": 1 / 4.184, "J": 1 / 4184, "cal": 0.001},
    ),
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
MEDIUM = {"walking", "hiking"}
LIGHT = {"yoga", "mindandbody", "flexibility"}
SEATED = {"cycling", "rowing"}
MINUTES = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0}
# Top-level elements that carry nothing to read, or whose content is read with its parent.
IGNORED = {"HealthData", "ExportDate", "Me"}


class AppleHealth:
    name = "apple-health"

    def sniff(self, head: bytes, path: Path) -> bool:
        if head.startswith(ZIP_MAGIC):
            return b"apple_health_export" in head or (
                path.suffix.lower() == ".zip" and b"export.xml" in head
            )
        return bool(ROOT.search(head)) or b"<!DOCTYPE HealthData" in head

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
        with raw:
            try:
                is_zip = raw.read(4) == ZIP_MAGIC
                raw.seek(0)
                if not is_zip:
                    yield from _parse(path, raw, raw, report, progress, ctx)
                    return
                with zipfile.ZipFile(raw) as zf:
                    member = _export_member(zf)
                    if member is None:
                        raise ImportFileError(
                            str(path), "is a zip file without an Apple Health export.xml"
                        )
                    with zf.open(member) as stream:
                        yield from _parse(path, stream, raw, report, progress, ctx)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
                raise ImportFileError(str(path), f"is a damaged zip file ({exc})") from exc
            except OSError as exc:
                raise ImportFileError(str(path), f"cannot be read: {exc}") from exc


def _export_member(zf: zipfile.ZipFile) -> str | None:
    names = [
        n
        for n in zf.namelist()
        if not n.startswith("__MACOSX/")
        and not n.rsplit("/", 1)[-1].startswith("._")
        and n.rsplit("/", 1)[-1].lower() == "export.xml"
    ]
    return min(names, key=lambda n: (n.count("/"), n)) if names else None


@dataclass
class _State:
    """What the expat handlers collect; records wait in `out` until the caller yields them."""

    path: Path
    report: ImportReport
    ctx: ImportContext
    parser: Any = None
    out: list[Record] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    current: dict[str, str] | None = None  # the top-level Record or Workout being read
    current_line: int = 0
    beats: int = 0
    unread: Counter[str] = field(default_factory=Counter)
    started: bool = False
    line_shift: int = 0  # lines cut with the DTD, to report lines of the file as it is
    byte_shift: int = 0
    cut_at: int = 0

    def where(self, line: int) -> str:
        return f"line {line + self.line_shift}"

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.started = True
        depth = len(self.stack)
        self.stack.append(name)
        if depth == 1:
            if name in ("Record", "Workout"):
                self.current = attrs
                self.current_line = self.parser.CurrentLineNumber
                self.beats = 0
            elif name not in IGNORED:
                self.unread[name] += 1
        elif name == "InstantaneousBeatsPerMinute" and self.current is not None:
            self.beats += 1

    def end(self, name: str) -> None:
        self.stack.pop()
        if len(self.stack) != 1 or self.current is None:
            return
        attrs, self.current = self.current, None
        try:
            if name == "Record":
                self._record(attrs)
            elif name == "Workout":
                self._workout(attrs)
        except (KeyError, ValueError, TypeError, OverflowError) as exc:
            self.report.skipped.append(
                Skipped(self.where(self.current_line), f"{name} not read: {_why(exc)}")
            )

    def _keep(self, r: SampleData | ActivityData, source: str) -> None:
        self.report.sources.add(source)
        self.report.saw_day(self.ctx.day_of(r.start if isinstance(r, SampleData) else r.started_at))
        self.out.append(r)

    def _record(self, a: dict[str, str]) -> None:
        kind_name = a["type"]
        source = _source(a)
        start, end = _time(a["startDate"]), _time(a["endDate"])
        if end < start:
            raise ValueError("it ends before it starts")
        if kind_name == SLEEP_TYPE:
            stage_name = a.get("value", "").removeprefix(SLEEP_PREFIX)
            stage = SLEEP.get(stage_name)
            if stage is None:
                self.unread[f"{_short(kind_name)} value {stage_name}"] += 1
                return
            minutes = (end - start).total_seconds() / 60
            self._keep(SampleData(stage, start, minutes, source, end), source)
            return
        known = QUANTITIES.get(kind_name)
        if known is None:
            self.unread[_short(kind_name)] += 1
            return
        kind, units = known
        unit = a.get("unit", "")
        factor = units.get(unit)
        if factor is None:
            self.unread[f"{_short(kind_name)} in {unit or 'no unit'}"] += 1
            return
        value = float(a["value"]) * factor
        if not math.isfinite(value):
            raise ValueError(f"value {a['value']!r} is not a number")
        extra = {"beats": self.beats} if kind is SampleKind.HRV_SDNN and self.beats else None
        self._keep(
            SampleData(kind, start, value, source, end if kind.is_interval else None, extra=extra),
            source,
        )

    def _workout(self, a: dict[str, str]) -> None:
        source = _source(a)
        start = _time(a["startDate"])
        what = a.get("workoutActivityType", "").removeprefix(WORKOUT_PREFIX) or "Workout"
        if a.get("duration"):
            minutes = float(a["duration"]) * MINUTES[a.get("durationUnit") or "min"]
        else:
            minutes = (_time(a["endDate"]) - start).total_seconds() / 60
        if not math.isfinite(minutes):
            raise ValueError(f"duration {a.get('duration')!r} is not a number")
        key = what.lower()
        physical = 3 if key in HEAVY else 1 if key in LIGHT else 2
        notes = [
            f"{label} {round(float(a[attr]), 2)} {a.get(attr + 'Unit', '')}".strip()
            for label, attr in (("distance", "totalDistance"), ("energy", "totalEnergyBurned"))
            if a.get(attr)
        ]
        activity = ActivityData(
            what[:80],
            start,
            max(1, min(1440, round(minutes))),
            physical=physical,
            posture=Posture.SITTING if key in SEATED else Posture.UPRIGHT,
            note=", ".join(notes),
            source=source,
        )
        self._keep(activity, source)


def _why(exc: Exception) -> str:
    return f"missing {exc}" if isinstance(exc, KeyError) else str(exc)


def _short(type_name: str) -> str:
    for prefix in (QUANTITY, CATEGORY, "HKDataType", "HK"):
        if type_name.startswith(prefix):
            return type_name.removeprefix(prefix) or type_name
    return type_name or "(no type)"


def _source(a: dict[str, str]) -> str:
    return (a.get("sourceName") or "").strip()[:200] or "Apple Health"


def _time(text: str) -> datetime:
    """'2024-01-02 08:15:00 +0100', keeping its offset."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def _parse(
    path: Path,
    stream: IO[bytes],
    raw: IO[bytes],
    report: ImportReport,
    progress: Progress,
    ctx: ImportContext,
) -> Iterator[Record]:
    state = _State(path, report, ctx)
    parser = expat.ParserCreate()
    state.parser = parser
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    try:
        chunks = _without_dtd(stream, state)
        done = False
        for chunk in chunks:
            parser.Parse(chunk, False)
            progress(raw.tell())
            yield from state.out
            state.out.clear()
        parser.Parse(b"", True)
        done = True
    except expat.ExpatError as exc:
        yield from state.out
        state.out.clear()
        _damaged(state, parser, exc, expat.errors.messages[exc.code])
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        yield from state.out
        state.out.clear()
        if not state.started:
            raise ImportFileError(str(path), f"cannot be read: {exc}") from exc
        report.skipped.append(
            Skipped(
                f"byte {parser.CurrentByteIndex + state.byte_shift}",
                f"the export is damaged here ({exc}); what came before was imported",
            )
        )
    yield from state.out
    state.out.clear()
    if done:
        progress(raw.tell())
    for what, n in sorted(state.unread.items()):
        plural = "s" if n != 1 else ""
        report.skipped.append(Skipped("file", f"{what} ({n} element{plural}) not read"))


def _damaged(state: _State, parser: Any, exc: expat.ExpatError, message: str) -> None:
    byte = int(parser.ErrorByteIndex)
    shifted = byte >= state.cut_at
    line = exc.lineno + (state.line_shift if shifted else 0)
    where = f"line {line}, column {exc.offset} (byte {byte + (state.byte_shift if shifted else 0)})"
    if not state.started:
        raise ImportFileError(str(state.path), f"is not readable XML ({message})", where)
    state.report.skipped.append(
        Skipped(where, f"the XML is damaged or ends early ({message}); what came before was read")
    )


def _without_dtd(stream: IO[bytes], state: _State) -> Iterator[bytes]:
    """The stream's bytes with any DOCTYPE (and its internal DTD) cut out before the root."""
    head = b""
    while len(head) < MAX_PROLOG:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        head += chunk
        if ROOT.search(head):
            break
    root = ROOT.search(head)
    doctype = head.find(DOCTYPE)
    if root is not None and 0 <= doctype < root.start():
        cut = head[doctype : root.start()]
        state.line_shift = cut.count(b"\n")
        state.byte_shift = len(cut)
        state.cut_at = doctype
        head = head[:doctype] + head[root.start() :]
    yield head
    while chunk := stream.read(CHUNK):
        yield chunk
