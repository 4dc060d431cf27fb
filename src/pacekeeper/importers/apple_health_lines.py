"""Apple Health `<Record>` lines to columns, with the standard library alone.

This module runs in the parse worker processes (`apple_health_workers`), started as
`python -I -S` on this file: it imports nothing outside the standard library, so a worker costs
16-17 MiB instead of the 100+ MiB that Arrow, SQLAlchemy and Polars would add. The parent
sends the lookup tables once, then blocks of whole lines; each block comes back as compact
columns (`array`s) that the parent turns into Arrow without a per-row step. Small exports are
converted in the parent with the same function.

Real exports write each top-level Record on its own line, attributes in a fixed order, sometimes
followed by MetadataEntry lines, an HRV beat list and `</Record>`. `RECORD` matches exactly that;
anything else (another order, odd characters, children of other kinds) does not match and stays
in the text between records, which the parent gives to expat. A matched record whose fields do
not convert cleanly (a date written another way, a value that is not a number, an end before
the start) is marked for the parent's one-record path, so it is read or reported exactly as
expat would have it.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import math
import pickle
import re
import struct
import sys
from array import array
from datetime import UTC, datetime, timedelta, timezone
from html import unescape
from typing import IO, Any

# A top-level Record exactly as Apple writes it: one line, attributes in Apple's order, values
# without '<' or control characters, optionally followed by MetadataEntry lines, an HRV beat list
# and its end tag. Entities are allowed where Apple writes them (names, the device); in the
# type, unit, dates and value they are not, so such a record goes to expat. Quantifiers are
# possessive (`*+`, `?+`): what they give up could never let the rest match, so the regex
# engine need not keep the places to go back to.
_PLAIN = rb'[^"<&\x00-\x1f]*+'
_TEXT = _PLAIN + rb"(?:&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);" + _PLAIN + rb")*+"
_GET, _GET_TEXT, _SKIP = b'"(' + _PLAIN + b')"', b'"(' + _TEXT + b')"', b'"' + _TEXT + b'"'
_META = rb" *+<MetadataEntry key=" + _SKIP + rb" value=" + _SKIP + rb" *+/>\n"
_BEAT = rb" *+<InstantaneousBeatsPerMinute bpm=" + _SKIP + rb" time=" + _SKIP + rb" *+/>\n"
_BEATS = (  # an HRV record's beat-to-beat list, captured whole
    rb"(?: *+<HeartRateVariabilityMetadataList>\n((?:" + _BEAT + rb")*+)"
    rb" *+</HeartRateVariabilityMetadataList>\n)?+"
)
RECORD = re.compile(
    rb"^ *+<Record type=" + _GET + rb" sourceName=" + _GET_TEXT
    + rb"(?: sourceVersion=" + _SKIP + rb")?+(?: device=" + _SKIP + rb")?+(?: unit=" + _GET
    + rb")?+(?: creationDate=" + _SKIP + rb")?+ startDate=" + _GET + rb" endDate=" + _GET
    + rb"(?: value=" + _GET + rb")?+ *+(?:/>\n|>\n(?:" + _META + rb")*+" + _BEATS
    + rb" *+</Record>\n)",
    re.MULTILINE,
)  # fmt: skip
FIELDS = ("type", "sourceName", "unit", "startDate", "endDate", "value")  # RECORD's groups 1-6
BEAT = re.compile(rb'bpm="([^"]*)" time="([^"]*)"')
UTF8_SLICE = 1 << 16  # a block is checked this many bytes at a time

# Kind codes in the `kind` column beside the kinds' own codes (0 and up):
ONE_BY_ONE = -1  # the parent reads this record with the one-record path
NOT_READ = -2  # a type Pacekeeper does not read; `aux` names it in `whats`

# "2020-01-02 06" + " -0500": the date, hour and offset of a time stamp, checked once per hour
_HOUR = re.compile(rb"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}) ([+-])([0-9]{2})([0-5][0-9])\Z")
_TWO_DIGITS = {b"%02d" % i: i for i in range(60)}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_HEADER = struct.Struct("<Q")
_BAD_HOUR = (0, 0)  # an hour that is not one (compared by identity)


class Tables:
    """What the parent tells a worker once: (type, unit) -> (kind code, factor), where the
    unit of a sleep record is its stage and a factor of 0 means "its length in minutes"."""

    def __init__(self, keys: dict[tuple[bytes, bytes], tuple[int, float]], hrv: int) -> None:
        self.keys = keys
        self.hrv = hrv

    def state(self) -> tuple[dict[tuple[bytes, bytes], tuple[int, float]], int]:
        """Plain values to pickle: the worker runs this file as `__main__`, so it could not
        unpickle an instance of this class by its package name."""
        return self.keys, self.hrv


def beat_list(beats: list[tuple[str, str]]) -> dict[str, Any]:
    """The HRV `extra`: beats counted, their rates (None where unreadable) and times as written."""
    bpm: list[float | None] = []
    for text, _ in beats:
        try:
            v = float(text)
        except ValueError:
            v = math.nan
        bpm.append(v if math.isfinite(v) else None)
    return {"beats": len(beats), "bpm": bpm, "times": [t for _, t in beats]}


def beats_of(body: bytes | None) -> list[tuple[str, str]]:
    """The (bpm, time) pairs of a matched beat list, decoded."""
    if not body:
        return []
    return [(unescape(b.decode()), unescape(t.decode())) for b, t in BEAT.findall(body)]


def beats_json(beats: list[tuple[str, str]]) -> str:
    return json.dumps(beat_list(beats), ensure_ascii=False, separators=(",", ":"))


def is_utf8(block: bytes) -> bool:
    """Whether `block` is valid UTF-8, checked in slices: decoding a block whole would make a
    text copy up to four times its size."""
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


def _hour(key: bytes) -> tuple[int, int]:
    """(microseconds since the epoch at the start of that hour, offset in minutes), or
    _BAD_HOUR."""
    m = _HOUR.match(key)
    if m is None:
        return _BAD_HOUR
    year, month, day, hour, sign, oh, om = m.groups()
    offset = (-1 if sign == b"-" else 1) * (int(oh) * 60 + int(om))
    try:
        zone = timezone(timedelta(minutes=offset))
        at = datetime(int(year), int(month), int(day), int(hour), tzinfo=zone)
    except ValueError:
        return _BAD_HOUR
    return (at - _EPOCH) // _MICRO, offset


def _times(
    sd: bytes, ed: bytes, hours: dict[bytes, tuple[int, int]]
) -> tuple[int, int, int] | None:
    """(start, end in microseconds since the epoch, the start's offset in minutes), or None if
    a stamp is written otherwise or the end comes first."""
    start = _stamp(sd, hours)
    end = start if ed == sd else _stamp(ed, hours)
    if start is None or end is None or end[0] < start[0]:
        return None
    return start[0], end[0], start[1]


def _stamp(text: bytes, hours: dict[bytes, tuple[int, int]]) -> tuple[int, int] | None:
    """A stamp written "2020-01-02 06:15:00 -0500" as (microseconds since the epoch, offset in
    minutes), or None. `hours` remembers the hours seen in a block (its records share a few)."""
    if len(text) != 25 or text[13] != 58 or text[16] != 58:  # 58: ':'
        return None
    key = text[:13] + text[19:]
    hour = hours.get(key)
    if hour is None:
        hour = hours[key] = _hour(key)
    minute, second = _TWO_DIGITS.get(text[14:16]), _TWO_DIGITS.get(text[17:19])
    if hour is _BAD_HOUR or minute is None or second is None:
        return None
    return hour[0] + (minute * 60 + second) * 1_000_000, hour[1]


def _attributes(groups: tuple[bytes | None, ...]) -> dict[str, str]:
    return {k: unescape(v.decode()) for k, v in zip(FIELDS, groups, strict=False) if v is not None}


def convert(block: bytes, tables: Tables) -> dict[str, Any]:
    """Every RECORD match in `block` as columns. Always: `lines`, the newlines in the block, and
    `text`, whether it is UTF-8 (if not, nothing else: expat reads it and reports where). Else,
    one entry per match:

    - spans: start and end of each match in the block (2 per record);
    - kind: the kind's code, ONE_BY_ONE or NOT_READ;
    - aux: index into `sources` (kinds read) or into `whats` (NOT_READ: type, unit or sleep
      stage, is sleep);
    - start, end: microseconds since the epoch (UTC); offset: the start's UTC offset in minutes;
    - value: in the kind's unit;
    - extra: {record: HRV beat JSON}; attrs: {record: (attributes, beats)} for ONE_BY_ONE;

    and for the text between records that is not empty (gap i comes before record i; gap n
    after the last): gaps, their numbers, and gap_lines, the newlines before each (counted
    here, where it costs a worker's time, not the parent's).
    """
    lines = block.count(b"\n")
    if not is_utf8(block):
        return {"text": False, "lines": lines}
    keys, hrv = tables.keys, tables.hrv
    spans, kinds, aux = array("q"), array("b"), array("i")
    starts, ends, offsets, values = array("q"), array("q"), array("h"), array("d")
    gaps, gap_lines = array("q"), array("q")
    extra: dict[int, str] = {}
    attrs: dict[int, tuple[dict[str, str], list[tuple[str, str]]]] = {}
    sources: dict[bytes, int] = {}
    whats: dict[tuple[str, str, bool], int] = {}
    hours: dict[bytes, tuple[int, int]] = {}
    isfinite = math.isfinite
    i = -1
    after = newlines = counted = 0  # where the last record ended; newlines before `counted`
    for m in RECORD.finditer(block):
        i += 1
        begin, finish = m.span()
        if begin != after:
            newlines += block.count(b"\n", counted, after)
            counted = after
            gaps.append(i)
            gap_lines.append(newlines)
        after = finish
        spans.append(begin)
        spans.append(finish)
        t, src, unit, sd, ed, val, body = m.groups()
        is_sleep = t == b"HKCategoryTypeIdentifierSleepAnalysis"
        second = (val if is_sleep else unit) or b""
        key = keys.get((t, second))
        times = None if key is None else _times(sd, ed, hours)
        value = math.nan
        if key is not None and times is not None:
            code, factor = key
            start, end, offset = times
            try:
                value = float(val) * factor if factor else (end - start) / 60e6
            except (TypeError, ValueError):  # no value, or not a number
                value = math.nan
        ok = isfinite(value)
        if not ok:
            if key is None:
                what = (t.decode(), second.decode(), is_sleep)
                which = whats.setdefault(what, len(whats))
                kinds.append(NOT_READ)
                aux.append(which)
            else:
                kinds.append(ONE_BY_ONE)
                aux.append(0)
                attrs[i] = (_attributes(m.groups()[:6]), beats_of(body))
            starts.append(0)
            ends.append(0)
            offsets.append(0)
            values.append(0.0)
            continue
        which = sources.get(src, -1)
        if which < 0:
            which = sources[src] = len(sources)
        kinds.append(code)
        aux.append(which)
        starts.append(start)
        ends.append(end)
        offsets.append(offset)
        values.append(value)
        if body and code == hrv:
            extra[i] = beats_json(beats_of(body))
    if after != len(block):
        gaps.append(i + 1)
        gap_lines.append(newlines + block.count(b"\n", counted, after))
    return {
        "text": True,
        "lines": lines,
        "gaps": gaps,
        "gap_lines": gap_lines,
        "spans": spans,
        "kind": kinds,
        "aux": aux,
        "start": starts,
        "end": ends,
        "offset": offsets,
        "value": values,
        "extra": extra,
        "attrs": attrs,
        "sources": [_source(s) for s in sources],
        "whats": list(whats),
    }


def _source(raw: bytes) -> str:
    text = raw.decode()
    if "&" in text:
        text = unescape(text)
    return text.strip()[:200] or "Apple Health"


# The worker process: a message is an 8-byte length and that many bytes. The first message is
# the pickled tables; each after it is a block, answered with the pickled `convert` result.


def send(out: IO[bytes], payload: bytes) -> None:
    out.write(_HEADER.pack(len(payload)))
    out.write(payload)
    out.flush()


def receive(stream: IO[bytes]) -> bytes | None:
    """The next message, or None at the end of the stream."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return payload


def serve(stream: IO[bytes], out: IO[bytes]) -> None:
    first = receive(stream)
    if first is None:
        return
    tables = Tables(*pickle.loads(first))  # noqa: S301 (from the parent, over our own pipe)
    while (block := receive(stream)) is not None:
        send(out, pickle.dumps(convert(block, tables), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):  # the parent stopped reading
        serve(sys.stdin.buffer, sys.stdout.buffer)
