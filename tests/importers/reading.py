"""Reading a file through its importer without a database: what it yields, and its report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import BUILTIN_TRACKERS
from pacekeeper.errors import ImportFileError
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


def mutate(draw: st.DrawFn, base: bytes, *, edits: int = 10, keep: int = 0) -> bytes:
    """`base` with up to `edits` bytes overwritten (never the first `keep`), cut anywhere."""
    raw = bytearray(base)
    for _ in range(draw(st.integers(0, edits))):
        raw[draw(st.integers(min(keep, len(raw) - 1), len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw[: draw(st.integers(0, len(raw)))])


Reader = Callable[[Path], tuple[ImportReport, list[Record]]]


def read_or_refused(
    path: Path, read: Reader = read_all
) -> tuple[ImportReport, list[Record]] | None:
    """What the importer read, or None when it refused the file with an ImportFileError that
    names the file. Any other exception escapes and fails the test."""
    try:
        return read(path)
    except ImportFileError as exc:
        refusal = str(exc)
    assert str(path) in refusal
    return None
