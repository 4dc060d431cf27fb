"""Reading a file through its importer without a database: what it yields, and its report."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import BUILTIN_TRACKERS
from pacekeeper.importers.base import ImportReport, Record
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.detect import detect


def context(tz: str = "Europe/London") -> ImportContext:
    return ImportContext(ZoneInfo(tz), time(4), {t.key: t for t in BUILTIN_TRACKERS})


def read_all(path: Path, tz: str = "Europe/London") -> tuple[ImportReport, list[Record]]:
    importer = detect(path)
    report = ImportReport(str(path), importer.name)
    records = list(importer.read(path, report, lambda n: None, context(tz)))
    return report, records


def samples(records: list[Record], kind: SampleKind) -> list[SampleData]:
    return sorted(
        (r for r in records if isinstance(r, SampleData) and r.kind == kind),
        key=lambda r: (r.start, r.source),
    )


def natural_keys_unique(records: list[Record]) -> bool:
    keys = [(r.kind, r.source, r.start) for r in records if isinstance(r, SampleData)]
    return len(keys) == len(set(keys))
