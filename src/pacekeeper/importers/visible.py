"""Visible (the ME/CFS pacing app) CSV export.

Columns: observation_date, tracker_name, tracker_category, observation_value (header cells may
carry trailing spaces). Symptoms and exertion are rated 0-3, Crash is 0/1, Stability Score 1-5,
morning HRV and Resting HR are measurements, Note is text, and FUNCAP27 items come monthly.

Mapping (docs/formats.md): Visible's Fatigue, Brain Fog, Pain, Unrefreshing Sleep and Crash go
onto Pacekeeper's own trackers, a 0-3 rating scaled to 0-10 (0, 3, 7, 10) so the history reads
on one scale; Resting HR and HRV become morning samples; every other tracker is kept as a custom
tracker on its own scale. Names are matched case- and space-insensitively, with known renames,
so two exports of the same person land on the same trackers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import TrackerDef, TrackerKind, slug_key
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import (
    Answer,
    DayNote,
    ImportReport,
    NewTracker,
    Progress,
    Record,
    Skipped,
)
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.textfile import csv_rows

SOURCE = "Visible"
COLUMNS = ("observation_date", "tracker_name", "tracker_category", "observation_value")

# Visible name (normalised) -> Pacekeeper built-in tracker, for 0-3 ratings scaled to 0-10.
ONTO_BUILTIN = {
    "fatigue": "fatigue",
    "brain fog": "brain_fog",
    "pain": "pain",
    "unrefreshing sleep": "unrefreshing_sleep",
}
# Earlier or later names of the same tracker, normalised.
RENAMES = {
    "brainfog": "brain fog",
    "cognitive fog": "brain fog",
    "muscle pain": "muscle aches",
    "headaches": "headache",
    "crashed": "crash",
    "pem crash": "crash",
    "resting heart rate": "resting hr",
    "heart rate variability": "hrv",
    "stability": "stability score",
    "physical activity": "physically active",
    "mental exertion": "mentally demanding",
    "social exertion": "socially demanding",
    "emotional stress": "emotionally stressful",
}
EXERTION = {
    "physically active",
    "mentally demanding",
    "socially demanding",
    "emotionally stressful",
}
MORNING_HOUR = timedelta(hours=8)  # Visible measures on waking; the file has no clock time


def normalise(name: str) -> str:
    n = " ".join(name.replace("_", " ").lower().split()).strip(" .:")
    return RENAMES.get(n, n)


@dataclass
class _Seen:
    label: str
    category: str
    lo: float = math.inf
    hi: float = -math.inf
    whole: bool = True
    numeric: bool = True


class VisibleCsv:
    name = "visible"

    def sniff(self, head: bytes, path: Path) -> bool:
        first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].lower()
        return all(c in first for c in ("observation_date", "tracker_name", "observation_value"))

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        # Pass 1 learns each tracker's range (to choose its scale); pass 2 yields records.
        # Both stream the file, so memory depends on the number of trackers, not rows.
        seen: dict[str, _Seen] = {}
        scratch = ImportReport(report.path, report.format)
        for _, row in csv_rows(path, scratch, lambda n: None):
            _require_columns(path, row)
            name = normalise(row["tracker_name"])
            s = seen.setdefault(name, _Seen(row["tracker_name"].strip(), row["tracker_category"]))
            try:
                v = float(row["observation_value"])
            except ValueError:
                s.numeric = False
                continue
            if math.isfinite(v):
                s.lo, s.hi = min(s.lo, v), max(s.hi, v)
                s.whole = s.whole and v.is_integer()
        custom = self._custom_trackers(seen, ctx)
        for t in custom.values():
            if t.key not in ctx.trackers:
                yield NewTracker(t)

        for line, row in csv_rows(path, report, progress):
            where = f"line {line}"
            try:
                day = date.fromisoformat(row["observation_date"][:10])
            except ValueError:
                report.skipped.append(
                    Skipped(where, f"observation_date {row['observation_date']!r} is not a date")
                )
                continue
            name, raw = normalise(row["tracker_name"]), row["observation_value"]
            if not raw:
                continue
            if name == "note":
                report.saw_day(day)
                yield DayNote(day, raw)
                continue
            try:
                value = float(raw)
            except ValueError:
                report.skipped.append(
                    Skipped(where, f"{row['tracker_name']}: {raw!r} is not a number")
                )
                continue
            if not math.isfinite(value):
                report.skipped.append(
                    Skipped(where, f"{row['tracker_name']}: {raw!r} is not a number")
                )
                continue
            record = self._record(name, day, value, custom, ctx, report, where)
            if record is not None:
                report.saw_day(day)
                report.sources.add(SOURCE)
                yield record

    def _custom_trackers(self, seen: dict[str, _Seen], ctx: ImportContext) -> dict[str, TrackerDef]:
        out: dict[str, TrackerDef] = {}
        taken = set(ctx.trackers)
        for name, s in seen.items():
            if (
                name in ONTO_BUILTIN
                or name in ("crash", "note", "resting hr", "hrv")
                or not s.numeric
            ):
                continue
            existing = ctx.tracker_by_name(s.label) or ctx.tracker_by_name(name)
            if existing is not None:
                out[name] = existing
                continue
            funcap = "funcap" in s.category.lower()
            base = f"funcap {name}" if funcap else name
            key = slug_key(base, taken)
            taken.add(key)
            lo, hi = (0.0, 3.0) if s.hi <= 3 and s.lo >= 0 else (min(s.lo, 0.0), max(s.hi, 1.0))
            kind = TrackerKind.SCALE if s.whole and hi - lo <= 20 else TrackerKind.NUMBER
            if name == "period" or (s.whole and lo == 0 and hi == 1):
                kind, lo, hi = TrackerKind.YES_NO, 0.0, 1.0
            if name == "stability score":
                kind, lo, hi = TrackerKind.SCALE, 1.0, 5.0
            out[name] = TrackerDef(
                key=key, label=s.label[:60], kind=kind, min_value=lo, max_value=hi,
                higher_is_worse=name != "stability score",
                # Exertion ratings are load, the stability score is a reading: not symptoms.
                is_symptom=not (funcap or name in EXERTION or name == "stability score"),
            )  # fmt: skip
        return out

    def _record(
        self,
        name: str,
        day: date,
        value: float,
        custom: dict[str, TrackerDef],
        ctx: ImportContext,
        report: ImportReport,
        where: str,
    ) -> Record | None:
        if name in ONTO_BUILTIN:
            if not 0 <= value <= 3:
                report.skipped.append(Skipped(where, f"{name}: {value:g} is outside Visible's 0-3"))
                return None
            return Answer(day, ONTO_BUILTIN[name], float(round(value * 10 / 3)))
        if name == "crash":
            return Answer(day, "crash", 1.0 if value >= 1 else 0.0)
        if name in ("resting hr", "hrv"):
            kind = SampleKind.RESTING_HEART_RATE if name == "resting hr" else SampleKind.HRV_RMSSD
            start = ctx.day_start(day, MORNING_HOUR)
            return SampleData(kind, start, value, SOURCE, extra={"daily": True, "from": "Visible"})
        tracker = custom.get(name)
        if tracker is None:
            return None
        if not tracker.min_value <= value <= tracker.max_value:
            report.skipped.append(Skipped(where, f"{tracker.label}: {value:g} is out of range"))
            return None
        return Answer(day, tracker.key, value)


def _require_columns(path: Path, row: dict[str, str]) -> None:
    missing = [c for c in COLUMNS if c not in row]
    if missing:
        raise ImportFileError(str(path), f"missing column(s) {', '.join(missing)}", "line 1")
