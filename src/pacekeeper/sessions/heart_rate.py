"""The Bluetooth Heart Rate Measurement characteristic (GATT 0x2A37), decoded from its bytes.

Layout, per the Bluetooth SIG Heart Rate Service 1.0 (2011, section 3.1) and the GATT
Specification Supplement ("Heart Rate Measurement"); all multi-byte fields are little-endian:

    byte 0     flags  bit 0    value format: 0 = UINT8 bpm, 1 = UINT16 bpm
                      bits 1-2 sensor contact: 0 or 1 = not supported, 2 = supported but no
                               contact, 3 = supported and in contact
                      bit 3    Energy Expended present (UINT16, kilojoules)
                      bit 4    RR-Interval present (UINT16 each, units of 1/1024 s)
                      bits 5-7 reserved for future use: ignored
    then       heart rate (1 or 2 bytes), energy expended (2 bytes, if flagged),
               RR intervals (every remaining pair of bytes, if flagged; one notification can
               carry several beats).

The browser has the same parser in web/static/js/hr.js; tests feed both the same payloads.
This module also reads logs of recorded payloads (one `<ISO time> <hex bytes>` per line).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import PacekeeperError
from pacekeeper.store import SampleData

RR_UNITS_PER_SECOND = 1024


class HeartRatePayloadError(PacekeeperError):
    """A payload that does not follow the characteristic's layout; says which byte and why."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class SensorContact(StrEnum):
    UNSUPPORTED = "unsupported"  # the strap cannot tell: not the same as "off the skin"
    LOST = "lost"
    OK = "ok"


@dataclass(frozen=True)
class HeartRateMeasurement:
    bpm: int
    contact: SensorContact
    energy_kj: int | None  # cumulative since the sensor's last reset
    rr_1024: tuple[int, ...]  # beat-to-beat intervals as sent, in 1/1024 s

    @property
    def rr_ms(self) -> tuple[float, ...]:
        return tuple(r * 1000 / RR_UNITS_PER_SECOND for r in self.rr_1024)


def _u16(data: bytes, at: int) -> int:
    return data[at] | (data[at + 1] << 8)


def parse_measurement(
    data: bytes | bytearray | Iterable[int], where: str = "payload"
) -> HeartRateMeasurement:
    """Decode one notification; raises HeartRatePayloadError for an empty, short or odd one."""
    try:
        raw = bytes(data)
    except (TypeError, ValueError) as exc:
        raise HeartRatePayloadError(where, "is not a sequence of bytes 0-255") from exc
    if not raw:
        raise HeartRatePayloadError(where, "is empty; the flags byte is missing")
    flags = raw[0]
    wide = bool(flags & 0x01)
    contact_bits = (flags >> 1) & 0x03
    contact = {2: SensorContact.LOST, 3: SensorContact.OK}.get(
        contact_bits, SensorContact.UNSUPPORTED
    )
    at = 1
    need = 2 if wide else 1
    if len(raw) < at + need:
        kind = "UINT16" if wide else "UINT8"
        raise HeartRatePayloadError(
            where, f"is {len(raw)} bytes; the {kind} heart rate at byte {at} is cut off"
        )
    bpm = _u16(raw, at) if wide else raw[at]
    at += need
    energy = None
    if flags & 0x08:
        if len(raw) < at + 2:
            raise HeartRatePayloadError(
                where, f"is {len(raw)} bytes; energy expended at byte {at} is cut off"
            )
        energy = _u16(raw, at)
        at += 2
    rr: list[int] = []
    if flags & 0x10:
        rest = len(raw) - at
        if rest % 2:
            raise HeartRatePayloadError(
                where, f"has an odd byte at {len(raw) - 1} after the RR intervals from byte {at}"
            )
        rr = [_u16(raw, i) for i in range(at, len(raw), 2)]
    elif len(raw) > at:
        # Trailing bytes with no flag to explain them: the flags or the length are wrong.
        raise HeartRatePayloadError(
            where, f"has {len(raw) - at} unexplained byte(s) from byte {at}"
        )
    return HeartRateMeasurement(bpm, contact, energy, tuple(rr))


@dataclass(frozen=True)
class LoggedMeasurement:
    at: datetime  # aware
    measurement: HeartRateMeasurement


def read_payload_log(path: Path) -> Iterator[LoggedMeasurement]:
    """Recorded notifications, one per line: an aware ISO time, then the bytes in hex (spaces
    allowed). Blank lines and lines starting with # are skipped. Errors name file and line."""
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            where = f"{path}: line {number}"
            stamp, _, hex_part = text.partition(" ")
            try:
                at = datetime.fromisoformat(stamp)
            except ValueError as exc:
                raise HeartRatePayloadError(where, f"{stamp!r} is not an ISO time") from exc
            if at.utcoffset() is None:
                raise HeartRatePayloadError(where, f"{stamp!r} has no UTC offset")
            try:
                data = bytes.fromhex(hex_part)
            except ValueError as exc:
                raise HeartRatePayloadError(where, "the payload is not hex bytes") from exc
            yield LoggedMeasurement(at, parse_measurement(data, where))


def heart_rate_samples(
    logged: Iterable[LoggedMeasurement], source: str = "ble"
) -> Iterator[SampleData]:
    """Heart-rate samples for the store; readings taken without skin contact are dropped."""
    for item in logged:
        m = item.measurement
        if m.contact is SensorContact.LOST or m.bpm == 0:
            continue
        yield SampleData(SampleKind.HEART_RATE, item.at, float(m.bpm), source)
