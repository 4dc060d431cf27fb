"""Reading an Apple Health export.xml fast, in blocks of whole lines.

Each block's top-level Record lines are turned into columns by `apple_health_lines` (in worker
processes for a large export, `apple_health_workers`); the text between them (the prolog,
workouts, correlations, summaries, records written any other way, damage) is fed to one expat
parser here, in file order. Expat also decides the nesting: records are only taken from the
columns while it has just the root element open, so records inside a Correlation stay with
their parent. Text is fed in whole lines, so expat's line and column map back to the file's by
a shift.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import numpy as np

from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.apple_health_columns import TABLES, spans, to_batch
from pacekeeper.importers.apple_health_records import ElementReader, why
from pacekeeper.importers.apple_health_workers import converted, worker_count
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext

BLOCK = 1 << 20  # 2 MB: 7% faster, 20 MiB more resident at 1 GiB (bench/README.md)
HEAD_CHUNK = 1 << 16
MAX_PROLOG = 4 << 20  # the DTD is ~10 KB; give up looking for the root element after 4 MB
ROOT = re.compile(rb"<HealthData[\s>/]")
DOCTYPE = b"<!DOCTYPE"


Block = tuple[bytes, int]  # whole lines, the file byte they start at


@dataclass
class _Feed:
    """Where expat is in its own stream, to map its positions back to the file's."""

    bytes: int = 0
    lines: int = 0
    byte_shift: int = 0


def scan(
    path: Path,
    stream: IO[bytes],
    raw: IO[bytes],
    report: ImportReport,
    progress: Progress,
    ctx: ImportContext,
    *,
    size: int,
    workers: int | None = None,
) -> Iterator[Record | SampleBatch]:
    """Read the export in `stream` (`size` bytes; `raw` is the file, for progress). `workers`:
    parse worker processes (None: by size, see `apple_health_workers`)."""
    reader = ElementReader(path, report, ctx)
    parser = expat.ParserCreate()
    reader.parser = parser
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    feed = _Feed()
    try:
        try:
            rest, line, byte = _prolog(path, stream, parser, reader, feed)
            ok = True
        except _Stop:
            rest, line, byte, ok = b"", 0, 0, False
        yield from _drain(reader)
        progress(raw.tell())
        if ok:
            n = worker_count(size, BLOCK) if workers is None else workers
            blocks = _blocks(stream, rest, byte)
            for (block, first_byte), lines in converted(blocks, TABLES, n):
                ok = yield from _block(block, lines, line, first_byte, parser, reader, feed)
                progress(raw.tell())
                if not ok:
                    break
                line, byte = line + lines["lines"], first_byte + len(block)
        if ok:
            reader.line_shift = line - feed.lines - 1
            feed.byte_shift = byte - feed.bytes
            try:
                parser.Parse(b"", True)
            except expat.ExpatError as exc:
                _damaged(reader, parser, feed, exc)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        yield from _drain(reader)
        if not reader.started:
            raise ImportFileError(str(path), f"cannot be read: {exc}") from exc
        report.skipped.append(
            Skipped(
                f"byte {parser.CurrentByteIndex + feed.byte_shift}",
                f"the export is damaged here ({exc}); what came before was imported",
            )
        )
    yield from _drain(reader)
    for what, n in sorted(reader.unread.items()):
        plural = "s" if n != 1 else ""
        report.skipped.append(Skipped("file", f"{what} ({n} element{plural}) not read"))


def _drain(reader: ElementReader) -> Iterator[Record]:
    out, reader.out = reader.out, []
    yield from out


def _prolog(
    path: Path, stream: IO[bytes], parser: expat.XMLParserType, reader: ElementReader, feed: _Feed
) -> tuple[bytes, int, int]:
    """Feed expat everything up to the end of the root element's line (the DOCTYPE cut out).
    Returns the bytes read past it, and the file line and byte where they start."""
    head = b""
    while len(head) < MAX_PROLOG:
        chunk = stream.read(HEAD_CHUNK)
        if not chunk:
            break
        head += chunk
        root = ROOT.search(head)
        if root is not None and head.find(b"\n", root.start()) >= 0:
            break
    root = ROOT.search(head)
    doctype = head.find(DOCTYPE)
    cut = b""
    if root is not None and 0 <= doctype < root.start():
        cut = head[doctype : root.start()]
        head = head[:doctype] + head[root.start() :]
        root = ROOT.search(head)
    end = head.find(b"\n", root.start()) + 1 if root is not None else 0
    if end <= 0:
        end = len(head)  # no root line found: all of it goes to expat
    reader.line_shift = cut.count(b"\n")
    feed.byte_shift = len(cut)
    try:
        parser.Parse(head[:end], False)
    except expat.ExpatError as exc:
        byte = int(parser.ErrorByteIndex)
        shifted = byte >= doctype and bool(cut)
        line = exc.lineno + (reader.line_shift if shifted else 0)
        where = f"line {line}, column {exc.offset} (byte {byte + (len(cut) if shifted else 0)})"
        message = expat.errors.messages[exc.code]
        if not reader.started:
            raise ImportFileError(str(path), f"is not readable XML ({message})", where) from exc
        reader.report.skipped.append(
            Skipped(
                where, f"the XML is damaged or ends early ({message}); what came before was read"
            )
        )
        raise _Stop from exc
    feed.bytes, feed.lines = end, head[:end].count(b"\n")
    return head[end:], feed.lines + cut.count(b"\n") + 1, end + len(cut)


class _Stop(Exception):
    """The prolog was damaged after the root started: nothing more to read."""


def _blocks(stream: IO[bytes], rest: bytes, byte: int) -> Iterator[Block]:
    """(whole lines, first byte offset) over the rest of the file; a last line without its
    newline comes alone, as the last block (expat reports it)."""
    carry = rest
    while True:
        chunk = stream.read(BLOCK)
        if not chunk:
            break
        cut = chunk.rfind(b"\n") + 1
        if cut == 0:
            carry += chunk
            continue
        block = carry + chunk[:cut]
        carry = chunk[cut:]
        yield block, byte
        byte += len(block)
    if carry:
        yield carry, byte


def _feed(
    parser: expat.XMLParserType,
    reader: ElementReader,
    feed: _Feed,
    data: bytes,
    line: int,
    byte: int,
) -> None:
    reader.line_shift = line - feed.lines - 1
    feed.byte_shift = byte - feed.bytes
    parser.Parse(data, False)
    feed.bytes += len(data)
    feed.lines += data.count(b"\n")


def _damaged(
    reader: ElementReader, parser: expat.XMLParserType, feed: _Feed, exc: expat.ExpatError
) -> int:
    """Report where expat stopped; returns that file line."""
    line = exc.lineno + reader.line_shift
    byte = int(parser.ErrorByteIndex) + feed.byte_shift
    message = expat.errors.messages[exc.code]
    where = f"line {line}, column {exc.offset} (byte {byte})"
    if not reader.started:
        raise ImportFileError(str(reader.path), f"is not readable XML ({message})", where) from exc
    reader.report.skipped.append(
        Skipped(where, f"the XML is damaged or ends early ({message}); what came before was read")
    )
    return line


def _block(
    block: bytes,
    lines: dict[str, Any],
    first_line: int,
    first_byte: int,
    parser: expat.XMLParserType,
    reader: ElementReader,
    feed: _Feed,
) -> Generator[Record | SampleBatch, None, bool]:
    """Read one block of whole lines with its converted records (not UTF-8: expat reads it
    and reports where); returns False (as the generator's value) on damage."""
    if not block:
        return True
    if not lines["text"]:
        return (yield from _slow(block, first_line, first_byte, parser, reader, feed))
    span = spans(lines)
    n = len(span)
    gap_from = np.concatenate(([0], span[:, 1]))  # the text before record i, and after the last
    gap_to = np.concatenate((span[:, 0], [len(block)]))
    taken = np.ones(n, dtype=bool)
    stop: int | None = None

    def to_expat(a: int, b: int, line: int) -> None:
        _feed(parser, reader, feed, block[a:b], line, first_byte + a)

    try:
        busy = lines["gaps"].tolist()
        for k, (i, newlines) in enumerate(zip(busy, lines["gap_lines"], strict=True)):
            a, b = int(gap_from[i]), int(gap_to[i])
            to_expat(a, b, first_line + newlines)
            if len(reader.stack) != 1 and i < n:
                # inside an element expat has open (or outside the root): expat reads the
                # records up to the next text between records too
                j = busy[k + 1] if k + 1 < len(busy) else n
                to_expat(b, int(gap_from[j]), first_line + newlines + block.count(b"\n", a, b))
                taken[i:j] = False
    except expat.ExpatError as exc:
        stop = int(parser.ErrorByteIndex) + feed.byte_shift - first_byte
        _damaged(reader, parser, feed, exc)
    if stop is not None:
        taken &= span[:, 0] < stop
    if taken.any():

        def one_by_one(pos: int, attrs: dict[str, str], beats: list[tuple[str, str]]) -> None:
            _one(reader, first_line + block.count(b"\n", 0, pos), attrs, beats)

        batch = to_batch(lines, taken, reader.report, reader.ctx, reader.unread, one_by_one)
        if batch is not None:
            yield batch
    yield from _drain(reader)
    return stop is None


def _one(
    reader: ElementReader, line: int, attrs: dict[str, str], beats: list[tuple[str, str]]
) -> None:
    try:
        reader.record(attrs, beats)
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        reader.report.skipped.append(Skipped(f"line {line}", f"Record not read: {why(exc)}"))


def _slow(
    block: bytes,
    first_line: int,
    first_byte: int,
    parser: expat.XMLParserType,
    reader: ElementReader,
    feed: _Feed,
) -> Generator[Record, None, bool]:
    try:
        _feed(parser, reader, feed, block, first_line, first_byte)
    except expat.ExpatError as exc:
        _damaged(reader, parser, feed, exc)
        yield from _drain(reader)
        return False
    yield from _drain(reader)
    return True
