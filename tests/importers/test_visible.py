from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain import SampleKind
from pacekeeper.importers import detect, import_paths
from pacekeeper.importers.visible import VisibleCsv
from tests.importers.conftest import VISIBLE


def answers(db, pid, day):
    with db.read() as s:
        got = checkins_db.get_checkin(s, profiles_db.get_profile(s, pid), day)
        return got


def test_detected_from_content_not_name(write):
    assert isinstance(detect(write("export (3).txt", VISIBLE)), VisibleCsv)


def test_visible_maps_onto_pacekeeper_trackers(db, clock, make_profile, write):
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [write("visible.csv", VISIBLE)], now=clock.now())
    assert report.format == "visible" and report.sources == {"Visible"}
    assert (report.first_day, report.last_day) == (date(2026, 3, 1), date(2026, 3, 12))
    assert report.skipped == []
    d10 = answers(db, pid, date(2026, 3, 10))
    assert d10 is not None
    # 0-3 ratings scaled onto 0-10: 0, 3, 7, 10.
    assert d10.values["fatigue"] == 7 and d10.values["brain_fog"] == 3 and d10.values["crash"] == 0
    assert d10.values["muscle_aches"] == 3  # kept as a custom tracker on Visible's own 0-3
    assert d10.values["physically_active"] == 2
    assert d10.values["stability_score"] == 3
    assert d10.note == "Walked to the shop, then rested"
    assert answers(db, pid, date(2026, 3, 11)).values["crash"] == 1
    assert answers(db, pid, date(2026, 3, 12)).values["period"] == 1
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        defs = {t.key: t for t in profiles_db.trackers(p)}
        assert (defs["muscle_aches"].min_value, defs["muscle_aches"].max_value) == (0, 3)
        assert defs["muscle_aches"].is_symptom
        assert not defs["physically_active"].is_symptom  # exertion is load, not a symptom
        assert defs["period"].kind.value == "yes_no"
        funcap = [t for t in defs.values() if t.key.startswith("funcap")]
        assert len(funcap) == 1 and not funcap[0].is_symptom
        day = datetime(2026, 3, 9, tzinfo=UTC)
        rhr = samples_db.samples_between(
            s, p, SampleKind.RESTING_HEART_RATE, day, day + timedelta(days=3)
        )
        assert [(x.value, x.source) for x in rhr] == [(66, "Visible")]
        # A morning measurement: 08:00 after the 04:00 day start, in Oslo.
        assert rhr[0].start == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def test_reimport_adds_nothing_and_renamed_trackers_land_on_the_same_key(
    db, clock, make_profile, write
):
    pid = make_profile(db, clock)
    import_paths(db, pid, [write("a.csv", VISIBLE)], now=clock.now())
    (again,) = import_paths(db, pid, [write("a.csv", VISIBLE)], now=clock.now())
    assert sum(again.added.values()) == 0
    assert again.duplicates["answers"] == 13 and again.duplicates["samples"] == 2
    assert again.new_trackers == []
    renamed = VISIBLE.replace("Brain Fog", "BrainFog").replace("Muscle aches", "Muscle Pain")
    (third,) = import_paths(db, pid, [write("b.csv", renamed)], now=clock.now())
    assert third.new_trackers == [] and sum(third.added.values()) == 0


def test_what_the_person_entered_is_never_overwritten(db, clock, make_profile, write):
    pid = make_profile(db, clock)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        from pacekeeper.domain import parse_checkin

        data = parse_checkin(
            {"day": "2026-03-10", "fatigue": "4", "note": "mine"},
            profiles_db.trackers(p),
            date(2026, 3, 15),
        )
        checkins_db.save_checkin(s, p, data, clock.now())
    (report,) = import_paths(db, pid, [write("v.csv", VISIBLE)], now=clock.now())
    assert report.kept_existing == 1
    got = answers(db, pid, date(2026, 3, 10))
    assert got.values["fatigue"] == 4  # the person's own answer
    assert got.values["brain_fog"] == 3  # the import filled in what was missing
    assert got.note == "mine\nWalked to the shop, then rested"


def test_damaged_rows_are_skipped_with_their_line(db, clock, make_profile, write):
    pid = make_profile(db, clock)
    bad = (
        VISIBLE
        + "2026-03-13,Fatigue,Symptom,9\nnot-a-date,Fatigue,Symptom,1\n2026-03-13,Pain,Symptom,lots\n2026-03-14,Fatigue\n"
    )
    (report,) = import_paths(db, pid, [write("v.csv", bad)], now=clock.now())
    skipped = [str(x) for x in report.skipped]
    assert skipped == [
        "line 18: fatigue: 9 is outside Visible's 0-3",
        "line 19: observation_date 'not-a-date' is not a date",
        "line 20: Pain: 'lots' is not a number",
        "line 21: has 2 cells; the header has 4",
    ]
    assert report.added["answers"] == 13


def test_missing_columns_refuse_the_file(db, clock, make_profile, write):
    from pacekeeper.errors import ImportFileError

    pid = make_profile(db, clock)
    path = write("v.csv", "observation_date,tracker_name,observation_value\n2026-03-10,Fatigue,2\n")
    with pytest.raises(ImportFileError, match="missing column"):
        import_paths(db, pid, [path], now=clock.now())
