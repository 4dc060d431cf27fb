from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain import SampleKind
from pacekeeper.importers import detect, import_paths
from pacekeeper.importers.csv_generic import GenericCsv

LONG = """date,time,metric,value,unit,source
2026-03-10,,fatigue,6,,
2026-03-10,,Brain fog,4,,
,2026-03-10T09:00:00+01:00,heart_rate,72,bpm,Polar H10
,2026-03-10T09:01:00,heart_rate,75,count/min,Polar H10
2026-03-10,,distance,2.5,km,Phone
2026-03-10,,caffeine,2,cups,
2026-03-11,,fatigue,11,,
2026-03-11,,steps,lots,,
"""

WIDE = "date;fatigue;pain;steps;hours_upright\n2026-03-12;5;;3200;4.5\n2026-03-13;;2;;\n"


def test_long_layout(db, clock, make_profile, write):
    pid = make_profile(db, clock)
    path = write("my-app.csv", LONG)
    assert isinstance(detect(path), GenericCsv)
    (report,) = import_paths(db, pid, [path], now=clock.now())
    assert report.added == {"answers": 3, "samples": 3}
    assert [str(s) for s in report.skipped] == [
        "line 8: fatigue: must be from 0 to 10; 11 is out of range",
        "line 9: steps: 'lots' is not a number",
    ]
    assert report.new_trackers == ["caffeine"]
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        got = checkins_db.get_checkin(s, p, date(2026, 3, 10))
        assert got is not None and got.values == {"fatigue": 6, "brain_fog": 4, "caffeine": 2}
        t0 = datetime(2026, 3, 10, tzinfo=UTC)
        hr = samples_db.samples_between(s, p, SampleKind.HEART_RATE, t0, t0 + timedelta(days=1))
        # A time without an offset is the person's local time (Oslo, UTC+1 in March).
        assert [(x.start, x.value, x.source) for x in hr] == [
            (datetime(2026, 3, 10, 8, 0, tzinfo=UTC), 72, "Polar H10"),
            (datetime(2026, 3, 10, 8, 1, tzinfo=UTC), 75, "Polar H10"),
        ]
        (dist,) = samples_db.samples_between(s, p, SampleKind.DISTANCE, t0, t0 + timedelta(days=1))
        assert (dist.value, dist.unit) == (2500, "m")


def test_wide_layout_with_semicolons_and_blank_cells(db, clock, make_profile, write):
    pid = make_profile(db, clock)
    (report,) = import_paths(db, pid, [write("daily.csv", WIDE)], now=clock.now())
    assert report.added == {"answers": 3, "samples": 1}
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert checkins_db.get_checkin(s, p, date(2026, 3, 12)).values == {
            "fatigue": 5,
            "hours_upright": 4.5,
        }
        assert checkins_db.get_checkin(s, p, date(2026, 3, 13)).values == {"pain": 2}
    (again,) = import_paths(db, pid, [write("daily.csv", WIDE)], now=clock.now())
    assert sum(again.added.values()) == 0


def test_unknown_units_and_bad_times_are_skipped_not_guessed(db, clock, make_profile, write):
    pid = make_profile(db, clock)
    text = (
        "time,metric,value,unit\n2026-03-10T09:00,heart_rate,70,mmHg\nyesterday,heart_rate,70,bpm\n"
    )
    (report,) = import_paths(db, pid, [write("x.csv", text)], now=clock.now())
    assert [str(s) for s in report.skipped] == [
        "line 2: heart_rate: unit 'mmHg' is not 'bpm'",
        "line 3: time/date is not ISO 8601 (like 2026-03-15T09:30)",
    ]
    assert sum(report.added.values()) == 0


def test_a_days_value_keeps_the_offset_the_person_lived_in(db, clock, make_profile, write):
    """Oslo is UTC+1 in winter and UTC+2 in summer: a day's total starts at the day boundary
    (04:00 local) and is stored with that day's offset, like the records around it."""
    pid = make_profile(db, clock)
    rows = "date,metric,value\n2026-01-15,steps,4100\n2026-07-15,steps,5200\n"
    (report,) = import_paths(db, pid, [write("days.csv", rows)], now=clock.now())
    assert report.added == {"samples": 2}
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        t0, t1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC)
        got = samples_db.samples_between(s, p, SampleKind.STEPS, t0, t1)
    assert [(x.start, x.utc_offset_minutes) for x in got] == [
        (datetime(2026, 1, 15, 3, 0, tzinfo=UTC), 60),
        (datetime(2026, 7, 15, 2, 0, tzinfo=UTC), 120),
    ]
