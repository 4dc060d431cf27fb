"""FIT content beyond sessions and records: RR intervals, monitoring steps, sleep, HRV status."""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db.samples import SampleData
from pacekeeper.domain import SampleKind
from pacekeeper.importers.fit_daily import monitoring_steps
from pacekeeper.importers.fit_decode import FitMessage, decode
from pacekeeper.importers.fit_hrv import rr_minutes
from tests.importers.reading import mutate, natural_keys_unique, read_all, read_or_refused, samples
from tests.importers.test_fit_decode import data, definition, fit_bytes, ts_raw

FIT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "fit"
EDGE530 = FIT / "fitparse-rs" / "hrv-activity.fit"
VIVOFIT = FIT / "python-fitparse" / "MonitoringFile.fit"
UINT8, UINT16, UINT32 = 0x02, 0x84, 0x86
NIGHT = datetime(2026, 3, 10, 22, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not FIT.is_dir(), reason="../shared/data/fit is missing")


def test_rr_intervals_become_one_rmssd_per_minute():
    report, records = read_all(EDGE530)
    assert not report.skipped and natural_keys_unique(records)
    fit = decode(EDGE530)
    rmssd = samples(records, SampleKind.HRV_RMSSD)
    # An 18-minute ride: one value per minute with enough beats.
    assert 15 <= len(rmssd) <= 19
    assert all(x.extra["window_s"] == 60 and x.extra["rr_count"] >= 10 for x in rmssd)
    # Every valid interval (0.3-2 s) is counted in exactly one minute.
    valid = [rr for rr in fit.rr_intervals() if 0.3 <= rr <= 2.0]
    counted = sum(m.rr_count for m in rr_minutes(fit.messages))
    assert counted <= len(valid) and counted >= len(valid) - 200  # sparse minutes dropped
    # The value is the RMSSD of that minute's successive differences, recomputed by hand.
    first = rmssd[1]
    beats, clock_s = [], fit.records[0].get("timestamp").timestamp()
    for rr in fit.rr_intervals():
        clock_s += rr
        if first.start.timestamp() <= clock_s < first.start.timestamp() + 60:
            beats.append(rr)
    # Artefacts (a missed beat doubles an interval) are left out: jumps over 20% of the last.
    pairs = pairwise(beats)
    diffs = [(b - a) ** 2 for a, b in pairs if abs(b - a) <= 0.2 * a]
    assert first.value == pytest.approx(math.sqrt(sum(diffs) / len(diffs)) * 1000, abs=0.3)


def test_monitoring_step_counts_become_intervals_that_add_up():
    report, records = read_all(VIVOFIT)
    # The counts are cumulative per activity type: the day's total is the last of each type.
    last: dict[str, int] = {}
    for m in decode(VIVOFIT).by_name("monitoring"):
        if m.get("steps") is not None:
            last[m.get("activity_type")] = m.get("steps")
    steps = samples(records, SampleKind.STEPS)
    assert sum(x.value for x in steps) == sum(last.values()) == 3173
    assert all(x.end is not None and x.end > x.start for x in steps)
    assert natural_keys_unique(records) and not report.skipped
    # Shown in the profile's zone, same instant.
    assert steps[0].start.tzinfo is not None and steps[0].start.utcoffset() == timedelta(0)


def test_a_count_that_drops_starts_a_new_day():
    t0 = datetime(2026, 3, 10, 12, tzinfo=UTC)

    def mon(minutes: int, steps: int) -> FitMessage:
        fields = {"timestamp": t0 + timedelta(minutes=minutes), "steps": steps}
        return FitMessage("monitoring", 55, fields | {"activity_type": "walking"}, 0)

    out = list(monitoring_steps([mon(0, 500), mon(30, 800), mon(60, 40)], "w"))
    assert [x.value for x in out] == [300.0, 40.0]


def daily_monitoring_file() -> bytes:
    """A hand-built overnight file: sleep levels, stress, HRV status and 5-minute HRV."""
    body = definition(0, 275, [(253, 4, UINT32), (0, 1, UINT8)])  # sleep_level
    for minutes, level in [(0, 1), (10, 2), (70, 3), (130, 4), (160, 0), (170, 2), (400, 1)]:
        body += data(0, struct.pack("<IB", ts_raw(NIGHT + timedelta(minutes=minutes)), level))
    body += definition(1, 227, [(0, 2, UINT16), (1, 4, UINT32)])  # stress_level
    body += data(1, struct.pack("<hI", 25, ts_raw(NIGHT)))
    body += definition(2, 371, [(253, 4, UINT32), (0, 2, UINT16)])  # hrv_value, ms * 128
    for i, ms in enumerate([38.5, 41.0, 0xFFFF / 128]):  # the last is "invalid"
        body += data(2, struct.pack("<IH", ts_raw(NIGHT + timedelta(minutes=5 * i)), int(ms * 128)))
    summary = [(253, 4, UINT32), (0, 2, UINT16), (1, 2, UINT16), (6, 1, 0x00)]
    body += definition(3, 370, summary)  # hrv_status_summary
    wake = NIGHT + timedelta(hours=8)
    body += data(3, struct.pack("<IHHB", ts_raw(wake), 45 * 128, 40 * 128, 4))
    return fit_bytes(body)


def test_sleep_stress_and_overnight_hrv_from_a_monitoring_file(tmp_path):
    path = tmp_path / "night.fit"
    path.write_bytes(daily_monitoring_file())
    report, records = read_all(path, tz="Europe/Berlin")
    assert report.format == "fit" and not report.skipped, report.summary()
    assert natural_keys_unique(records)

    def between(kind):
        return samples(records, kind)

    deep = between(SampleKind.SLEEP_DEEP)
    assert deep[0].start.utcoffset() == timedelta(hours=1)  # in the profile's zone
    assert [(x.value, x.end - x.start) for x in deep] == [(60.0, timedelta(minutes=60))]
    light = between(SampleKind.SLEEP_LIGHT)
    assert sorted(x.value for x in light) == [60.0, 230.0]
    assert [x.value for x in between(SampleKind.SLEEP_REM)] == [30.0]
    # "unmeasurable" (level 0) is not sleep; the final "awake" has no end and is not stored.
    assert [x.value for x in between(SampleKind.SLEEP_AWAKE)] == [10.0]
    assert [x.value for x in between(SampleKind.STRESS)] == [25.0]
    hrv = between(SampleKind.HRV_RMSSD)
    assert sorted(x.value for x in hrv) == [38.5, 40.0, 41.0]
    (night,) = [x for x in hrv if x.extra.get("daily")]
    assert night.extra["status"] == "balanced" and night.extra["weekly_average"] == 45.0


SEEDS = [daily_monitoring_file(), VIVOFIT.read_bytes()[:3000], EDGE530.read_bytes()[:6000]]


@st.composite
def damaged_fit(draw: st.DrawFn) -> bytes:
    # Keep the 12-byte header: the messages are the point.
    return mutate(draw, draw(st.sampled_from(SEEDS)), edits=12, keep=12)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged_fit())
def test_damaged_fit_files_import_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "damaged.fit"
    path.write_bytes(data)
    if (read := read_or_refused(path)) is None:
        return
    report, records = read
    assert natural_keys_unique(records)
    assert all(s.where.startswith(("byte ", "file")) for s in report.skipped)
    for r in records:
        if isinstance(r, SampleData):
            assert r.start.tzinfo is not None and math.isfinite(r.value)
            assert r.end is None or r.end > r.start
