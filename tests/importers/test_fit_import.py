"""Importing FIT files (the decoder itself is tested in test_fit_decode.py), on real files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers import import_paths
from pacekeeper.importers.fit_decode import decode

FIT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "fit"
RUN = FIT / "fitdecode" / "garmin-fr935-cr.fit"


def test_an_activity_file_gives_its_session_and_heart_rate(db, clock, make_profile):
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [RUN], now=clock.now())
    fit = decode(RUN)
    (session,) = fit.by_name("session")
    with_hr = [m for m in fit.records if (m.get("heart_rate") or 0) > 0]
    assert report.format == "fit" and report.sources == {"Garmin (FIT)"}
    assert report.added["activities"] == 1
    assert report.added["samples"] == len({m.get("timestamp") for m in with_hr})
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        start = session.get("start_time")
        (a,) = entries_db.activities_between(s, p, start, start + timedelta(seconds=1))
        assert a.source == "Garmin (FIT)" and a.physical == 3  # a run
        assert a.minutes == round(session.get("total_timer_time") / 60)
        hr = samples_db.samples_between(
            s, p, SampleKind.HEART_RATE, start, start + timedelta(hours=3)
        )
        assert max(x.value for x in hr) == session.get("max_heart_rate")
    (again,) = import_paths(db, pid, [RUN], now=clock.now())
    assert sum(again.added.values()) == 0


def test_a_folder_of_fit_files_is_one_import_and_damage_is_reported(db, clock, make_profile):
    pid = make_profile(db, clock)
    reports = import_paths(db, pid, [FIT], now=clock.now())
    fits = [r for r in reports if r.format == "fit"]
    assert len(fits) >= 40
    assert any(r.format == "not read" and r.path.endswith(".csv") for r in reports)
    by_file = {Path(r.path).name: r for r in fits}
    bad_crc = [str(s) for s in by_file["activity-filecrc.fit"].skipped]
    assert "byte 769: message 32: file CRC 0xB1D5 does not match the data" in bad_crc
    # The valid part imports; its session also sits in a chained copy read just before it.
    crc = by_file["activity-filecrc.fit"]
    assert crc.added["activities"] + crc.duplicates["activities"] == 1
    assert sum(r.added["activities"] for r in fits) >= 30


def test_a_named_file_that_is_not_fit_is_refused(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock)
    fake = tmp_path / "ride.fit"
    fake.write_bytes(b"\x0e\x10" + b"\x00" * 6 + b".FIX" + b"\x00" * 20)
    with pytest.raises(ImportFileError, match=r"ride\.fit: is not a format"):
        import_paths(db, pid, [fake], now=clock.now())
