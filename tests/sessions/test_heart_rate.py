"""The Heart Rate Measurement parser on byte payloads (the same ones the browser test uses)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pacekeeper.domain.samples import SampleKind
from pacekeeper.sessions import (
    HeartRatePayloadError,
    SensorContact,
    heart_rate_samples,
    parse_measurement,
    read_payload_log,
)
from tests.sessions.rr_payloads import notifications, real_beats

HERE = Path(__file__).parent
PAYLOADS = json.loads((HERE / "payloads.json").read_text())


@pytest.mark.parametrize("case", PAYLOADS["ok"], ids=lambda c: c["name"])
def test_valid_payloads_decode_per_the_spec(case):
    m = parse_measurement(bytes(case["bytes"]))
    assert m.bpm == case["bpm"]
    assert m.contact.value == case["contact"]
    assert m.energy_kj == case["energy_kj"]
    assert list(m.rr_1024) == case["rr_1024"]


@pytest.mark.parametrize("case", PAYLOADS["bad"], ids=lambda c: c["name"])
def test_malformed_payloads_raise_a_clear_error(case):
    with pytest.raises(HeartRatePayloadError) as exc:
        parse_measurement(bytes(case["bytes"]), where="strap")
    assert exc.value.message == f"strap: {case['error']}"


def test_rr_intervals_are_in_1024ths_of_a_second():
    m = parse_measurement(bytes([0x10, 80, 0x00, 0x04, 0x00, 0x02]))
    assert m.rr_ms == (1000.0, 500.0)


def test_anything_but_bytes_is_refused_without_a_crash():
    with pytest.raises(HeartRatePayloadError, match="not a sequence of bytes"):
        parse_measurement([0, 300])
    with pytest.raises(HeartRatePayloadError, match="not a sequence of bytes"):
        parse_measurement(["x"])  # type: ignore[list-item]


def test_a_recorded_log_becomes_heart_rate_samples_without_the_no_contact_reading():
    logged = list(read_payload_log(HERE / "hr_log_sample.txt"))
    assert [x.measurement.bpm for x in logged] == [74, 76, 0, 90]
    assert logged[2].measurement.contact is SensorContact.LOST
    samples = list(heart_rate_samples(logged))
    assert [s.value for s in samples] == [74.0, 76.0, 90.0]
    assert samples[0].kind is SampleKind.HEART_RATE
    assert samples[0].start == datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
    assert samples[0].start.utcoffset() is not None and samples[0].source == "ble"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("yesterday 06 5a", "'yesterday' is not an ISO time"),
        ("2026-03-15T10:00:00 06 5a", "has no UTC offset"),
        ("2026-03-15T10:00:00Z 06 5g", "the payload is not hex bytes"),
        ("2026-03-15T10:00:00Z 01 5a", "UINT16 heart rate at byte 1 is cut off"),
    ],
)
def test_a_bad_log_line_names_file_and_line(tmp_path, line, reason):
    log = tmp_path / "hr.log"
    log.write_text(f"# header\n2026-03-15T09:59:59Z 06 5a\n{line}\n")
    with pytest.raises(HeartRatePayloadError) as exc:
        list(read_payload_log(log))
    assert exc.value.message.startswith(f"{log}: line 3")
    assert reason in exc.value.message


def test_a_day_of_real_beats_survives_the_strap_encoding():
    sent = notifications(real_beats())
    assert len(sent) > 50_000  # about one notification a second for most of a day
    for payload, ibis in sent:
        m = parse_measurement(payload)
        assert m.contact is SensorContact.OK and m.energy_kj is None
        assert len(m.rr_1024) == len(ibis)
        # 1/1024 s units: each interval comes back within half a unit (about 0.5 ms).
        assert all(
            abs(ms / 1000 - ibi) <= 0.5 / 1024 for ms, ibi in zip(m.rr_ms, ibis, strict=True)
        )
