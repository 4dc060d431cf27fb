"""The FIT decoder, on the real files in ../shared/data/fit and on hand-built ones."""

from __future__ import annotations

import csv
import gc
import itertools
import os
import random
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.importers import fit_decode
from pacekeeper.importers.fit_decode import (
    FIT_EPOCH,
    FitDecodeError,
    FitFile,
    crc16,
    decode,
    field_units,
)

FIT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "fit"
FITPARSE = FIT_DATA / "python-fitparse"
FR935 = FIT_DATA / "fitdecode" / "garmin-fr935-cr.fit"
EDGE530 = FIT_DATA / "fitparse-rs" / "hrv-activity.fit"
ALL_FILES = sorted(p for p in FIT_DATA.rglob("*") if p.suffix.lower() == ".fit")
SEMICIRCLE = 180 / 2**31

pytestmark = pytest.mark.skipif(not FIT_DATA.is_dir(), reason="../shared/data/fit is missing")


# --------------------------------------------------------------------------- hand-built files

RECORD = 20


def fit_bytes(
    records: bytes,
    *,
    header_size: int = 14,
    bad_header_crc: bool = False,
    with_crc: bool = True,
    data_size: int | None = None,
) -> bytes:
    size = len(records) if data_size is None else data_size
    header = struct.pack("<BBHI4s", header_size, 0x20, 2132, size, b".FIT")
    if header_size == 14:
        header += struct.pack("<H", crc16(header) ^ (0x5555 if bad_header_crc else 0))
    body = header + records
    return body + struct.pack("<H", crc16(body)) if with_crc else body


def definition(
    local: int,
    global_num: int,
    fields: list[tuple[int, int, int]],
    *,
    big: bool = False,
    dev: list[tuple[int, int, int]] | None = None,
) -> bytes:
    header = 0x40 | local | (0x20 if dev is not None else 0)
    out = bytes([header, 0, 1 if big else 0])
    out += struct.pack(">H" if big else "<H", global_num) + bytes([len(fields)])
    out += b"".join(bytes(f) for f in fields)
    if dev is not None:
        out += bytes([len(dev)]) + b"".join(bytes(f) for f in dev)
    return out


def data(local: int, payload: bytes) -> bytes:
    return bytes([local]) + payload


def compressed(local: int, time_offset: int, payload: bytes) -> bytes:
    return bytes([0x80 | local << 5 | time_offset]) + payload


def ts_raw(when: datetime) -> int:
    return int((when - FIT_EPOCH).total_seconds())


# --------------------------------------------------------------------------- CSV expectations

CSV_FILES = [
    "garmin-edge-500-activity",
    "garmin-fenix-5-bike",
    "garmin-fenix-5-run",
    "garmin-fenix-5-walk",
    "garmin-edge-820-bike",
]


@pytest.mark.parametrize("name", CSV_FILES)
def test_records_match_the_sdk_dump_csv(name: str) -> None:
    """The CSVs are FIT SDK dumps (via python-fitparse): timestamps in PDT (UTC-7), positions in
    semicircles, speed m/s, distance m, altitude m, temperature C. The dump tool writes invalid
    cadence as 0 and an invalid position as the last valid one: those two are tolerated (and
    counted); every other value must be equal (floats to 1e-6)."""
    fit = decode(FITPARSE / f"{name}.fit")
    assert fit.problems == []
    records = fit.records
    with (FITPARSE / f"{name}-records.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(records) == len(rows)
    mismatches: list[tuple[int, str, Any, str]] = []
    tolerated = 0
    last_valid: dict[str, int | None] = {"position_lat": None, "position_long": None}
    for i, (record, row) in enumerate(zip(records, rows, strict=True)):
        for column, text in row.items():
            value = record.get(column)
            if column == "timestamp":
                local = text.replace(" PDT ", " -0700 ")
                ok = value == datetime.strptime(local, "%a %b %d %H:%M:%S %z %Y")
            elif column in ("position_lat", "position_long"):
                semicircles = None if value is None else round(value / SEMICIRCLE)
                if semicircles is not None:
                    last_valid[column] = semicircles
                ok = semicircles == (int(text) if text else None)
                if not ok and semicircles is None and last_valid[column] == int(text):
                    ok = True
                    tolerated += 1
            elif column in ("speed", "distance", "altitude"):
                ok = (value is None and text == "") or (
                    value is not None and text != "" and abs(value - float(text)) < 1e-6
                )
            else:
                expected_int = int(text) if text else None
                ok = value == expected_int
                if not ok and column == "cadence" and value is None and expected_int == 0:
                    ok = True
                    tolerated += 1
            if not ok:
                mismatches.append((i, column, value, text))
    assert mismatches == []
    assert tolerated < len(rows)


def test_compressed_speed_distance_matches_csv() -> None:
    """Compressed-timestamp records whose speed and accumulated distance come from the 3-byte
    compressed_speed_distance field. The device clock was unset, so timestamps are below
    0x10000000: relative seconds, kept as ints (columns: timestamp, bpm, m/s, m, rpm)."""
    fit = decode(FITPARSE / "compressed-speed-distance.fit")
    assert fit.problems == []
    records = fit.records
    assert records[0].fields == {"timestamp": 17217864}
    with (FITPARSE / "compressed-speed-distance-records.csv").open(newline="") as f:
        rows = list(csv.reader(f))[1:]
    assert len(records) == len(rows) + 1
    for record, (ts, hr, speed, distance, cadence) in zip(records[1:], rows, strict=True):
        assert record.get("timestamp") == int(ts)
        assert record.get("heart_rate") == int(hr)
        assert record.get("speed") == pytest.approx(float(speed))
        assert record.get("distance") == pytest.approx(float(distance))
        assert record.get("cadence") == (None if cadence == "null" else int(cadence))


def test_filtering_keeps_compressed_timestamps_right() -> None:
    path = FITPARSE / "compressed-speed-distance.fit"
    full = [m for m in decode(path).messages if m.name == "record"]
    only = decode(path, messages={"record"}).messages
    assert only == full
    assert {m.name for m in decode(path, messages={"event", "lap"}).messages} <= {"event", "lap"}


# --------------------------------------------------------------------------- real files


def test_every_real_file_decodes_with_the_peer_message_counts() -> None:
    """Counts of data messages as fitdecode 0.11 yields them (checked by bench/fit_bench.py)."""
    expected = {
        "garmin-fr935-cr.fit": 14192,
        "hrv-activity.fit": 2260,
        "activity-large-fenxi2-multisport.fit": 24266,
        "2019-02-17-062644-ELEMNT-297E-195-0.fit": 24050,
        "coros-pace-2-cycling-misaligned-fields.fit": 11293,
        "sample_mulitple_header.fit": 3023,
        "garmin-edge-500-activity.fit": 10915,
        "MonitoringFile.fit": 355,
    }
    for path in ALL_FILES:
        fit = decode(path)
        assert fit.messages, path.name
        if path.name in expected:
            assert len(fit.messages) == expected[path.name], path.name


def test_interpreter_and_generated_code_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its compile budget the decoder interprets definitions; results are identical."""
    names = ["hrv-activity.fit", "MonitoringFile.fit", "DeveloperData.fit", "nick.fit"]
    paths = [p for p in ALL_FILES if p.name in names or p.stat().st_size < 6000]
    compiled = [decode(p) for p in paths]
    generated: list[int] = []
    real_generate = fit_decode._generate

    def counting_generate(plan: Any) -> Any:
        generated.append(plan.nvals)
        return real_generate(plan)

    monkeypatch.setattr(fit_decode, "_compile_cache", {})
    monkeypatch.setattr(fit_decode, "_COMPILE_BUDGET", 0)
    monkeypatch.setattr(fit_decode, "_generate", counting_generate)
    interpreted = [decode(p) for p in paths]
    assert set(generated) <= {0}  # only field-less definitions fit a zero budget
    for a, b in zip(compiled, interpreted, strict=True):
        assert a.messages == b.messages
        assert a.problems == b.problems


def test_forerunner_935_compressed_hr_timestamps_are_monotonic() -> None:
    fit = decode(FR935)
    assert fit.problems == []
    assert len(fit.segments) == 7
    assert all(s.crc_ok and s.header_crc_ok for s in fit.segments)
    hr = fit.by_name("hr")
    assert len(hr) == 1432
    beats = [t for m in hr for t in m.get("event_time")]
    bpm = [b for m in hr for b in m.get("filtered_bpm")]
    assert len(beats) == len(bpm) == 11414
    assert all(isinstance(t, datetime) and t.tzinfo is UTC for t in beats)
    assert all(a <= b for a, b in itertools.pairwise(beats))
    # the anchor message: full timestamp + fraction, then 12-bit deltas from its event time
    assert beats[0] == datetime(2018, 3, 24, 10, 42, 8, 884766, tzinfo=UTC)
    session = fit.by_name("session")[0]
    end = session.get("start_time") + timedelta(seconds=session.get("total_elapsed_time"))
    assert beats[-1] <= end + timedelta(minutes=2)
    assert len(fit.records) == 7515


def test_edge_530_ride_has_1074_hrv_messages_in_seconds() -> None:
    fit = decode(EDGE530)
    assert fit.problems == []
    hrv = fit.by_name("hrv")
    assert len(hrv) == 1074
    assert len(fit.records) == 1072
    assert all(isinstance(m.get("time"), list) for m in hrv)
    assert hrv[0].get("time") == [0.467, 0.464, None, None, None]  # 0xFFFF -> None
    rr = fit.rr_intervals()
    assert len(rr) == 2705
    assert all(0.2 < x < 2.5 for x in rr)


def test_session_device_and_file_id_fields() -> None:
    fit = decode(FITPARSE / "2019-02-17-062644-ELEMNT-297E-195-0.fit")
    session = fit.by_name("session")[0]
    assert session.get("start_time") == datetime(2019, 2, 17, 6, 26, 44, tzinfo=UTC)
    assert session.get("avg_speed") == 5.86  # python-fitparse's test_speed
    assert session.get("total_elapsed_time") == 23595.0
    assert session.get("total_timer_time") == 13471.0
    assert session.get("total_distance") == pytest.approx(78940.55)
    assert (session.get("avg_heart_rate"), session.get("max_heart_rate")) == (124, 170)
    assert session.get("total_calories") == 1724
    assert session.get("sport") == "cycling"
    device = fit.by_name("device_info")[0]
    assert (device.get("manufacturer"), device.get("product")) == ("wahoo_fitness", 28)
    assert fit.by_name("file_id")[0].get("type") == "activity"


def test_record_units_and_enhanced_fields() -> None:
    record = decode(FITPARSE / "activity-small-fenix2-run.fit").records[5]
    assert record.get("timestamp") == datetime(2015, 8, 15, 14, 45, 14, tzinfo=UTC)
    assert record.get("position_lat") == pytest.approx(58.959172675)
    assert record.get("position_long") == pytest.approx(5.728607364)
    assert record.get("altitude") == pytest.approx(56.2)
    assert record.get("enhanced_altitude") == record.get("altitude")
    assert record.get("speed") == record.get("enhanced_speed") == 3.76
    assert record.get("power") is None
    assert record.get("unknown_14") is None


def test_units_follow_the_profile() -> None:
    assert field_units("record", "speed") == "m/s"
    assert field_units("record", "position_lat") == "deg"
    assert field_units("record", "timestamp") is None  # a datetime
    assert field_units("hrv", "time") == "s"
    assert field_units("session", "total_distance") == "m"
    assert field_units("monitoring", "steps") == "steps"
    assert field_units("session", "sport") is None
    assert field_units("nope", "nothing") is None


def test_monitoring_file() -> None:
    fit = decode(FITPARSE / "MonitoringFile.fit")
    monitoring = fit.by_name("monitoring")
    assert len(monitoring) == 337
    first = monitoring[0]
    assert first.get("timestamp_16") == 27492
    assert first.get("timestamp") == datetime(2014, 12, 27, 13, 43, tzinfo=UTC)
    walking = next(m for m in monitoring if m.get("steps"))
    assert walking.get("activity_type") == "walking"
    assert walking.get("cycles") == 50.0
    assert walking.get("steps") == 100
    assert walking.get("intensity") == 2
    times = [m.get("timestamp") for m in monitoring]
    assert all(isinstance(t, datetime) for t in times)
    info = fit.by_name("monitoring_info")[0]
    assert info.get("local_timestamp") == datetime(2014, 12, 27)  # noqa: DTZ001


def test_developer_fields_are_named_from_their_description() -> None:
    fit = decode(FITPARSE / "DeveloperData.fit")
    assert [r.get("doughnuts_earned") for r in fit.records] == [1, 2, 3]
    assert fit.units("record", "doughnuts_earned") == "doughnuts"
    big = decode(FITPARSE / "20170518-191602-1740899583.fit")
    assert big.problems == []
    named = {k for m in big.messages for k in m.fields if not k.startswith("unknown_")}
    assert not any(k.startswith("dev_unknown_") for k in named)


def test_chained_files() -> None:
    fit = decode(FITPARSE / "sample_mulitple_header.fit")
    assert len(fit.messages) == 3023  # python-fitparse's count
    assert len(fit.segments) == 4
    assert all(s.crc_ok for s in fit.segments)
    settings_fit = decode(FITPARSE / "activity-settings.fit")
    assert len(settings_fit.segments) == 2
    assert settings_fit.problems == []


def test_messages_filter_only_returns_what_was_asked() -> None:
    path = FITPARSE / "activity-large-fenxi2-multisport.fit"
    full = decode(path)
    sessions = decode(path, messages={"session", "hr"})
    assert sessions.messages == [m for m in full.messages if m.name in {"session", "hr"}]
    assert decode(path, messages=set()).messages == []
    assert decode(path, messages="session").messages == sessions.by_name("session")


# --------------------------------------------------------------------------- damaged files


def test_bad_file_crc_is_reported_with_its_offset() -> None:
    fit = decode(FITPARSE / "activity-filecrc.fit")
    assert len(fit.messages) == 22
    assert fit.segments[0].crc_ok is False
    [problem] = fit.problems
    assert problem.offset == 769  # the CRC's own offset: the file is 771 bytes
    assert "CRC" in problem.reason
    chained = decode(FITPARSE / "activity-activity-filecrc.fit")
    assert [s.crc_ok for s in chained.segments] == [True, False]
    assert [p.offset for p in chained.problems] == [1540]


def test_unexpected_eof_decodes_the_valid_part() -> None:
    fit = decode(FITPARSE / "activity-unexpected-eof.fit")
    assert len(fit.messages) == 21
    assert [(p.offset, p.message_index) for p in fit.problems] == [(0, 0), (751, 31)]
    assert "truncated" in fit.problems[1].reason


def test_corrupt_second_header_is_skipped_and_reported() -> None:
    fit = decode(FITPARSE / "activity-settings-corruptheader.fit")
    assert len(fit.messages) == 22
    [problem] = fit.problems
    assert problem.offset == 771
    assert "signature" in problem.reason


def test_second_file_without_data() -> None:
    fit = decode(FITPARSE / "activity-settings-nodata.fit")
    assert len(fit.segments) == 2
    assert [p.offset for p in fit.problems] == [771, 783]


def test_misaligned_field_falls_back_to_bytes() -> None:
    fit = decode(FITPARSE / "coros-pace-2-cycling-misaligned-fields.fit")
    assert len(fit.messages) == 11293  # python-fitparse's count
    assert fit.problems
    assert all("not a multiple" in p.reason for p in fit.problems)


def test_undefined_local_message_stops_at_its_offset() -> None:
    fit = decode(FITPARSE / "strava-android-app-201.10-b1218918.fit")
    assert len(fit.messages) == 488
    assert (fit.problems[1].offset, fit.problems[1].message_index) == (7471, 502)
    assert "undefined local message type 11" in fit.problems[1].reason


@pytest.mark.parametrize(
    "raw",
    [b"", b"hello", b"\x0e" + bytes(13), b"\x0c\x10\x00\x00\x00\x00\x00\x00.GIT", b"\x05.FIT"],
)
def test_not_a_fit_file_raises_the_one_error(raw: bytes) -> None:
    with pytest.raises(FitDecodeError) as info:
        decode(raw)
    assert info.value.offset == 0


def test_gc_is_restored() -> None:
    assert gc.isenabled()
    decode(FITPARSE / "Activity.fit")
    assert gc.isenabled()
    with pytest.raises(FitDecodeError):
        decode(b"nope")
    assert gc.isenabled()


# --------------------------------------------------------------------------- hand-built files


def test_invalid_values_big_endian_strings_and_unknowns() -> None:
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    fields = [(253, 4, 0x86), (3, 1, 0x02), (5, 4, 0x86), (0, 4, 0x85), (200, 2, 0x84)]
    payload = struct.pack(">IBIiH", ts_raw(when), 0xFF, 0xFFFFFFFF, 0x7FFFFFFF, 7)
    names = [(253, 4, 0x86), (2, 8, 0x07)]  # device_info.timestamp + serial... as a string
    records = (
        definition(0, RECORD, fields, big=True)
        + data(0, payload)
        + definition(1, 0xFF42, [(1, 6, 0x07), (2, 1, 0x0A)])
        + data(1, b"hi\0\0\0\0" + b"\0")
        + definition(2, 23, names)
        + data(2, struct.pack("<I", ts_raw(when)) + b"ab\0cdefg")
    )
    fit = decode(fit_bytes(records))
    assert fit.problems == []
    record, unknown, device = fit.messages
    assert record.fields == {
        "timestamp": when,
        "heart_rate": None,
        "distance": None,
        "position_lat": None,
        "unknown_200": 7,
    }
    assert unknown.name == "unknown_65346"
    assert unknown.fields == {"unknown_1": "hi", "unknown_2": None}  # uint8z 0 is invalid
    assert device.get("timestamp") == when


def test_compressed_timestamps_roll_over() -> None:
    base = ts_raw(datetime(2024, 5, 1, tzinfo=UTC)) // 32 * 32 + 30  # low 5 bits = 30
    records = (
        definition(0, RECORD, [(253, 4, 0x86), (3, 1, 0x02)])
        + definition(1, RECORD, [(3, 1, 0x02)])
        + data(0, struct.pack("<IB", base, 60))
        + compressed(1, 31, bytes([61]))  # +1
        + compressed(1, 2, bytes([62]))  # rolls over: +3
        + compressed(1, 2, bytes([63]))  # same offset: +0
    )
    fit = decode(fit_bytes(records))
    stamps = [ts_raw(m.get("timestamp")) - base for m in fit.messages]
    assert stamps == [0, 1, 4, 4]
    assert [m.get("heart_rate") for m in fit.messages] == [60, 61, 62, 63]
    # a filter that drops the full-timestamp message still tracks the time
    again = decode(fit_bytes(records), messages={"event"})
    assert again.messages == []


def test_hrv_arrays_and_developer_fields() -> None:
    records = (
        definition(0, 78, [(0, 10, 0x84)])
        + data(0, struct.pack("<5H", 812, 790, 0xFFFF, 0xFFFF, 0xFFFF))
        + data(0, struct.pack("<5H", *[0xFFFF] * 5))
        + definition(1, 207, [(3, 1, 0x02)])
        + data(1, b"\x00")
        + definition(2, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 8, 0x07), (6, 1, 2)])
        + data(2, bytes([0, 7, 0x84]) + b"effort\0\0" + bytes([10]))
        + definition(3, RECORD, [(3, 1, 0x02)], dev=[(7, 2, 0), (8, 1, 0)])
        + data(3, bytes([99]) + struct.pack("<H", 123) + b"\x05")
    )
    fit = decode(fit_bytes(records))
    assert fit.problems == []
    assert [m.name for m in fit.messages] == [
        "hrv",
        "hrv",
        "developer_data_id",
        "field_description",
        "record",
    ]
    first, empty, _, _, record = fit.messages
    assert first.get("time") == [0.812, 0.79, None, None, None]
    assert empty.get("time") is None
    assert fit.rr_intervals() == [0.812, 0.79]
    assert record.fields == {"heart_rate": 99, "effort": 12.3, "dev_unknown_8": 5}


def test_header_problems_and_trailing_garbage() -> None:
    body = definition(0, RECORD, [(3, 1, 0x02)]) + data(0, b"\x50")
    fit = decode(fit_bytes(body, bad_header_crc=True) + b"\0\0junk")
    assert [m.get("heart_rate") for m in fit.messages] == [80]
    assert fit.segments[0].header_crc_ok is False
    assert [p.offset for p in fit.problems] == [0, 14 + len(body) + 2]
    twelve = decode(fit_bytes(body, header_size=12))
    assert twelve.problems == [] and twelve.segments[0].header_crc_ok is None
    no_size = decode(fit_bytes(body, data_size=0, with_crc=False))
    assert [m.get("heart_rate") for m in no_size.messages] == [80]
    assert "no data size" in no_size.problems[0].reason


def test_undefined_local_type_and_bad_architecture() -> None:
    body = definition(0, RECORD, [(3, 1, 0x02)]) + data(0, b"\x50") + data(5, b"\x51")
    fit = decode(fit_bytes(body))
    assert [m.get("heart_rate") for m in fit.messages] == [80]
    problem = fit.problems[0]
    assert (problem.offset, problem.message_index) == (14 + 9 + 2, 2)
    weird = bytearray(definition(0, RECORD, [(3, 1, 0x02)]))
    weird[2] = 7
    fit = decode(fit_bytes(bytes(weird)))
    assert "architecture" in fit.problems[0].reason
    assert fit.messages == []


def test_crc16_numpy_path_matches_the_reference() -> None:
    data_ = random.Random(4).randbytes(70001)
    expected = fit_decode._crc16_py(data_)
    assert crc16(data_) == expected
    assert crc16(data_[10:], fit_decode._crc16_py(data_[:10])) == expected


def test_paths_bytes_and_memoryviews_agree() -> None:
    path = FITPARSE / "Activity.fit"
    raw = path.read_bytes()
    a, b, c = decode(path), decode(raw), decode(memoryview(bytearray(raw)))
    assert a.messages == b.messages == c.messages
    assert decode(os.fspath(path)).messages == a.messages


# --------------------------------------------------------------------------- never crashes

SMALL_FILES = [p.read_bytes() for p in ALL_FILES if p.stat().st_size < 8000] or [b"\x0e"]


def _decode_or_fit_error(raw: bytes) -> FitFile | None:
    try:
        fit = decode(raw)
    except FitDecodeError as exc:
        error = exc
    else:
        for p in fit.problems:
            assert 0 <= p.offset <= len(raw)
            assert p.message_index >= 0
        return fit
    assert 0 <= error.offset <= len(raw)
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_fit_decode_error(raw: bytes) -> None:
    _decode_or_fit_error(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.integers(0, 0xFFFF_FFFF), st.sampled_from([12, 14]))
def test_random_data_behind_a_valid_header(body: bytes, size: int, header_size: int) -> None:
    header = struct.pack("<BBHI4s", header_size, 0x20, 2132, size, b".FIT")
    if header_size == 14:
        header += struct.pack("<H", crc16(header))
    assert _decode_or_fit_error(header + body) is not None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, len(SMALL_FILES) - 1),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12),
    st.integers(0, 1 << 20),
    st.booleans(),
    st.binary(max_size=40),
)
def test_mutated_real_files_raise_only_fit_decode_error(
    which: int,
    flips: list[tuple[int, int]],
    cut: int,
    truncate: bool,
    insert: bytes,
) -> None:
    raw = bytearray(SMALL_FILES[which])
    for position, value in flips:
        raw[position % len(raw)] = value
    if insert:
        at = cut % (len(raw) + 1)
        raw[at:at] = insert
    if truncate:
        del raw[cut % (len(raw) + 1) :]
    _decode_or_fit_error(bytes(raw))
