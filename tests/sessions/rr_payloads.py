"""Heart Rate Measurement payloads built from a real beat-to-beat recording (MMASH user 1, a
Polar chest strap, ~24 h), shaped as a strap sends them: one notification per second with the
beats that ended in it, flags 0x16 (contact, RR present)."""

from __future__ import annotations

import csv
from itertools import groupby
from pathlib import Path

RR_CSV = Path("../shared/data/mmash/DataPaper/user_1/RR.csv")


def real_beats() -> list[tuple[str, float]]:
    """(day and time stamp, interval in seconds) for every beat in the recording."""
    with RR_CSV.open(newline="") as f:
        return [(f"{r['day']} {r['time']}", float(r["ibi_s"])) for r in csv.DictReader(f)]


def notifications(beats: list[tuple[str, float]]) -> list[tuple[bytes, list[float]]]:
    """(payload, the real intervals it carries); at most 9 RR values fit a 23-byte ATT MTU."""
    out = []
    for _, group in groupby(beats, key=lambda b: b[0]):
        ibis = [ibi for _, ibi in group][:9]
        bpm = min(255, round(60 / (sum(ibis) / len(ibis))))
        payload = bytearray([0x16, bpm])
        for ibi in ibis:
            units = round(ibi * 1024)
            payload += bytes([units & 0xFF, units >> 8])
        out.append((bytes(payload), ibis))
    return out
