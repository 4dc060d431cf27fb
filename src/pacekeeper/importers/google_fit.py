"""Google Fit in a Google Takeout export: the activity-metrics CSVs.

Layout implemented (docs/formats.md; unverified against a real export, none was available):
`Takeout/Fit/Daily activity metrics/Daily activity metrics.csv` has one row per day (`Date`,
then metric columns); beside it one CSV per day, named `YYYY-MM-DD.csv`, with one row per
15-minute interval (`Start time`, `End time` as `HH:MM:SS.fff+01:00`, the day taken from the
file name, then the same metric columns). Columns read, by header name (case-insensitive):
`Step count`, `Distance (m)`, `Move Minutes count`, `Heart Minutes`, and in the per-day files
`Average/Min/Max heart rate (bpm)`. Other columns (calories including the resting burn,
speeds, weight, locations) are not read. Sessions are google_fit_sessions.py; a whole
Takeout zip is google_fit_zip.py.

The daily file and the per-day files count the same steps twice over: the daily totals are
kept as daily samples from the source "Google Fit (daily)", the 15-minute ones from "Google
Fit", so a day's steps are taken from one source, never summed (docs/formats.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.textfile import csv_rows

SOURCE = "Google Fit"
DAILY_SOURCE = "Google Fit (daily)"
# column -> (kind, source suffix, extra)
COLUMNS: dict[str, tuple[SampleKind, str, dict[str, str]]] = {
    "step count": (SampleKind.STEPS, "", {}),
    "distance (m)": (SampleKind.DISTANCE, "", {}),
    "move minutes count": (SampleKind.ACTIVE_MINUTES, " (move minutes)", {"intensity": "any"}),
    "heart minutes": (SampleKind.ACTIVE_MINUTES, " (heart minutes)", {"intensity": "moderate"}),
}
METRIC_HINTS = ("step count", "move minutes count", "heart minutes", "distance (m)")
DAY_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
MAX_PER_DAY = {SampleKind.STEPS: 200_000.0, SampleKind.DISTANCE: 500_000.0}


def _header_cells(head: bytes) -> list[str]:
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0]
    return [c.strip().strip('"').lower() for c in first.split(",")]


def _number(text: str, column: str) -> float | None:
    """None for an empty cell; ValueError (with the column) for anything else not a number."""
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{column}: {text!r} is not a count")
    return value


def _metrics(
    row: dict[str, str], start: datetime, end: datetime | None, source: str, daily: bool
) -> Iterator[SampleData]:
    for column, (kind, suffix, extra) in COLUMNS.items():
        try:
            value = _number(row.get(column, ""), column)
        except ValueError as exc:
            raise ValueError(f"{column}: {row[column]!r} is not a number") from exc
        if not value:
            continue  # Google writes empty cells (and 0) for "nothing measured"
        if value > MAX_PER_DAY.get(kind, 1440.0):
            raise ValueError(f"{column}: {value:g} is more than a day can hold")
        more = {"daily": True} if daily else {}
        yield SampleData(kind, start, value, source + suffix, end, extra={**extra, **more} or None)


class GoogleFitDailyCsv:
    """`Daily activity metrics.csv`: one row per day."""

    name = "google-fit-daily"

    def sniff(self, head: bytes, path: Path) -> bool:
        cells = _header_cells(head)
        return bool(cells) and cells[0] == "date" and any(h in cells for h in METRIC_HINTS[:3])

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        for line, row in csv_rows(path, report, progress):
            where = f"line {line}"
            try:
                day = date.fromisoformat(row.get("date", "")[:10])
            except ValueError:
                report.skipped.append(Skipped(where, f"Date {row.get('date')!r} is not a date"))
                continue
            start = ctx.day_start(day)
            try:
                samples = list(_metrics(row, start, None, DAILY_SOURCE, daily=True))
            except ValueError as exc:
                report.skipped.append(Skipped(where, str(exc)))
                continue
            if samples:
                report.saw_day(day)
                report.sources.add(DAILY_SOURCE)
            yield from samples


class GoogleFitDayCsv:
    """`YYYY-MM-DD.csv`: one day in 15-minute intervals; the day comes from the file name."""

    name = "google-fit-day"

    def sniff(self, head: bytes, path: Path) -> bool:
        cells = _header_cells(head)
        return cells[:2] == ["start time", "end time"] and any(h in cells for h in METRIC_HINTS)

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        named = DAY_IN_NAME.search(path.name)
        try:
            day = date.fromisoformat(named.group(1)) if named else None
        except ValueError:
            day = None
        if day is None:
            raise ImportFileError(
                str(path),
                "is a Google Fit per-day file, but its name has no date (YYYY-MM-DD.csv): "
                "its times have no day of their own",
            )
        for line, row in csv_rows(path, report, progress):
            where = f"line {line}"
            try:
                start = _clock(day, row.get("start time", ""))
                end = _clock(day, row.get("end time", ""))
                if end <= start:
                    end += timedelta(days=1)  # the last interval ends at 00:00 the next day
                samples = list(_metrics(row, start, end, SOURCE, daily=False))
                hr = _heart_rate(row, start)
            except ValueError as exc:
                report.skipped.append(Skipped(where, str(exc)))
                continue
            if hr is not None:
                samples.append(hr)
            for s in samples:
                report.saw_day(ctx.day_of(s.start))
                report.sources.add(SOURCE)
            yield from samples


def _clock(day: date, text: str) -> datetime:
    """`00:15:00.000+01:00` on `day`; a full ISO time is taken as it is."""
    text = text.strip()
    try:
        at = datetime.fromisoformat(text if "T" in text else f"{day.isoformat()}T{text}")
    except ValueError:
        raise ValueError(f"time {text!r} is not a time of day with its UTC offset") from None
    if at.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return at


def _heart_rate(row: dict[str, str], start: datetime) -> SampleData | None:
    avg = row.get("average heart rate (bpm)", "")
    if not avg:
        return None
    bpm = float(avg)
    if not 20 <= bpm <= 250:
        raise ValueError(f"Average heart rate (bpm): {avg!r} is not a heart rate")
    extra = {
        k: float(row[f"{k} heart rate (bpm)"])
        for k in ("min", "max")
        if row.get(f"{k} heart rate (bpm)")
    }
    return SampleData(SampleKind.HEART_RATE, start, bpm, SOURCE, extra={"window_min": 15, **extra})
