"""Reading a JSON array one element at a time, so a 100 MB export never sits in memory whole."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Skipped

CHUNK = 1 << 16
MAX_ELEMENT = 16 << 20  # an element this large without decoding is damage, not data
_decoder = json.JSONDecoder()


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
        buf = ""
        offset = after or 0  # byte offset of buf[0] in the file
        eof = False
        f.seek(offset)

        def fill() -> bool:
            nonlocal buf, eof
            data = f.read(CHUNK)
            progress(f.tell())
            eof = not data
            buf += utf8.decode(data, final=eof)
            return bool(data)

        def skip(chars: int) -> None:
            nonlocal buf, offset
            offset += len(buf[:chars].encode())
            buf = buf[chars:]

        def skip_space() -> None:
            stripped = buf.lstrip()
            skip(len(buf) - len(stripped))

        if after is None:
            while not buf.strip() and fill():
                pass
            skip_space()
            if not buf:
                raise ImportFileError(str(path), "is empty")
            if buf[0] != "[":
                raise ImportFileError(str(path), "is not a JSON array", f"byte {offset}")
            skip(1)
        else:
            fill()
        index = 0
        while True:
            skip_space()
            while not buf and fill():
                skip_space()
            if not buf:
                report.skipped.append(
                    Skipped(f"byte {offset}", f"the file ends before {what} closes")
                )
                return
            if buf[0] == "]":
                return
            if buf[0] == "," and index > 0:
                skip(1)
                continue
            try:
                item, end = _decoder.raw_decode(buf)
            except json.JSONDecodeError as exc:
                # Most often the element continues in the next chunk: read more and retry.
                if not eof and len(buf) < MAX_ELEMENT and fill():
                    continue
                where = offset + len(buf[: exc.pos].encode())
                report.skipped.append(Skipped(f"byte {where}", f"element {index}: {exc.msg}"))
                return
            if "\ufffd" in buf[:end]:
                report.skipped.append(
                    Skipped(f"byte {offset}", f"element {index}: bytes that are not UTF-8")
                )
            else:
                yield index, item
            index += 1
            skip(end)
            if len(buf) < CHUNK and not eof:
                fill()
