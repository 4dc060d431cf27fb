"""Reading a JSON array one element at a time, so a 100 MB export never sits in memory whole."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Skipped

CHUNK = 1 << 16
MAX_ELEMENT = 16 << 20  # an element this large without decoding is damage, not data
_decoder = json.JSONDecoder()
_SPACE = re.compile(r"\s*")


def array_items(
    path: Path,
    report: ImportReport,
    progress: Progress,
    *,
    after: int | None = None,
    what: str = "the array",
) -> Iterator[tuple[int, Any]]:
    """(index, element) for each element of the top-level array in `path`, or, with `after`,
    of the array whose "[" ends `after` bytes into the file (an array nested in a wrapper).

    Damage (bad JSON, a truncated file, bytes that are not UTF-8) ends the read at that point
    with a report entry giving the byte offset; everything before it is kept.
    """
    try:
        f = path.open("rb")
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
    utf8 = codecs.getincrementaldecoder("utf-8")("replace")
    with f:
        # buf holds decoded text; pos is where reading is in it. Elements are decoded in place
        # (raw_decode at pos) and the consumed head is dropped only once per chunk, so an
        # element costs its own size, not the buffer's.
        buf = ""
        pos = 0
        base = after or 0  # byte offset of buf[0] in the file
        eof = False
        f.seek(base)

        def fill() -> bool:
            nonlocal buf, pos, base, eof
            data = f.read(CHUNK)
            progress(f.tell())
            eof = not data
            if pos:
                base += len(buf[:pos].encode())
                buf, pos = buf[pos:], 0
            buf += utf8.decode(data, final=eof)
            return bool(data)

        def offset(at: int) -> int:
            return base + len(buf[:at].encode())

        def skip_space() -> None:
            nonlocal pos
            pos = _SPACE.match(buf, pos).end()  # type: ignore[union-attr]

        if after is None:
            while not buf.strip() and fill():
                pass
            skip_space()
            if pos >= len(buf):
                raise ImportFileError(str(path), "is empty")
            if buf[pos] != "[":
                raise ImportFileError(str(path), "is not a JSON array", f"byte {offset(pos)}")
            pos += 1
        else:
            fill()
        index = 0
        while True:
            skip_space()
            while pos >= len(buf) and fill():
                skip_space()
            if pos >= len(buf):
                report.skipped.append(
                    Skipped(f"byte {offset(pos)}", f"the file ends before {what} closes")
                )
                return
            if buf[pos] == "]":
                return
            if buf[pos] == "," and index > 0:
                pos += 1
                continue
            try:
                item, end = _decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                # Most often the element continues in the next chunk: read more and retry.
                if not eof and len(buf) - pos < MAX_ELEMENT and fill():
                    continue
                where = offset(exc.pos)
                report.skipped.append(Skipped(f"byte {where}", f"element {index}: {exc.msg}"))
                return
            if "\ufffd" in buf[pos:end]:
                report.skipped.append(
                    Skipped(f"byte {offset(pos)}", f"element {index}: bytes that are not UTF-8")
                )
            else:
                yield index, item
            index += 1
            pos = end
            if len(buf) - pos < CHUNK and not eof:
                fill()
