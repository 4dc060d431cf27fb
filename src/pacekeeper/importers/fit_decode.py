"""A fast, forgiving decoder for Garmin/ANT FIT files.

Public API
----------
``decode(source, *, messages=None, check_crc=True) -> FitFile``
    ``source`` is a path or the file's bytes. Returns every data message in file order
    (:class:`FitMessage`: ``name``, ``num``, ``fields`` dict, byte ``offset``), the chained
    FIT files found in the input (:class:`FitSegment`) and a list of :class:`Problem` (byte
    offset, message index, reason) for everything that had to be skipped or looked wrong.
    ``messages`` limits decoding to the named messages (e.g. ``{"record", "session"}``);
    the others are skipped without being decoded, which is faster.
    ``FitFile.units(message, field)`` (or ``field_units``) gives a field's units.

``FitDecodeError``
    The only exception raised for any byte sequence: the input is not a FIT file at all
    (no valid 12/14-byte header with the ``.FIT`` signature at its start). ``offset`` says
    where the problem is. Damaged files (bad CRC, truncated, garbage after valid data,
    undefined local messages) are decoded as far as they are valid and the rest is
    reported in ``FitFile.problems``. Reading a path can still raise ``OSError``.

Values
------
The FIT profile's scale, offset and units are applied for the messages listed in
:mod:`pacekeeper.importers.fit_profile` (record, lap, session, hrv, hr, event,
device_info, file_id, monitoring, stress_level, sleep_level, hrv_status_summary,
hrv_value, ...). ``date_time`` fields become aware UTC datetimes (FIT epoch
1989-12-31T00:00:00Z) - except values below 0x10000000, which the FIT protocol defines as
seconds of device time, not dates, and which stay ints - ``local_date_time`` fields naive
datetimes, semicircles degrees, enums their profile names (unknown values stay ints).
Invalid values (0xFF, 0x7FFF, 0xFFFFFFFF, ... per base type; 0 for the ``z`` types; NaN
floats) become ``None``.
Profile array fields (hrv.time, hr.filtered_bpm, hr.event_timestamp) are always lists.
Unknown messages are named ``unknown_<num>`` unless the profile names them, and fields the
profile does not describe are kept as ``unknown_<num>`` with their raw values.
Developer fields are named from their ``field_description`` (scale/offset/units applied).

Derived values, beyond the profile:

* compressed-timestamp headers set ``timestamp`` (5-bit offset from the last full
  timestamp, with rollover);
* components are expanded (``speed`` -> ``enhanced_speed``, ``compressed_speed_distance``
  -> ``speed`` and accumulated ``distance``, ``current_activity_type_intensity`` ->
  ``activity_type`` and ``intensity``, ``event_timestamp_12`` -> ``event_timestamp``) and
  subfields resolved (``monitoring.cycles`` -> ``steps``/``strokes``, ...);
* ``monitoring`` messages with only ``timestamp_16`` get a full ``timestamp``;
* ``hr`` messages get ``event_time``: a list of aware datetimes, one per beat, anchored on
  the last ``hr`` message carrying a full ``timestamp`` + ``event_timestamp`` (the FIT SDK's
  HR-to-record rule).

Where it differs from fitdecode/fitparse: ``hr.event_timestamp`` values expanded from
``event_timestamp_12`` accumulate from the anchor's full 32-bit value, as the FIT SDK does,
so they are absolute device seconds; fitdecode and fitparse restart the accumulation at 0
at each definition (same low 12 bits, different high bits), and fitdecode then adds the last
whole-second timestamp, which puts its beat times up to ~1 s after these (Forerunner 935
file). Chained files are decoded independently (definitions, timestamps and accumulators
restart at each header), as in the SDK.

How it is fast
--------------
Each definition message is compiled once (and cached across files) into a Python function
that unpacks the whole data message with one precompiled :class:`struct.Struct` call and
builds the field dict in one expression, with names, scales and invalid values resolved at
compile time. The file CRC is computed with numpy for large inputs.
"""

from __future__ import annotations

import gc
import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, NamedTuple

from pacekeeper.importers.fit_profile import ENUMS, MESG_NAMES, MESSAGES, Component, FieldSpec

__all__ = [
    "FIT_EPOCH",
    "FitDecodeError",
    "FitFile",
    "FitMessage",
    "FitSegment",
    "Problem",
    "crc16",
    "decode",
    "field_units",
]

FIT_EPOCH: Final = datetime(1989, 12, 31, tzinfo=UTC)
_FIT_EPOCH_NAIVE: Final = datetime(1989, 12, 31)  # noqa: DTZ001 - local_date_time is naive
_FIT_UNIX_OFFSET: Final = 631065600  # seconds from 1970-01-01 to 1989-12-31
_SEMICIRCLE_DEG: Final = 180.0 / 2**31
_TIMESTAMP: Final = 253
_SYSTEM_TIME_MAX: Final = 0x10000000  # date_time values below this are relative seconds


class FitDecodeError(Exception):
    """The input is not a FIT file at all. ``offset`` is the byte offset of the problem."""

    def __init__(self, reason: str, offset: int = 0) -> None:
        super().__init__(f"{reason} (byte offset {offset})")
        self.reason = reason
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Problem:
    """Something skipped or suspicious, at byte ``offset`` of the input. ``message_index``
    counts every record (definition and data messages) from the start of the input, 0-based:
    the record at fault, or the one that would have come next."""

    offset: int
    message_index: int
    reason: str

    def __str__(self) -> str:
        return f"byte {self.offset} (message {self.message_index}): {self.reason}"


class FitMessage(NamedTuple):
    """One data message. ``fields`` maps field names to decoded values."""

    name: str
    num: int
    fields: dict[str, Any]
    offset: int

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@dataclass(slots=True)
class FitSegment:
    """One FIT file inside the input (inputs may chain several)."""

    offset: int
    header_size: int
    protocol_version: int
    profile_version: int
    data_size: int
    header_crc_ok: bool | None  # None: the header has no CRC (12 bytes, or CRC 0)
    crc_ok: bool | None  # None: no file CRC present (truncated) or not checked


@dataclass(slots=True)
class FitFile:
    """Everything decoded from one input."""

    messages: list[FitMessage]
    problems: list[Problem] = field(default_factory=list)
    segments: list[FitSegment] = field(default_factory=list)
    size: int = 0
    # developer field name -> its units, from the file's field_description messages
    developer_units: dict[str, str | None] = field(default_factory=dict)

    def by_name(self, name: str) -> list[FitMessage]:
        return [m for m in self.messages if m.name == name]

    def units(self, message: str, field_name: str) -> str | None:
        """Units of a decoded field: the profile's, or a developer field's own."""
        found = field_units(message, field_name)
        if found is None:
            found = self.developer_units.get(field_name.removeprefix("dev_"))
        return found

    @property
    def records(self) -> list[FitMessage]:
        return self.by_name("record")

    def rr_intervals(self) -> list[float]:
        """All valid RR intervals (seconds) from the hrv messages, in file order."""
        out: list[float] = []
        for m in self.messages:
            if m.name == "hrv":
                times = m.fields.get("time")
                if times:
                    out.extend(t for t in times if t is not None)
        return out


# --------------------------------------------------------------------------- base types


class _BaseType(NamedTuple):
    name: str
    code: str  # struct code
    size: int
    invalid: int | None  # None: float (invalid is NaN) / string / byte


_BASE_TYPES: Final[dict[int, _BaseType]] = {
    0x00: _BaseType("enum", "B", 1, 0xFF),
    0x01: _BaseType("sint8", "b", 1, 0x7F),
    0x02: _BaseType("uint8", "B", 1, 0xFF),
    0x03: _BaseType("sint16", "h", 2, 0x7FFF),
    0x04: _BaseType("uint16", "H", 2, 0xFFFF),
    0x05: _BaseType("sint32", "i", 4, 0x7FFFFFFF),
    0x06: _BaseType("uint32", "I", 4, 0xFFFFFFFF),
    0x07: _BaseType("string", "s", 1, None),
    0x08: _BaseType("float32", "f", 4, None),
    0x09: _BaseType("float64", "d", 8, None),
    0x0A: _BaseType("uint8z", "B", 1, 0),
    0x0B: _BaseType("uint16z", "H", 2, 0),
    0x0C: _BaseType("uint32z", "I", 4, 0),
    0x0D: _BaseType("byte", "B", 1, 0xFF),
    0x0E: _BaseType("sint64", "q", 8, 0x7FFFFFFFFFFFFFFF),
    0x0F: _BaseType("uint64", "Q", 8, 0xFFFFFFFFFFFFFFFF),
    0x10: _BaseType("uint64z", "Q", 8, 0),
}
_BYTE: Final = _BASE_TYPES[0x0D]
_UNSIGNED_INTS: Final = frozenset({"enum", "uint8", "uint16", "uint32", "uint8z", "uint16z"})
_UNSIGNED_INTS_TS: Final = _UNSIGNED_INTS | {"uint32z"}


# --------------------------------------------------------------------------- CRC

_CRC_TABLE: Final[tuple[int, ...]] = tuple(
    (lambda c: [c := (c >> 1) ^ 0xA001 if c & 1 else c >> 1 for _ in range(8)][-1])(b)
    for b in range(256)
)
_NUMPY_CRC_MIN: Final = 1 << 11
_crc_shift_tables: dict[int, tuple[list[int], list[int]]] = {}


def _crc16_py(data: bytes | memoryview, crc: int = 0) -> int:
    table = _CRC_TABLE
    for b in data:
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


def _crc_shift_table(nbytes: int) -> tuple[list[int], list[int]]:
    """Tables for the linear map "feed ``nbytes`` zero bytes into a CRC state"."""
    cached = _crc_shift_tables.get(nbytes)
    if cached is not None:
        return cached
    zeros = bytes(nbytes)
    basis = [_crc16_py(zeros, 1 << bit) for bit in range(16)]
    low = [0] * 256
    high = [0] * 256
    for value in range(1, 256):
        lo = hi = 0
        for bit in range(8):
            if value >> bit & 1:
                lo ^= basis[bit]
                hi ^= basis[bit + 8]
        low[value] = lo
        high[value] = hi
    _crc_shift_tables[nbytes] = (low, high)
    return low, high


_crc_word_table: list[Any] = []  # numpy table: CRC state after two bytes, by state ^ word


def crc16(data: bytes | memoryview, crc: int = 0) -> int:
    """The FIT CRC (CRC-16/ARC) of ``data``, continuing from ``crc``.

    Large inputs run as many independent CRCs side by side in numpy, two bytes per step
    (a 16-bit CRC state is entirely replaced by two bytes, so one 65536-entry table lookup
    does both), then the lanes are combined in order with the CRC's linearity."""
    n = len(data)
    if n < _NUMPY_CRC_MIN:
        return _crc16_py(data, crc)
    import numpy as np

    if not _crc_word_table:
        byte_table = np.array(_CRC_TABLE, dtype=np.uint16)
        x = np.arange(65536, dtype=np.uint16)
        x = (x >> 8) ^ byte_table[x & 0xFF]
        _crc_word_table.append((x >> 8) ^ byte_table[x & 0xFF])
    word_table = _crc_word_table[0]
    # Steps per lane balance numpy's per-step overhead against the per-lane combine loop.
    steps = 16
    while steps < 512 and steps * steps * 16 < n:
        steps *= 2
    lane = 2 * steps  # bytes per lane
    lanes = -(-n // lane)
    pad = lanes * lane - n
    # Leading zero bytes leave a zero CRC state unchanged: pad at the front.
    arr = np.zeros(lanes * lane, dtype=np.uint8)
    arr[pad:] = np.frombuffer(data, dtype=np.uint8)
    words = np.ascontiguousarray(arr.view("<u2").reshape(lanes, steps).T)
    state = np.zeros(lanes, dtype=np.uint16)
    for i in range(steps):
        state = word_table[state ^ words[i]]
    low, high = _crc_shift_table(lane)
    states = state.tolist()
    # The first lane's data starts ``lane - pad`` bytes before its end: carry ``crc`` over it.
    total = (_crc16_py(bytes(lane - pad), crc) if crc else 0) ^ states[0]
    for s in states[1:]:
        total = low[total & 0xFF] ^ high[total >> 8] ^ s
    return int(total)


# --------------------------------------------------------------------------- decoder state


class _State:
    """Per-input mutable state that compiled decoders read and update."""

    __slots__ = ("acc", "budget", "dev_fields", "hr_anchor", "last_ts")

    def __init__(self, budget: int) -> None:
        self.last_ts = 0
        self.budget = budget
        self.acc: dict[tuple[int, int], int] = {}
        self.hr_anchor: float | None = None  # Unix time of device event time 0
        # (developer_data_index, field number) -> description
        self.dev_fields: dict[tuple[int, int], _DevField] = {}


class _DevField(NamedTuple):
    name: str
    base_type: int
    scale: float
    offset: float
    units: str | None


_Decoder = Callable[[bytes, int, _State], FitMessage | None]


class _Compiled(NamedTuple):
    size: int
    fn: _Decoder | None
    problems: tuple[str, ...]


# --------------------------------------------------------------------------- helpers used by
# the generated decoders


def _nn(values: list[Any]) -> list[Any] | None:
    """An array whose elements are all invalid is itself invalid."""
    for v in values:
        if v is not None:
            return values
    return None


def _str(raw: bytes) -> str | None:
    text = raw.split(b"\0", 1)[0]
    if not text:
        return None
    return text.decode("utf-8", errors="replace")


def _bytes(raw: bytes) -> bytes | None:
    if not raw or raw.count(0xFF) == len(raw):
        return None
    return raw


_NAMESPACE_BASE: Final[dict[str, Any]] = {
    "_ft": datetime.fromtimestamp,
    "_UTC": UTC,
    "_E": FIT_EPOCH,
    "_EN": _FIT_EPOCH_NAIVE,
    "_TD": timedelta,
    "_new": tuple.__new__,
    "_M": FitMessage,
    "_nn": _nn,
    "_str": _str,
    "_bytes": _bytes,
    "__builtins__": {"bool": bool, "None": None},
}


class _Slot(NamedTuple):
    """Where one field's raw value(s) lie in the unpacked tuple, and how to read them."""

    num: int
    start: int  # index in the struct's output tuple
    width: int  # number of values (arrays); 1 for scalars, strings and byte blobs
    kind: str  # "num", "float", "string", "bytes"
    base: _BaseType
    size: int


def _element_expr(
    x: str,
    base: _BaseType,
    kind: str,
    scale: float,
    offset: float,
    enum_var: str | None,
) -> str:
    """Python expression turning valid raw value ``x`` into its decoded value."""
    if kind == "datetime":
        # Values below 0x10000000 are seconds of device ("system") time, not dates.
        if base.name in _UNSIGNED_INTS_TS:
            return f"(_ft({x} + {_FIT_UNIX_OFFSET}, _UTC) if {x} >= {_SYSTEM_TIME_MAX} else {x})"
        if base.name in ("sint8", "sint16", "sint32"):
            return f"((_E + _TD(0, {x})) if {x} >= {_SYSTEM_TIME_MAX} else {x})"
        return x
    if kind == "local_datetime":
        if base.name in _UNSIGNED_INTS_TS or base.name in ("sint8", "sint16", "sint32"):
            return f"(_EN + _TD(0, {x}))"
        return x
    if kind == "semicircles":
        return f"{x} * {_SEMICIRCLE_DEG!r}"
    if kind == "bool":
        return f"bool({x})"
    if enum_var is not None:
        return f"{enum_var}.get({x}, {x})"
    if scale != 1 and offset:
        return f"({x} / {scale!r} - {offset!r})"
    if scale != 1:
        return f"{x} / {scale!r}"
    if offset:
        return f"({x} - {offset!r})"
    return x


def _invalid_test(x: str, base: _BaseType) -> str | None:
    if base.invalid is None:
        return f"{x} != {x}" if base.name.startswith("float") else None
    return f"{x} == {base.invalid}"


def _value_expr(
    slot: _Slot,
    kind: str,
    scale: float,
    offset: float,
    enum_var: str | None,
    array: bool,
) -> str:
    """Expression for one field's decoded value from the unpacked locals ``a<i>``."""
    if slot.kind == "string":
        return f"_str(a{slot.start})"
    if slot.kind == "bytes":
        return f"_bytes(a{slot.start})"
    base = slot.base
    if slot.width == 1 and not array:
        x = f"a{slot.start}"
        conv = _element_expr(x, base, kind, scale, offset, enum_var)
        test = _invalid_test(x, base)
        return conv if test is None else f"(None if {test} else {conv})"
    items = ", ".join(f"a{slot.start + i}" for i in range(slot.width))
    conv = _element_expr("x", base, kind, scale, offset, enum_var)
    test = _invalid_test("x", base)
    elem = conv if test is None else f"None if {test} else {conv}"
    return f"_nn([{elem} for x in ({items},)])"


def _subfield_value(kind: str, scale: float, offset: float, enum: str | None, raw: Any) -> Any:
    if not isinstance(raw, int | float):
        return raw
    if kind == "datetime" and isinstance(raw, int) and _SYSTEM_TIME_MAX <= raw < 1 << 32:
        return FIT_EPOCH + timedelta(seconds=raw)
    if enum is not None:
        return ENUMS[enum].get(int(raw), raw)
    if scale != 1 or offset:
        return raw / scale - offset
    return raw


def _raw_int(slot: _Slot, t: tuple[Any, ...]) -> int | None:
    """The raw value of a scalar numeric or byte-blob field as an int, None if invalid."""
    if slot.kind == "bytes":
        blob = t[slot.start]
        if not isinstance(blob, bytes) or not blob or blob.count(0xFF) == len(blob):
            return None
        return int.from_bytes(blob, "little")
    if slot.kind != "num" or slot.width != 1:
        return None
    raw = t[slot.start]
    if not isinstance(raw, int) or raw == slot.base.invalid:
        return None
    return raw


_PostStep = Callable[[dict[str, Any], tuple[Any, ...], _State, dict[int, int]], None]


def _component_step(
    global_num: int,
    slot: _Slot,
    comps: tuple[Component, ...],
    profile: dict[int, FieldSpec],
    direct: dict[int, _Slot],
) -> _PostStep:
    nbits = slot.size * 8
    # Components beyond the field's bits are dropped here, once (hr.event_timestamp_12
    # lists ten 12-bit components but carries eight).
    usable = [c for c in comps if c.bits and c.bit_offset + c.bits <= nbits]
    dest_counts: dict[int, int] = {}
    for c in usable:
        dest_counts[c.dest] = dest_counts.get(c.dest, 0) + 1
    plan = []
    list_names: list[str] = []
    for c in usable:
        dest = profile.get(c.dest)
        name = dest.name if dest is not None else f"unknown_{c.dest}"
        as_list = dest_counts[c.dest] > 1 or (dest is not None and dest.array)
        if as_list and name not in list_names:
            list_names.append(name)
        enum = None
        if dest is not None and dest.enum is not None and c.scale == 1 and not c.offset:
            enum = ENUMS.get(dest.enum)
        keep_direct = c.dest in direct
        plan.append(
            (
                c.bit_offset,
                (1 << c.bits) - 1,
                c.accumulate,
                (global_num, c.dest),
                c.dest,
                float(c.scale) if c.scale != 1 else 0.0,
                c.offset,
                enum,
                name,
                as_list,
                keep_direct,
            )
        )
    plan_t = tuple(plan)
    lists_t = tuple(list_names)

    def step(d: dict[str, Any], t: tuple[Any, ...], st: _State, raws: dict[int, int]) -> None:
        raw = _raw_int(slot, t)
        if raw is None:
            return
        acc = st.acc
        lists: dict[str, list[Any]] = {name: [] for name in lists_t}
        for off, mask, accumulate, key, dest, scale, offset, enum, name, as_list, keep in plan_t:
            v = (raw >> off) & mask
            if accumulate:
                prev = acc.get(key)
                if prev is not None:
                    v = prev + ((v - prev) & mask)
                acc[key] = v
            raws[dest] = v
            value: Any = v
            if scale:
                value = v / scale - offset if offset else v / scale
            elif offset:
                value = v - offset
            elif enum is not None:
                value = enum.get(v, v)
            if as_list:
                lists[name].append(value)
            elif not keep or d.get(name) is None:
                d[name] = value
        for name, values in lists.items():
            current = d.get(name)
            if not isinstance(current, list) or all(x is None for x in current):
                d[name] = values

    return step


def _subfield_step(slot: _Slot, spec: FieldSpec, direct: dict[int, _Slot]) -> _PostStep:
    subs = spec.subfields

    def step(d: dict[str, Any], t: tuple[Any, ...], st: _State, raws: dict[int, int]) -> None:
        raw = _raw_int(slot, t) if slot.kind == "num" else None
        if raw is None:
            return
        for sub in subs:
            for ref_num, ref_value in sub.refs:
                ref_slot = direct.get(ref_num)
                ref_raw = _raw_int(ref_slot, t) if ref_slot is not None else raws.get(ref_num)
                if ref_raw == ref_value:
                    d[sub.name] = _subfield_value(sub.kind, sub.scale, sub.offset, sub.enum, raw)
                    return

    return step


def _hr_step(d: dict[str, Any], t: tuple[Any, ...], st: _State, raws: dict[int, int]) -> None:
    events = d.get("event_timestamp")
    if not isinstance(events, list) or not events:
        return
    if not all(e is None or isinstance(e, int | float) for e in events):
        return
    ts = d.get("timestamp")
    if isinstance(ts, datetime) and len(events) == 1 and events[0] is not None:
        # the anchor: a full timestamp (+ fraction) for one event_timestamp
        frac = d.get("fractional_timestamp")
        anchor = ts.timestamp() + (frac if isinstance(frac, float) else 0.0)
        st.hr_anchor = anchor - float(events[0])
    base = st.hr_anchor
    if base is None:
        return
    ft = datetime.fromtimestamp
    try:
        d["event_time"] = [None if e is None else ft(base + e, UTC) for e in events]
    except (OverflowError, ValueError, OSError):
        d["event_time"] = None


def _monitoring_step(
    d: dict[str, Any], t: tuple[Any, ...], st: _State, raws: dict[int, int]
) -> None:
    t16 = d.get("timestamp_16")
    if isinstance(t16, int) and d.get("timestamp") is None:
        ts = st.last_ts + ((t16 - st.last_ts) & 0xFFFF)
        st.last_ts = ts
        d["timestamp"] = (
            datetime.fromtimestamp(ts + _FIT_UNIX_OFFSET, UTC)
            if _SYSTEM_TIME_MAX <= ts < 1 << 32
            else ts
        )


def _field_description_step(
    d: dict[str, Any], t: tuple[Any, ...], st: _State, raws: dict[int, int]
) -> None:
    index = d.get("developer_data_index")
    num = d.get("field_definition_number")
    base = d.get("fit_base_type_id")
    if not isinstance(index, int) or not isinstance(num, int) or not isinstance(base, int):
        return
    scale = d.get("scale")
    offset = d.get("offset")
    name = d.get("field_name")
    units = d.get("units")
    st.dev_fields[(index, num)] = _DevField(
        name if isinstance(name, str) and name else f"dev_{index}_{num}",
        base,
        scale if isinstance(scale, int) and scale > 0 else 1,
        offset if isinstance(offset, int) else 0,
        units if isinstance(units, str) else None,
    )


_MESSAGE_STEPS: Final[dict[int, _PostStep]] = {
    132: _hr_step,
    55: _monitoring_step,
    206: _field_description_step,
}


# --------------------------------------------------------------------------- compiler

_MODE_FULL: Final = 0  # decode and return
_MODE_HIDDEN: Final = 1  # decode for its side effects (developer fields), return nothing
_MODE_SKIP: Final = 2  # only track the timestamp

_compile_cache: dict[tuple[Any, ...], _Compiled] = {}
_COMPILE_CACHE_MAX: Final = 4096
# Generating code costs ~10 us per field value; garbage input can hold thousands of distinct
# definitions. Past this many freshly compiled values per decode() (or for one oversized
# definition) the interpreter, which needs no compiling, decodes instead.
_COMPILE_BUDGET = 8192
_COMPILE_MAX_VALUES: Final = 1024


class _Item(NamedTuple):
    """One output field: its name, where its raw value is and how to convert it."""

    name: str
    slot: _Slot
    kind: str  # a FieldSpec kind, or "raw"
    scale: float
    offset: float
    enum: str | None
    array: bool


class _Plan(NamedTuple):
    global_num: int
    name: str
    unpacker: struct.Struct
    items: list[_Item]
    ts_slot: _Slot | None
    seeds: list[tuple[_Slot, tuple[int, int]]]  # direct values that seed accumulators
    steps: list[_PostStep]
    hidden: bool
    nvals: int


def _accumulated_targets(profile: dict[int, FieldSpec]) -> dict[int, Component]:
    """Fields that accumulating components feed, when a direct value can seed them."""
    out: dict[int, Component] = {}
    for spec in profile.values():
        for c in spec.components:
            dest = profile.get(c.dest)
            if (
                c.accumulate
                and dest is not None
                and dest.scale == c.scale
                and dest.offset == c.offset
            ):
                out[c.dest] = c
    return out


def _layout(
    fields: tuple[tuple[int, int, int], ...],
    dev: tuple[tuple[int, int, _DevField | None], ...],
    big_endian: bool,
) -> tuple[str, list[_Slot], list[_Slot], list[str]]:
    codes = [">" if big_endian else "<"]
    problems: list[str] = []
    index = 0

    def slot_for(num: int, size: int, base_id: int, what: str) -> _Slot:
        nonlocal index
        base = _BASE_TYPES.get(base_id & 0x1F)
        if base is None:
            problems.append(f"{what} {num}: unknown base type 0x{base_id:02X}, kept as bytes")
            base = _BYTE
        if base.name == "string":
            slot = _Slot(num, index, 1, "string", base, size)
            codes.append(f"{size}s")
        elif size == 0 or size % base.size:
            if size:
                problems.append(
                    f"{what} {num}: size {size} is not a multiple of its {base.name} size "
                    f"{base.size}; kept as bytes"
                )
            slot = _Slot(num, index, 1, "bytes", _BYTE, size)
            codes.append(f"{size}s")
        elif base.name == "byte" and size > 1:
            slot = _Slot(num, index, 1, "bytes", base, size)
            codes.append(f"{size}s")
        else:
            count = size // base.size
            kind = "float" if base.name.startswith("float") else "num"
            slot = _Slot(num, index, count, kind, base, size)
            codes.append(f"{count}{base.code}" if count > 1 else base.code)
            index += count
            return slot
        index += 1
        return slot

    slots = [slot_for(num, size, bt, "field") for num, size, bt in fields]
    dev_slots = [
        slot_for(num, size, spec.base_type if spec is not None else 0x0D, "developer field")
        for num, size, spec in dev
    ]
    return "".join(codes), slots, dev_slots, problems


def _compile(
    global_num: int,
    big_endian: bool,
    fields: tuple[tuple[int, int, int], ...],
    dev: tuple[tuple[int, int, _DevField | None], ...],
    mode: int,
    st: _State,
) -> _Compiled:
    key = (global_num, big_endian, fields, dev, mode)
    cached = _compile_cache.get(key)
    if cached is not None:
        return cached
    fmt, slots, dev_slots, problems = _layout(fields, dev, big_endian)
    unpacker = struct.Struct(fmt)
    ts_slot = next((s for s in slots if s.num == _TIMESTAMP), None)
    if ts_slot is not None and (ts_slot.kind != "num" or ts_slot.base.size != 4):
        ts_slot = None
    if mode == _MODE_SKIP:
        fn = _compile_skip(ts_slot, slots, big_endian) if ts_slot is not None else None
        compiled = _Compiled(unpacker.size, fn, tuple(problems))
    else:
        plan = _plan(global_num, unpacker, slots, dev_slots, dev, ts_slot, mode == _MODE_HIDDEN)
        if plan.nvals > _COMPILE_MAX_VALUES or plan.nvals > st.budget:
            return _Compiled(unpacker.size, _interpret(plan), tuple(problems))
        st.budget -= plan.nvals
        compiled = _Compiled(unpacker.size, _generate(plan), tuple(problems))
    if len(_compile_cache) >= _COMPILE_CACHE_MAX:
        _compile_cache.clear()
    _compile_cache[key] = compiled
    return compiled


def _compile_skip(ts_slot: _Slot, slots: list[_Slot], big_endian: bool) -> _Decoder:
    offset = 0
    for s in slots:
        if s is ts_slot:
            break
        offset += s.size
    unpack_from = struct.Struct((">" if big_endian else "<") + ts_slot.base.code).unpack_from
    invalid = ts_slot.base.invalid

    def skip(buf: bytes, pos: int, st: _State) -> None:
        (v,) = unpack_from(buf, pos + offset)
        if v != invalid:
            st.last_ts = v

    return skip


def _plan(
    global_num: int,
    unpacker: struct.Struct,
    slots: list[_Slot],
    dev_slots: list[_Slot],
    dev: tuple[tuple[int, int, _DevField | None], ...],
    ts_slot: _Slot | None,
    hidden: bool,
) -> _Plan:
    """Resolve names, conversions, components and subfields once per definition."""
    profile = MESSAGES.get(global_num, {})
    items: list[_Item] = []
    direct = {s.num: s for s in slots}
    for s in slots:
        spec = profile.get(s.num)
        if spec is None:
            items.append(_Item(f"unknown_{s.num}", s, "raw", 1, 0, None, False))
        else:
            items.append(
                _Item(spec.name, s, spec.kind, spec.scale, spec.offset, spec.enum, spec.array)
            )
    steps: list[_PostStep] = []
    for s in slots:
        spec = profile.get(s.num)
        if spec is None or not spec.components:
            continue
        comps = spec.components
        first = comps[0]
        if (
            len(comps) == 1
            and not first.accumulate
            and first.bit_offset == 0
            and s.kind == "num"
            and s.width == 1
            and first.bits >= 8 * s.base.size
        ):
            # a plain copy (speed -> enhanced_speed), inlined unless the file has both
            if first.dest not in direct:
                dest = profile.get(first.dest)
                items.append(
                    _Item(
                        dest.name if dest is not None else f"unknown_{first.dest}",
                        s,
                        "int",
                        first.scale,
                        first.offset,
                        dest.enum if dest is not None else None,
                        False,
                    )
                )
        else:
            steps.append(_component_step(global_num, s, comps, profile, direct))
    for s in slots:
        spec = profile.get(s.num)
        if spec is not None and spec.subfields:
            steps.append(_subfield_step(s, spec, direct))
    message_step = _MESSAGE_STEPS.get(global_num)
    if message_step is not None:
        steps.append(message_step)
    names = {item.name for item in items}
    for s, (num, _size, dspec) in zip(dev_slots, dev, strict=True):
        if dspec is None:
            item = _Item(f"dev_unknown_{num}", s, "raw", 1, 0, None, False)
        else:
            item = _Item(dspec.name, s, "raw", dspec.scale, dspec.offset, None, False)
        if item.name in names:
            item = item._replace(name=f"dev_{item.name}")
        names.add(item.name)
        items.append(item)
    seeds = []
    for target in _accumulated_targets(profile):
        seed = direct.get(target)
        if seed is not None and seed.kind == "num":
            seeds.append((seed, (global_num, target)))
    return _Plan(
        global_num,
        _mesg_name(global_num),
        unpacker,
        items,
        ts_slot,
        seeds,
        steps,
        hidden,
        sum(s.width for s in slots) + sum(s.width for s in dev_slots),
    )


def _generate(plan: _Plan) -> _Decoder:
    """Python source for one definition, compiled: one unpack, one dict display."""
    ns: dict[str, Any] = dict(_NAMESPACE_BASE)
    ns["_unpack"] = plan.unpacker.unpack_from
    enum_vars: dict[str, str] = {}

    def enum_var(enum: str | None) -> str | None:
        if enum is None or enum not in ENUMS:
            return None
        var = enum_vars.get(enum)
        if var is None:
            var = f"_e{len(enum_vars)}"
            enum_vars[enum] = var
            ns[var] = ENUMS[enum]
        return var

    lines = ["def _fn(buf, pos, st):"]
    local_names = ", ".join(f"a{i}" for i in range(plan.nvals))
    if plan.steps:
        ns["_steps"] = tuple(plan.steps)
        lines.append("    t = _unpack(buf, pos)")
        if plan.nvals:
            lines.append(f"    {local_names}, = t")
    elif plan.nvals:
        lines.append(f"    {local_names}, = _unpack(buf, pos)")
    if plan.ts_slot is not None:
        lines.append(f"    if a{plan.ts_slot.start} != {plan.ts_slot.base.invalid}:")
        lines.append(f"        st.last_ts = a{plan.ts_slot.start}")
    for seed, key in plan.seeds:
        last = f"a{seed.start + seed.width - 1}"
        lines.append(f"    if {last} != {seed.base.invalid}:")
        lines.append(f"        st.acc[{key!r}] = {last}")
    body = ", ".join(
        f"{it.name!r}: "
        + _value_expr(it.slot, it.kind, it.scale, it.offset, enum_var(it.enum), it.array)
        for it in plan.items
    )
    lines.append(f"    d = {{{body}}}")
    if plan.steps:
        lines.append("    raws = {}")
        lines.append("    for step in _steps:")
        lines.append("        step(d, t, st, raws)")
    if plan.hidden:
        lines.append("    return None")
    else:
        lines.append(f"    return _new(_M, ({plan.name!r}, {plan.global_num}, d, pos - 1))")
    code = compile("\n".join(lines), f"<fit message {plan.global_num}>", "exec")
    # The source holds only profile constants, numbers and repr()'d names.
    exec(code, ns)  # noqa: S102
    fn: _Decoder = ns["_fn"]
    return fn


def _element_fn(
    base: _BaseType, kind: str, scale: float, offset: float, enum: str | None
) -> Callable[[Any], Any] | None:
    """The interpreter's twin of :func:`_element_expr`; None means "unchanged"."""
    if kind == "datetime":
        if base.name in _UNSIGNED_INTS_TS:
            return lambda x: (
                datetime.fromtimestamp(x + _FIT_UNIX_OFFSET, UTC) if x >= _SYSTEM_TIME_MAX else x
            )
        if base.name in ("sint8", "sint16", "sint32"):
            return lambda x: FIT_EPOCH + timedelta(0, x) if x >= _SYSTEM_TIME_MAX else x
        return None
    if kind == "local_datetime":
        if base.name in _UNSIGNED_INTS_TS or base.name in ("sint8", "sint16", "sint32"):
            return lambda x: _FIT_EPOCH_NAIVE + timedelta(0, x)
        return None
    if kind == "semicircles":
        return lambda x: x * _SEMICIRCLE_DEG
    if kind == "bool":
        return bool
    if enum is not None and enum in ENUMS:
        table = ENUMS[enum]
        return lambda x: table.get(x, x)
    if scale != 1 and offset:
        return lambda x: x / scale - offset
    if scale != 1:
        return lambda x: x / scale
    if offset:
        return lambda x: x - offset
    return None


def _interpret(plan: _Plan) -> _Decoder:
    """A decoder that needs no code generation (slower per message, instant to build)."""
    unpack = plan.unpacker.unpack_from
    entries = []
    for it in plan.items:
        s = it.slot
        conv = _element_fn(s.base, it.kind, it.scale, it.offset, it.enum)
        entries.append((it.name, s.kind, s.start, s.width, s.base.invalid, conv, it.array))
    ts_index = plan.ts_slot.start if plan.ts_slot is not None else -1
    ts_invalid = plan.ts_slot.base.invalid if plan.ts_slot is not None else None
    seeds = [(s.start + s.width - 1, s.base.invalid, key) for s, key in plan.seeds]
    steps = tuple(plan.steps)
    name, num, hidden = plan.name, plan.global_num, plan.hidden

    def fn(buf: bytes, pos: int, st: _State) -> FitMessage | None:
        t = unpack(buf, pos)
        if ts_index >= 0 and t[ts_index] != ts_invalid:
            st.last_ts = t[ts_index]
        for index, invalid, key in seeds:
            if t[index] != invalid:
                st.acc[key] = t[index]
        d: dict[str, Any] = {}
        for field_name, kind, start, count, invalid, conv, array in entries:
            if kind == "string":
                d[field_name] = _str(t[start])
                continue
            if kind == "bytes":
                d[field_name] = _bytes(t[start])
                continue
            values: list[Any] = []
            for x in t[start : start + count]:
                if x != x if invalid is None else x == invalid:
                    values.append(None)
                else:
                    values.append(x if conv is None else conv(x))
            d[field_name] = values[0] if count == 1 and not array else _nn(values)
        if steps:
            raws: dict[int, int] = {}
            for step in steps:
                step(d, t, st, raws)
        return None if hidden else FitMessage(name, num, d, pos - 1)

    return fn


def _mesg_name(num: int) -> str:
    name = MESG_NAMES.get(num)
    return name if name is not None else f"unknown_{num}"


_units_by_message: dict[str, dict[str, str | None]] = {}


def field_units(message: str, field_name: str) -> str | None:
    """Units of a profile field as decoded ("deg" for positions; None for datetimes, enums,
    strings and unknown fields)."""
    if not _units_by_message:
        for num, specs in MESSAGES.items():
            table: dict[str, str | None] = {}
            for spec in specs.values():
                if spec.kind in ("datetime", "local_datetime") or spec.enum is not None:
                    units = None
                elif spec.kind == "semicircles":
                    units = "deg"
                else:
                    units = spec.units
                table.setdefault(spec.name, units)
                for sub in spec.subfields:
                    table.setdefault(sub.name, None if sub.enum is not None else sub.units)
            _units_by_message[_mesg_name(num)] = table
    return _units_by_message.get(message, {}).get(field_name)


# --------------------------------------------------------------------------- reader

_HIDDEN_ALWAYS: Final = frozenset({"developer_data_id", "field_description"})


def _read_source(source: str | os.PathLike[str] | bytes | bytearray | memoryview) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, bytearray | memoryview):
        return bytes(source)
    return Path(source).read_bytes()


class _Header(NamedTuple):
    size: int
    protocol_version: int
    profile_version: int
    data_size: int
    header_crc_ok: bool | None


def _parse_header(buf: bytes, pos: int) -> _Header | str:
    """The FIT file header at ``pos``, or the reason there is none."""
    n = len(buf)
    if pos >= n:
        return "no data"
    size = buf[pos]
    if size < 12:
        return f"header size {size} is below the minimum of 12"
    if pos + 12 > n:
        return f"only {n - pos} bytes, too short for a FIT header"
    if buf[pos + 8 : pos + 12] != b".FIT":
        return "no .FIT signature"
    if pos + size > n:
        return f"header of {size} bytes runs past the end of the input"
    protocol, profile, data_size = struct.unpack_from("<BHI", buf, pos + 1)
    header_crc_ok: bool | None = None
    if size >= 14:
        (stored,) = struct.unpack_from("<H", buf, pos + 12)
        if stored:
            header_crc_ok = _crc16_py(buf[pos : pos + 12]) == stored
    return _Header(size, protocol, profile, data_size, header_crc_ok)


def decode(
    source: str | os.PathLike[str] | bytes | bytearray | memoryview,
    *,
    messages: Iterable[str] | None = None,
    check_crc: bool = True,
) -> FitFile:
    """Decode a FIT file (or several chained ones). See the module docstring."""
    buf = _read_source(source)
    header = _parse_header(buf, 0)
    if isinstance(header, str):
        raise FitDecodeError(f"not a FIT file: {header}", 0)
    if isinstance(messages, str):
        messages = (messages,)
    wanted = frozenset(messages) if messages is not None else None
    # Decoding allocates many small dicts that never form cycles; pausing the cyclic garbage
    # collector meanwhile saves ~20%.
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()
    try:
        return _decode_segments(buf, header, wanted, check_crc)
    finally:
        if gc_was_enabled:
            gc.enable()


def _decode_segments(
    buf: bytes, header: _Header, wanted: frozenset[str] | None, check_crc: bool
) -> FitFile:
    result = FitFile(messages=[], size=len(buf))
    problems = result.problems
    pos = 0
    index = 0
    budget = _COMPILE_BUDGET
    while True:
        seg = FitSegment(
            pos,
            header.size,
            header.protocol_version,
            header.profile_version,
            header.data_size,
            header.header_crc_ok,
            None,
        )
        result.segments.append(seg)
        if header.header_crc_ok is False:
            problems.append(Problem(pos, index, "header CRC does not match"))
        start = pos + header.size
        end = start + header.data_size
        has_crc = True
        if header.data_size == 0 or end + 2 > len(buf):
            if header.data_size == 0:
                reason = "header declares no data size; decoding to the end of the input"
            else:
                reason = (
                    f"file truncated: header declares {header.data_size} data bytes but "
                    f"only {len(buf) - start} bytes follow the header"
                )
            problems.append(Problem(pos, index, reason))
            end = len(buf)
            has_crc = False
        st = _State(budget)
        index = _decode_records(buf, start, end, index, wanted, result, st)
        budget = st.budget
        for dev_field in st.dev_fields.values():
            result.developer_units.setdefault(dev_field.name, dev_field.units)
        if not has_crc:
            break
        if check_crc:
            (stored,) = struct.unpack_from("<H", buf, end)
            seg.crc_ok = crc16(memoryview(buf)[pos:end]) == stored
            if not seg.crc_ok:
                problems.append(
                    Problem(end, index, f"file CRC 0x{stored:04X} does not match the data")
                )
        pos = end + 2
        if pos >= len(buf):
            break
        next_header = _parse_header(buf, pos)
        if isinstance(next_header, str):
            problems.append(
                Problem(
                    pos,
                    index,
                    f"{len(buf) - pos} bytes after the end of the FIT data skipped: {next_header}",
                )
            )
            break
        header = next_header
    return result


def _decode_records(
    buf: bytes,
    pos: int,
    end: int,
    index: int,
    wanted: frozenset[str] | None,
    result: FitFile,
    st: _State,
) -> int:
    """Decode the records of one FIT file's data section; returns the next message index."""
    problems = result.problems
    append = result.messages.append
    # local message type -> (data size, decoder); decoder None means skip
    defs: list[tuple[int, _Decoder | None] | None] = [None] * 16
    while pos < end:
        h = buf[pos]
        if h < 0x40:
            # normal data message: the hot path
            entry = defs[h & 0x0F]
            if entry is None:
                problems.append(
                    Problem(
                        pos,
                        index,
                        f"data message uses undefined local message type {h & 0x0F}; "
                        f"{end - pos} bytes skipped",
                    )
                )
                return index + 1
            size, fn = entry
            nxt = pos + 1 + size
            if nxt > end:
                problems.append(
                    Problem(
                        pos,
                        index,
                        f"data message truncated: needs {size + 1} bytes, {end - pos} left",
                    )
                )
                return index + 1
            if fn is not None:
                msg = fn(buf, pos + 1, st)
                if msg is not None:
                    append(msg)
            pos = nxt
            index += 1
        elif h & 0x80:
            # compressed timestamp header
            entry = defs[(h >> 5) & 0x03]
            if entry is None:
                problems.append(
                    Problem(
                        pos,
                        index,
                        f"compressed-timestamp message uses undefined local message type "
                        f"{(h >> 5) & 0x03}; {end - pos} bytes skipped",
                    )
                )
                return index + 1
            size, fn = entry
            nxt = pos + 1 + size
            if nxt > end:
                problems.append(
                    Problem(
                        pos,
                        index,
                        f"data message truncated: needs {size + 1} bytes, {end - pos} left",
                    )
                )
                return index + 1
            last = st.last_ts
            ts = last + ((h - last) & 0x1F)
            st.last_ts = ts
            if fn is not None:
                msg = fn(buf, pos + 1, st)
                if msg is not None:
                    msg.fields["timestamp"] = (
                        datetime.fromtimestamp(ts + _FIT_UNIX_OFFSET, UTC)
                        if _SYSTEM_TIME_MAX <= ts < 1 << 32
                        else ts
                    )
                    append(msg)
                st.last_ts = ts
            pos = nxt
            index += 1
        else:
            new_pos = _read_definition(buf, pos, end, index, wanted, st, defs, problems)
            if new_pos < 0:
                return index + 1
            pos = new_pos
            index += 1
    return index


def _read_definition(
    buf: bytes,
    pos: int,
    end: int,
    index: int,
    wanted: frozenset[str] | None,
    st: _State,
    defs: list[tuple[int, _Decoder | None] | None],
    problems: list[Problem],
) -> int:
    """Read the definition message at ``pos``; returns the next position, -1 to stop."""
    h = buf[pos]
    has_dev = bool(h & 0x20)
    if pos + 6 > end:
        problems.append(Problem(pos, index, "definition message truncated"))
        return -1
    arch = buf[pos + 2]
    if arch > 1:
        problems.append(
            Problem(
                pos,
                index,
                f"definition message has invalid architecture {arch}; {end - pos} bytes skipped",
            )
        )
        return -1
    big_endian = arch == 1
    global_num = (
        (buf[pos + 3] << 8 | buf[pos + 4]) if big_endian else (buf[pos + 3] | buf[pos + 4] << 8)
    )
    nfields = buf[pos + 5]
    p = pos + 6
    if p + 3 * nfields > end:
        problems.append(Problem(pos, index, "definition message truncated"))
        return -1
    raw = buf[p : p + 3 * nfields]
    fields = tuple(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
    p += 3 * nfields
    dev: tuple[tuple[int, int, _DevField | None], ...] = ()
    if has_dev:
        if p + 1 > end:
            problems.append(Problem(pos, index, "definition message truncated"))
            return -1
        ndev = buf[p]
        p += 1
        if p + 3 * ndev > end:
            problems.append(Problem(pos, index, "definition message truncated"))
            return -1
        draw = buf[p : p + 3 * ndev]
        dev = tuple(
            (num, size, st.dev_fields.get((dev_index, num)))
            for num, size, dev_index in zip(draw[0::3], draw[1::3], draw[2::3], strict=True)
        )
        p += 3 * ndev
    name = _mesg_name(global_num)
    if wanted is None or name in wanted:
        mode = _MODE_FULL
    elif name in _HIDDEN_ALWAYS:
        mode = _MODE_HIDDEN
    else:
        mode = _MODE_SKIP
    compiled = _compile(global_num, big_endian, fields, dev, mode, st)
    for reason in compiled.problems:
        problems.append(Problem(pos, index, f"{name}: {reason}"))
    defs[h & 0x0F] = (compiled.size, compiled.fn)
    return p
