"""Apple Health exports: `export.zip` as the Health app shares it, or its `export.xml`.

The export is streamed in blocks of whole lines (the zip member without extracting it), so
memory does not grow with its size: plain one-line records are converted thousands at a time
to columns, in worker processes for a large export (`apple_health_scan`, `apple_health_lines`,
`apple_health_workers`, `apple_health_columns`); everything else goes through expat
(`apple_health_records`). The internal DTD that newer iOS versions write malformed is cut
before parsing; times keep the offset they were written with. What is read and what is not:
docs/formats.md. A damaged or truncated export imports what came before the damage.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.apple_health_ahead import read_ahead
from pacekeeper.importers.apple_health_scan import scan
from pacekeeper.importers.base import ImportReport, Progress, Record
from pacekeeper.importers.context import ImportContext

ROOT = re.compile(rb"<HealthData[\s>/]")
ZIP_MAGIC = b"PK\x03\x04"


class AppleHealth:
    name = "apple-health"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers  # parse worker processes; None: chosen by the export's size

    def sniff(self, head: bytes, path: Path) -> bool:
        if head.startswith(ZIP_MAGIC):
            return b"apple_health_export" in head or (
                path.suffix.lower() == ".zip" and b"export.xml" in head
            )
        return bool(ROOT.search(head)) or b"<!DOCTYPE HealthData" in head

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record | SampleBatch]:
        def make(note: Progress) -> Iterator[Record | SampleBatch]:
            return self._read(path, report, note, ctx)

        return read_ahead(make, progress)

    def _read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record | SampleBatch]:
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
        how = {"workers": self.workers}
        with raw:
            try:
                is_zip = raw.read(4) == ZIP_MAGIC
                raw.seek(0)
                if not is_zip:
                    size = os.fstat(raw.fileno()).st_size
                    yield from scan(path, raw, raw, report, progress, ctx, size=size, **how)
                    return
                with zipfile.ZipFile(raw) as zf:
                    member = _export_member(zf)
                    if member is None:
                        raise ImportFileError(
                            str(path), "is a zip file without an Apple Health export.xml"
                        )
                    size = zf.getinfo(member).file_size
                    with zf.open(member) as stream:
                        yield from scan(path, stream, raw, report, progress, ctx, size=size, **how)
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
