"""Reading an Apple Health export.xml fast, in blocks of whole lines.

Real exports write each top-level Record on its own line, attributes in a fixed order,
sometimes followed by MetadataEntry lines, an HRV beat list and `</Record>`. One regex splits
each block into such records and the text between them: the records go to the columnar path
(`apple_health_columns`), the text between (the prolog, workouts, correlations, summaries,
records written any other way, damage) is fed to one expat parser in file order. Expat also
decides the nesting: records are only taken on the fast path while it has just the root
element open, so records inside a Correlation stay with their parent. Text is fed in whole
lines, so expat's line and column map back to the file's by a shift.
"""

from __future__ import annotations

import codecs
import json
import re
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import IO
from xml.parsers import expat

import numpy as np
import polars as pl

from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.apple_health_columns import to_batch
from pacekeeper.importers.apple_health_records import ElementReader, beat_list, why
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext

BLOCK = 2 << 20  # 1 MB blocks: a third slower (per-block overhead), 4 MB: more RSS
HEAD_CHUNK = 1 << 16
UTF8_SLICE = 1 << 16  # checked this many bytes at a time
MAX_PROLOG = 4 << 20  # the DTD is ~10 KB; give up looking for the root element after 4 MB
ROOT = re.compile(rb"<HealthData[\s>/]")
DOCTYPE = b"<!DOCTYPE"

# A top-level Record exactly as Apple writes it: one line, attributes in Apple's order, values
# without '<', control characters or stray '&', optionally followed by MetadataEntry lines and
# its end tag. Anything else (another order, tabs, odd characters, children of other kinds)
# does not match and goes to expat, which reads it or reports exactly where it is damaged.
_TEXT = rb'[^"<&\x00-\x1f]*(?:&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);[^"<&\x00-\x1f]*)*'
_GET, _SKIP = b'"(' + _TEXT + b')"', b'"' + _TEXT + b'"'
_META = rb" *<MetadataEntry key=" + _SKIP + rb" value=" + _SKIP + rb" */>\n"
_BEAT = rb" *<InstantaneousBeatsPerMinute bpm=" + _SKIP + rb" time=" + _SKIP + rb" */>\n"
_BEATS = (  # an HRV record's beat-to-beat list, captured whole
    rb"(?: *<HeartRateVariabilityMetadataList>\n((?:" + _BEAT + rb")*)"
    rb" *</HeartRateVariabilityMetadataList>\n)?"
)
RECORD = re.compile(
    rb"^( *<Record type=" + _GET + rb" sourceName=" + _GET
    + rb"(?: sourceVersion=" + _SKIP + rb")?(?: device=" + _SKIP + rb")?(?: unit=" + _GET
    + rb")?(?: creationDate=" + _SKIP + rb")? startDate=" + _GET + rb" endDate=" + _GET
    + rb"(?: value=" + _GET + rb")? *(?:/>\n|>\n(?:" + _META + rb")*" + _BEATS
    + rb" *</Record>\n))",
    re.MULTILINE,
)  # fmt: skip
BEAT = re.compile(rb'bpm="([^"]*)" time="([^"]*)"')
COLUMNS = ("type", "sourceName", "unit", "startDate", "endDate", "value", "beats")
STEP = 2 + len(COLUMNS)  # RECORD.split gives: text before, the record, its groups


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
) -> Iterator[Record | SampleBatch]:
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
        for block, first_line, first_byte, last in _blocks(stream, rest, line, byte) if ok else ():
            whole = block if not last or block.endswith(b"\n") else block[: block.rfind(b"\n") + 1]
            ok = yield from _block(whole, first_line, first_byte, parser, reader, feed)
            if ok and len(whole) < len(block):  # a partial last line: expat reports it
                tail_line = first_line + whole.count(b"\n")
                ok = yield from _slow(
                    block[len(whole) :], tail_line, first_byte + len(whole), parser, reader, feed
                )
            progress(raw.tell())
            if not ok:
                break
            line, byte = first_line + block.count(b"\n"), first_byte + len(block)
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


def _blocks(
    stream: IO[bytes], rest: bytes, line: int, byte: int
) -> Iterator[tuple[bytes, int, int, bool]]:
    """(whole lines, first line number, first byte offset, is last) over the rest of the file."""
    carry = rest
    while True:
        chunk = stream.read(BLOCK)
        if not chunk:
            if carry:
                yield carry, line, byte, True
            return
        data = carry + chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        block, carry = data[:cut], data[cut:]
        yield block, line, byte, False
        line += block.count(b"\n")
        byte += len(block)


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
    first_line: int,
    first_byte: int,
    parser: expat.XMLParserType,
    reader: ElementReader,
    feed: _Feed,
) -> Generator[Record | SampleBatch, None, bool]:
    """Read one block of whole lines; returns False (as the generator's value) on damage."""
    if not block:
        return True
    if not _is_utf8(block):  # expat reports where
        return (yield from _slow(block, first_line, first_byte, parser, reader, feed))
    parts = RECORD.split(block)
    gaps = parts[0::STEP]  # the text between records: n + 1 of them, mostly empty
    n = len(gaps) - 1
    size = np.fromiter(map(len, gaps), np.int64, n + 1)
    size[:n] += np.fromiter(map(len, parts[1::STEP]), np.int64, n)
    at = np.concatenate(([0], np.cumsum(size)))  # record i starts at at[i + 1] - its length
    starts = at[1:] - size + np.fromiter(map(len, gaps), np.int64, n + 1)
    taken = np.ones(n, dtype=bool)
    stop: int | None = None
    line_at, counted = first_line, 0

    def to_expat(a: int, b: int) -> None:
        nonlocal line_at, counted
        line_at += block.count(b"\n", counted, a)
        counted = a
        _feed(parser, reader, feed, block[a:b], line_at, first_byte + a)

    try:
        busy = [i for i, g in enumerate(gaps) if g]
        for k, i in enumerate(busy):
            to_expat(int(at[i]), int(starts[i]))
            if len(reader.stack) != 1 and i < n:
                # inside an element expat has open (or outside the root): expat reads the
                # records up to the next text between records too
                j = busy[k + 1] if k + 1 < len(busy) else n
                to_expat(int(starts[i]), int(at[j]))
                taken[i:j] = False
    except expat.ExpatError as exc:
        stop = int(parser.ErrorByteIndex) + feed.byte_shift - first_byte
        _damaged(reader, parser, feed, exc)
    if stop is not None:
        taken &= starts[:n] < stop
    if taken.any():
        frame = _frame(parts, starts[:n], taken)

        def one_by_one(pos: int, attrs: dict[str, str]) -> None:
            _one(reader, first_line + block.count(b"\n", 0, pos), attrs)

        batch = to_batch(frame, reader.report, reader.ctx, reader.unread, one_by_one)
        if batch is not None:
            yield batch
    yield from _drain(reader)
    return stop is None


def _is_utf8(block: bytes) -> bool:
    """Whether `block` is valid UTF-8, checked in slices: decoding a block whole would make a
    text copy up to four times its size (one with a 'ë' in it takes two bytes a character)."""
    if block.isascii():
        return True
    check = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(block)
    try:
        for at in range(0, len(block), UTF8_SLICE):
            check.decode(view[at : at + UTF8_SLICE])
        check.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return True


def _frame(parts: list[bytes | None], starts: np.ndarray, taken: np.ndarray) -> pl.DataFrame:
    data = {
        name: pl.Series(name, parts[2 + k :: STEP], dtype=pl.Binary).cast(pl.String)
        for k, name in enumerate(COLUMNS[:-1])
    }
    lists = parts[1 + len(COLUMNS) :: STEP]
    data["extra"] = pl.Series("extra", [_beats(b) if b else None for b in lists], dtype=pl.String)
    frame = pl.DataFrame({"at": pl.Series("at", starts, dtype=pl.Int64), **data})
    return frame if taken.all() else frame.filter(pl.Series(taken))


def _beats(body: bytes | None) -> str | None:
    """An HRV record's beat list as the `extra` JSON the expat path keeps (None if empty)."""
    if not body:
        return None
    pairs = [(bpm.decode(), unescape(t.decode())) for bpm, t in BEAT.findall(body)]
    return json.dumps(beat_list(pairs), ensure_ascii=False, separators=(",", ":"))


def _one(reader: ElementReader, line: int, attrs: dict[str, str]) -> None:
    extra = attrs.pop("extra", None)
    beats: list[tuple[str, str]] = []
    if extra:
        found = json.loads(extra)
        beats = [
            ("" if b is None else str(b), t)
            for b, t in zip(found["bpm"], found["times"], strict=True)
        ]
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
