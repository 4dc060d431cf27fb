"""A whole Google Takeout zip: its Google Fit part is one import, the rest is left alone.

Members under `Fit/Daily activity metrics/` and `Fit/All sessions/` are copied one at a time
to a temporary folder (streamed, so memory does not grow with the zip) and read by the same
importers as the unpacked files; each member's problems are reported under its name.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import Importer, ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.google_fit import GoogleFitDailyCsv, GoogleFitDayCsv
from pacekeeper.importers.google_fit_sessions import GoogleFitSession

ZIP_MAGIC = b"PK\x03\x04"
FOLDERS = ("Fit/Daily activity metrics/", "Fit/All sessions/")
# What zipfile raises on a damaged member: bad CRC or header, cut short, garbled flags that
# read as "encrypted" (RuntimeError) or an unknown compression method (NotImplementedError).
ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
INNER: tuple[Importer, ...] = (GoogleFitDailyCsv(), GoogleFitDayCsv(), GoogleFitSession())


def _members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [
        m
        for m in zf.infolist()
        if not m.filename.endswith("/")
        and "__MACOSX" not in m.filename
        and any(f in m.filename for f in FOLDERS)
        and PurePosixPath(m.filename).suffix.lower() in (".csv", ".json")
    ]


class GoogleFitTakeoutZip:
    name = "google-fit-takeout"

    def sniff(self, head: bytes, path: Path) -> bool:
        if not head.startswith(ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(path) as zf:
                return bool(_members(zf))
        except ZIP_DAMAGE:
            return False

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        try:
            zf = zipfile.ZipFile(path)
        except ZIP_DAMAGE as exc:
            raise ImportFileError(str(path), f"is a damaged zip file ({exc})") from exc
        done = 0
        with zf, tempfile.TemporaryDirectory(prefix="pacekeeper-takeout-") as tmp:
            for member in _members(zf):
                name = PurePosixPath(member.filename).name
                target = Path(tmp) / name
                try:
                    with zf.open(member) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 16)
                except ZIP_DAMAGE as exc:
                    report.skipped.append(Skipped(member.filename, f"damaged in the zip ({exc})"))
                    continue
                yield from self._member(member.filename, target, report, ctx)
                target.unlink()
                done += member.compress_size
                progress(done)

    def _member(
        self, name: str, target: Path, report: ImportReport, ctx: ImportContext
    ) -> Iterator[Record]:
        with target.open("rb") as f:
            head = f.read(4096)
        importer = next((i for i in INNER if i.sniff(head, target)), None)
        if importer is None:
            report.skipped.append(Skipped(name, "not a Google Fit file Pacekeeper reads"))
            return
        inner = ImportReport(name, importer.name)
        try:
            yield from importer.read(target, inner, lambda n: None, ctx)
        except ImportFileError as exc:
            inner.skipped.append(Skipped(exc.where or "file", exc.reason))
        report.skipped += [Skipped(f"{name} {s.where}", s.reason) for s in inner.skipped]
        report.sources |= inner.sources
        for day in (inner.first_day, inner.last_day):
            if day is not None:
                report.saw_day(day)
