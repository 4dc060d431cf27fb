"""Reading text exports safely: any encoding damage becomes a skipped line, never a crash."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Skipped

MAX_FIELD = 1 << 20


class _Counting(io.RawIOBase):
    """A binary reader that reports how many bytes have been read, for progress bars."""

    def __init__(self, raw: IO[bytes], progress: Progress) -> None:
        self._raw = raw
        self._progress = progress
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        self._progress(self.count)
        return n


@contextmanager
def open_text(path: Path, progress: Progress) -> Iterator[io.TextIOWrapper]:
    """The file as UTF-8 text (a BOM is dropped; undecodable bytes become U+FFFD, for the caller
    to report by line), reporting bytes read to `progress`."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
    with raw:
        yield io.TextIOWrapper(
            io.BufferedReader(_Counting(raw, progress)),
            encoding="utf-8-sig",
            errors="replace",
            newline="",
        )


def csv_rows(
    path: Path, report: ImportReport, progress: Progress
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row, header names stripped and lower-cased.

    The delimiter (comma, semicolon or tab) is sniffed from the first line. Rows with bytes
    that are not UTF-8, or with the wrong number of cells, are skipped and reported.
    """
    csv.field_size_limit(MAX_FIELD)
    with open_text(path, progress) as text:
        first = text.readline()
        if not first.strip():
            raise ImportFileError(str(path), "is empty", "line 1")
        delimiter = max((",", ";", "\t"), key=first.count)
        header = next(csv.reader([first], delimiter=delimiter))
        names = [h.strip().lower() for h in header]
        reader = csv.reader(text, delimiter=delimiter)
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = reader.line_num + 1
                report.skipped.append(Skipped(f"line {line}", f"not valid CSV: {exc}"))
                continue
            line = reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue
            if any("\ufffd" in c for c in cells):
                report.skipped.append(Skipped(f"line {line}", "contains bytes that are not UTF-8"))
                continue
            if len(cells) != len(names):
                report.skipped.append(
                    Skipped(f"line {line}", f"has {len(cells)} cells; the header has {len(names)}")
                )
                continue
            yield line, dict(zip(names, (c.strip() for c in cells), strict=True))
