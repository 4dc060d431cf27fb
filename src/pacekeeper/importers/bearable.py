"""Bearable (symptom and mood tracker) CSV export, long format: one row per logged item.

Layout implemented (docs/formats.md; unverified against a real export, none was available):
`date, weekday, time of day, category, rating/amount, detail, notes`, sometimes with an extra
`date formatted`. `date` is a day (YYYY-MM-DD) or a timestamp whose first 10 characters are
the day. Mapping, per category (bearable_map.py):

- Symptom: `detail` is the symptom ("Fatigue", or "Fatigue (Moderate)"), the rating its
  severity 0-4 (none, mild, moderate, severe, unbearable). Fatigue, brain fog, pain and
  unrefreshing sleep go onto Pacekeeper's trackers scaled to 0-10; others become custom 0-4
  trackers. Several entries a day (morning, midday, evening, night) keep the worst.
- Mood, Energy: custom trackers on the range the file uses (learned in a first pass); the
  day keeps the mean of its entries.
- Sleep quality (1-5) goes onto Pacekeeper's sleep quality (0-10); Sleep (hours) becomes a
  daily `sleep_asleep` sample.
- Factors: a yes/no custom tracker per factor, 1 on days it was logged.
- Exercise / Activity: an activity (minutes from the amount, 30 if none).
- Health measurements: resting heart rate and HRV become morning samples, others are custom
  number trackers. Notes become the day's note. Other categories are reported as not read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pacekeeper.domain.trackers import TrackerDef, TrackerKind
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
from pacekeeper.importers.bearable_map import (
    SOURCE,
    BearableRow,
    Learned,
    Pending,
    custom_trackers,
    row_records,
)
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.textfile import csv_rows

REQUIRED = ("category", "rating/amount", "detail")


class BearableCsv:
    name = "bearable"

    def sniff(self, head: bytes, path: Path) -> bool:
        first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].lower()
        cells = {c.strip().strip('"') for c in first.split(",")}
        return {"category", "rating/amount", "detail"} <= cells and bool(
            cells & {"date", "date formatted"}
        )

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        # Pass 1 learns the ranges of custom trackers; pass 2 yields. Both stream the file;
        # answers are combined per day (worst symptom, mean mood), so they are held per day.
        learned = Learned()
        scratch = ImportReport(report.path, report.format)
        for _, cells in csv_rows(path, scratch, lambda n: None):
            _require_columns(path, cells)
            row = BearableRow.of(cells)
            if row is not None:
                learned.see(row)
        trackers = custom_trackers(learned, ctx)
        for t in trackers.values():
            if t.key not in ctx.trackers:
                yield NewTracker(t)

        answers: dict[tuple[date, str], list[float]] = defaultdict(list)
        lines: dict[tuple[date, str], int] = {}  # the first line of each day's tracker
        worst: dict[str, bool] = {}
        unread: dict[str, list[int]] = {}  # category -> lines
        for line, cells in csv_rows(path, report, progress):
            where = f"line {line}"
            row = BearableRow.of(cells)
            if row is None:
                raw = cells.get("date formatted") or cells.get("date", "")
                report.skipped.append(Skipped(where, f"date {raw!r} is not a date"))
                continue
            categories: set[str] = set()
            for item in row_records(row, trackers, ctx, categories):
                if isinstance(item, Skipped):
                    report.skipped.append(Skipped(where, item.reason))
                    continue
                if isinstance(item, Pending):
                    answers[(row.day, item.key)].append(item.value)
                    lines.setdefault((row.day, item.key), line)
                    worst[item.key] = item.worst
                else:
                    if not isinstance(item, DayNote):
                        report.sources.add(SOURCE)
                    yield item
                report.saw_day(row.day)
            for c in categories:
                unread.setdefault(c, []).append(line)
        defs = {t.key: t for t in (*ctx.trackers.values(), *trackers.values())}
        for (day, key), values in sorted(answers.items()):
            tracker = defs.get(key)
            value = max(values) if worst[key] else sum(values) / len(values)
            value = _on_scale(value, tracker)
            if tracker is not None and not tracker.min_value <= value <= tracker.max_value:
                where = f"line {lines[(day, key)]}"
                report.skipped.append(Skipped(where, f"{tracker.label}: {value:g} is out of range"))
                continue
            report.sources.add(SOURCE)
            yield Answer(day, key, value)
        for category, at in sorted(unread.items(), key=lambda x: x[1][0]):
            more = f" ({len(at) - 1} more rows)" if len(at) > 1 else ""
            report.skipped.append(
                Skipped(f"line {at[0]}", f"category {category!r} is not read{more}")
            )


def _on_scale(value: float, tracker: TrackerDef | None) -> float:
    """Whole points on a scale (a mean of 3 and 4 is 4, half rounds up); numbers keep 2 places."""
    if tracker is not None and tracker.kind == TrackerKind.NUMBER:
        return round(value, 2)
    return float(math.floor(value + 0.5))


def _require_columns(path: Path, row: dict[str, str]) -> None:
    missing = [c for c in REQUIRED if c not in row]
    if "date" not in row and "date formatted" not in row:
        missing.insert(0, "date")
    if missing:
        raise ImportFileError(str(path), f"missing column(s) {', '.join(missing)}", "line 1")
