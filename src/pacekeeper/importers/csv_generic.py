"""Pacekeeper's generic CSV/TSV, for any app without an importer of its own (docs/formats.md).

Long layout: one observation a row, columns `metric`, `value`, and `date` (a local day) or
`time` (ISO 8601; without an offset it is the person's local time); optional `unit`, `source`.
Wide layout: a `date` column and one column per metric, one row a day; blank cells are missing.

A metric is a tracker key or label (fatigue, Brain fog, ...), a sample kind (heart_rate, steps,
resting_heart_rate, hrv_rmssd, ...), or anything else, which becomes a custom number tracker.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import TrackerDef, TrackerKind, parse_value, slug_key
from pacekeeper.errors import FieldError
from pacekeeper.importers.base import Answer, ImportReport, NewTracker, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.textfile import csv_rows

# Units accepted for a sample kind, and the factor to its one unit.
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "m": {"m": 1, "km": 1000, "mi": 1609.344, "ft": 0.3048},
    "kcal": {"kcal": 1, "cal": 1, "kj": 1 / 4.184},
    "min": {"min": 1, "h": 60, "hr": 60, "s": 1 / 60, "sec": 1 / 60},
    "bpm": {"bpm": 1, "count/min": 1, "beats/min": 1},
    "ms": {"ms": 1, "s": 1000},
    "count": {"count": 1, "steps": 1},
    "%": {"%": 1},
    "score": {"score": 1},
    "breaths/min": {"breaths/min": 1, "count/min": 1},
}
SAMPLE_KINDS = {k.value: k for k in SampleKind}


class GenericCsv:
    name = "generic-csv"

    def sniff(self, head: bytes, path: Path) -> bool:
        first = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0:1]
        if not first:
            return False
        cells = {
            c.strip().strip('"').lower()
            for c in first[0].replace(";", ",").replace("\t", ",").split(",")
        }
        long = {"metric", "value"} <= cells and bool(cells & {"date", "time"})
        wide = "date" in cells and len(cells) >= 2 and "observation_date" not in cells
        return long or wide

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        source = f"CSV {path.name}"
        created: dict[str, TrackerDef] = {}
        for line, row in csv_rows(path, report, progress):
            where = f"line {line}"
            if "metric" in row and "value" in row:
                cells = [(row["metric"], row["value"], row.get("unit", ""))]
            else:
                cells = [(k, v, "") for k, v in row.items() if k not in ("date", "source") and v]
            when = _when(row, ctx, report, where)
            if when is None:
                continue
            row_source = row.get("source") or source
            for metric, raw, unit in cells:
                yield from _cell(metric, raw, unit, when, row_source, ctx, created, report, where)


def _when(
    row: dict[str, str], ctx: ImportContext, report: ImportReport, where: str
) -> date | datetime | None:
    try:
        if row.get("time"):
            return ctx.aware(datetime.fromisoformat(row["time"]))
        if row.get("date"):
            return date.fromisoformat(row["date"][:10])
    except ValueError:
        report.skipped.append(Skipped(where, "time/date is not ISO 8601 (like 2026-03-15T09:30)"))
        return None
    report.skipped.append(Skipped(where, "has no date or time"))
    return None


def _cell(
    metric: str,
    raw: str,
    unit: str,
    when: date | datetime,
    source: str,
    ctx: ImportContext,
    created: dict[str, TrackerDef],
    report: ImportReport,
    where: str,
) -> Iterator[Record]:
    if not metric:
        report.skipped.append(Skipped(where, "has no metric name"))
        return
    day = ctx.day_of(when) if isinstance(when, datetime) else when
    kind = SAMPLE_KINDS.get(metric.strip().lower())
    if kind is not None:
        try:
            value = float(raw)
        except ValueError:
            report.skipped.append(Skipped(where, f"{metric}: {raw!r} is not a number"))
            return
        factor = UNIT_FACTORS.get(kind.unit, {}).get(unit.strip().lower() or kind.unit)
        if factor is None:
            report.skipped.append(Skipped(where, f"{metric}: unit {unit!r} is not {kind.unit!r}"))
            return
        if not math.isfinite(value):
            report.skipped.append(Skipped(where, f"{metric}: {raw!r} is not a finite number"))
            return
        start = when if isinstance(when, datetime) else ctx.day_start(when)
        extra = None if isinstance(when, datetime) else {"daily": True}
        report.saw_day(day)
        report.sources.add(source)
        yield SampleData(kind, start, value * factor, source, extra=extra)
        return

    tracker = ctx.tracker_by_name(metric) or created.get(metric.lower())
    if tracker is None:
        taken = set(ctx.trackers) | {t.key for t in created.values()}
        tracker = TrackerDef(
            key=slug_key(metric, taken), label=metric[:60], kind=TrackerKind.NUMBER,
            min_value=-1e6, max_value=1e6, unit=unit[:16], is_symptom=False,
        )  # fmt: skip
        created[metric.lower()] = tracker
        yield NewTracker(tracker)
    errors: list[FieldError] = []
    answer = parse_value(errors, tracker, raw)
    if errors or answer is None:
        reason = errors[0].reason if errors else "is empty"
        report.skipped.append(Skipped(where, f"{metric}: {reason}"))
        return
    report.saw_day(day)
    report.sources.add(source)
    yield Answer(day, tracker.key, answer)
