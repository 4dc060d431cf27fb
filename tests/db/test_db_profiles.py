"""Profiles and their trackers, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Activity, CheckIn, CheckInValue, Profile, Rest, SamplePart, Tracker
from pacekeeper.domain import (
    BUILTIN_TRACKERS,
    CeilingMethod,
    Condition,
    SampleKind,
    TrackerKind,
    parse_activity,
    parse_checkin,
    parse_profile,
    parse_rest,
)
from pacekeeper.domain.trackers import parse_custom_tracker
from pacekeeper.errors import NotFoundError, ValidationError

TODAY = date(2026, 3, 15)


def keys(db: Database, pid: int, *, enabled_only: bool = False) -> list[str]:
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        return [t.key for t in profiles_db.trackers(p, enabled_only=enabled_only)]


# -- profiles ---------------------------------------------------------------------------------


def test_create_round_trips_every_field(db: Database, clock: FixedClock) -> None:
    data = parse_profile(
        {
            "name": "Ann",
            "conditions": ["me_cfs", "long_covid"],
            "birth_year": 1990,
            "sex": "female",
            "resting_hr": 58,
            "hr_affecting_medication": "yes",
            "time_zone": "Europe/Oslo",
            "day_boundary": "05:30",
            "theme": "dark",
        },
        TODAY,
    )
    with db.write() as s:
        pid = profiles_db.create_profile(s, data, clock.now()).id
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert profiles_db.profile_data(p) == data
        assert p.conditions == ["me_cfs", "long_covid"]
        assert (p.hr_ceiling, p.hr_ceiling_method) == (73, "default")  # 58 + 15 < 0.55 x 184
        assert p.day_boundary_minutes == 5 * 60 + 30
        assert profiles_db.profile_boundary(p) == time(5, 30)
        assert profiles_db.profile_zone(p).key == "Europe/Oslo"
        assert p.created_at == p.updated_at == clock.now()
        assert p.created_at.tzinfo is UTC


def test_update_changes_fields_but_keeps_created_at_and_generated_flag(
    db: Database, clock: FixedClock, make_profile
) -> None:
    pid = make_profile(db, clock, is_generated="yes")
    created = clock.now()
    clock.set(created + timedelta(hours=3))
    new = parse_profile(
        {
            "name": "Renamed",
            "conditions": "fibromyalgia",
            "resting_hr": "70",
            "hr_ceiling": "95",
            "time_zone": "America/New_York",
        },
        TODAY,
    )
    assert new.is_generated is False
    with db.write() as s:
        profiles_db.update_profile(s, pid, new, clock.now())
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert p.name == "Renamed"
        assert p.conditions == ["fibromyalgia"]
        assert (p.hr_ceiling, p.hr_ceiling_method) == (95, CeilingMethod.MANUAL.value)
        assert p.time_zone == "America/New_York"
        assert p.created_at == created
        assert p.updated_at == created + timedelta(hours=3)
        # Editing a demo profile never turns its generated data into "real" data.
        assert p.is_generated is True
        assert profiles_db.profile_data(p) == replace(new, is_generated=True)


def test_update_and_get_of_a_missing_profile_raise_not_found(db: Database, clock) -> None:
    with db.write() as s, pytest.raises(NotFoundError, match="profile 999 does not exist"):
        profiles_db.update_profile(s, 999, parse_profile({"name": "X"}, TODAY), clock.now())
    with db.read() as s, pytest.raises(NotFoundError, match="profile 999"):
        profiles_db.get_profile(s, 999)


def test_find_profile_by_id_name_or_default(db: Database, clock, make_profile) -> None:
    with db.read() as s, pytest.raises(NotFoundError, match="there is no profile yet"):
        profiles_db.find_profile(s, None)
    demo = make_profile(db, clock, name="Demo", is_generated="yes")
    ann = make_profile(db, clock, name="Ann")
    bob = make_profile(db, clock, name="Bob")
    with db.read() as s:
        assert [p.id for p in profiles_db.list_profiles(s)] == [demo, ann, bob]
        assert profiles_db.find_profile(s, "Bob").id == bob
        assert profiles_db.find_profile(s, str(bob)).id == bob
        assert profiles_db.find_profile(s, bob).id == bob
        # No reference: the first real profile, never the generated demo one.
        assert profiles_db.find_profile(s, None).id == ann
        assert profiles_db.find_profile(s, "").id == ann
        with pytest.raises(NotFoundError, match="no profile called 'Carol'") as err:
            profiles_db.find_profile(s, "Carol")
        assert "Demo, Ann, Bob" in str(err.value)


def test_find_profile_falls_back_to_a_generated_one(db: Database, clock, make_profile) -> None:
    demo = make_profile(db, clock, name="Demo", is_generated="yes")
    with db.read() as s:
        assert profiles_db.find_profile(s, None).id == demo


def test_today_follows_the_profile_zone_and_day_boundary(db: Database, make_profile) -> None:
    # 02:30 UTC is 03:30 in Oslo: before the 04:00 boundary, so still the 14th.
    early = FixedClock(datetime(2026, 3, 15, 2, 30, tzinfo=UTC))
    oslo = make_profile(db, early)
    midnight = make_profile(db, early, name="Night owl", day_boundary="00:00")
    with db.read() as s:
        assert profiles_db.today_for(profiles_db.get_profile(s, oslo), early) == date(2026, 3, 14)
        assert profiles_db.today_for(profiles_db.get_profile(s, midnight), early) == TODAY


def test_deleting_a_profile_deletes_everything_it_owns(
    db: Database, clock: FixedClock, make_profile, rows
) -> None:
    gone = make_profile(db, clock)
    keep = make_profile(db, clock, name="Other")
    for pid in (gone, keep):
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            data = parse_checkin(
                {"day": "2026-03-15", "fatigue": "3", "crash": "no"}, profiles_db.trackers(p), TODAY
            )
            checkins_db.save_checkin(s, p, data, clock.now())
            entries_db.add_activity(
                s,
                p,
                parse_activity(
                    {"what": "Walk", "started_at": "2026-03-15T08:30+01:00", "minutes": 5}
                ),
            )
            entries_db.add_rest(
                s,
                p,
                parse_rest({"kind": "nap", "started_at": "2026-03-15T13:00+01:00", "minutes": 30}),
            )
            samples_db.add_samples(
                s, p, [samples_db.SampleData(SampleKind.STEPS, clock.now(), 100, "Watch")]
            )
    n = len(BUILTIN_TRACKERS)
    before = {
        Profile: 2,
        Tracker: 2 * n,
        CheckIn: 2,
        CheckInValue: 4,
        Activity: 2,
        Rest: 2,
        SamplePart: 2,
    }
    assert {table: rows(table) for table in before} == before

    with db.write() as s:
        profiles_db.delete_profile(s, gone)

    after = {table: count // 2 for table, count in before.items()}
    assert {table: rows(table) for table in before} == after
    with db.read() as s:
        with pytest.raises(NotFoundError):
            profiles_db.get_profile(s, gone)
        other = profiles_db.get_profile(s, keep)
        assert other.name == "Other"
        assert len(other.trackers) == n
        got = checkins_db.get_checkin(s, other, TODAY)
        assert got is not None and got.values == {"fatigue": 3.0, "crash": 0.0}
        assert samples_db.count_samples(s, other) == 1


def test_deleting_a_missing_profile_raises_not_found(db: Database) -> None:
    with db.write() as s, pytest.raises(NotFoundError):
        profiles_db.delete_profile(s, 12345)


# -- trackers ---------------------------------------------------------------------------------


def test_a_new_profile_gets_the_builtin_trackers(db: Database, pid: int) -> None:
    with db.read() as s:
        got = profiles_db.trackers(profiles_db.get_profile(s, pid))
    assert got == list(BUILTIN_TRACKERS)
    assert [t.position for t in got] == list(range(len(BUILTIN_TRACKERS)))
    assert all(t.builtin and t.enabled for t in got)
    crash = got[-1]
    assert (crash.key, crash.kind, crash.min_value, crash.max_value) == (
        "crash",
        TrackerKind.YES_NO,
        0,
        1,
    )


def test_a_restored_profile_can_bring_its_own_trackers(db: Database, clock: FixedClock) -> None:
    own = (replace(BUILTIN_TRACKERS[0], enabled=False), BUILTIN_TRACKERS[1])
    with db.write() as s:
        p = profiles_db.create_profile(
            s, parse_profile({"name": "Restored"}, TODAY), clock.now(), trackers=own
        )
        pid = p.id
    with db.read() as s:
        assert profiles_db.trackers(profiles_db.get_profile(s, pid)) == list(own)


def test_add_a_custom_tracker(db: Database, pid: int) -> None:
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        taken = {t.key for t in p.trackers}
        t = parse_custom_tracker(
            {"label": "Hours upright", "kind": "number", "max_value": "24", "unit": "h"}, taken
        )
        row = profiles_db.add_tracker(s, p, replace(t, position=0, builtin=True))
        assert row.id is not None
    with db.read() as s:
        got = profiles_db.trackers(profiles_db.get_profile(s, pid))
    custom = got[-1]
    # Added at the end of the check-in, and never marked built-in, whatever it claimed.
    assert custom.key == "hours_upright"
    assert custom.position == len(BUILTIN_TRACKERS)
    assert not custom.builtin
    assert (custom.kind, custom.min_value, custom.max_value, custom.unit) == (
        TrackerKind.NUMBER,
        0,
        24,
        "h",
    )


def test_a_second_tracker_with_the_same_key_is_refused(db: Database, pid: int, rows) -> None:
    def add_headache() -> None:
        with db.write() as s:
            p = profiles_db.get_profile(s, pid)
            profiles_db.add_tracker(s, p, parse_custom_tracker({"label": "Headache"}, set()))

    add_headache()
    with pytest.raises(ValidationError) as err:
        add_headache()
    assert list(err.value.by_field()) == ["label"]
    assert "'headache' already exists" in err.value.by_field()["label"]
    assert rows(Tracker) == len(BUILTIN_TRACKERS) + 1


def test_trackers_can_be_disabled_and_enabled_again(db: Database, pid: int) -> None:
    with db.write() as s:
        profiles_db.set_tracker_enabled(s, profiles_db.get_profile(s, pid), "mood", False)
    assert "mood" not in keys(db, pid, enabled_only=True)
    assert "mood" in keys(db, pid)  # disabled, not deleted: its history stays
    with db.write() as s:
        profiles_db.set_tracker_enabled(s, profiles_db.get_profile(s, pid), "mood", True)
    assert keys(db, pid, enabled_only=True) == [t.key for t in BUILTIN_TRACKERS]
    with db.write() as s, pytest.raises(NotFoundError, match="no tracker 'energy'"):
        profiles_db.set_tracker_enabled(s, profiles_db.get_profile(s, pid), "energy", False)


def test_moving_trackers_up_and_down(db: Database, pid: int) -> None:
    builtin = [t.key for t in BUILTIN_TRACKERS]
    with db.write() as s:
        profiles_db.move_tracker(s, profiles_db.get_profile(s, pid), "pain", -1)
    assert keys(db, pid)[:3] == ["pain", "fatigue", "brain_fog"]
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        profiles_db.move_tracker(s, p, "pain", +1)
        profiles_db.move_tracker(s, p, "pain", +1)
    assert keys(db, pid)[:3] == ["fatigue", "brain_fog", "pain"]
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        profiles_db.move_tracker(s, p, "pain", -1)
        # Past either end: nothing moves.
        profiles_db.move_tracker(s, p, "fatigue", -1)
        profiles_db.move_tracker(s, p, "crash", +1)
    assert keys(db, pid) == builtin
    with db.read() as s:
        positions = [t.position for t in profiles_db.trackers(profiles_db.get_profile(s, pid))]
    assert positions == list(range(len(builtin)))
    with db.write() as s, pytest.raises(NotFoundError):
        profiles_db.move_tracker(s, profiles_db.get_profile(s, pid), "energy", 1)


def test_conditions_are_stored_as_a_list(db: Database, clock, make_profile) -> None:
    pid = make_profile(db, clock, conditions="long_covid; fibromyalgia, long_covid")
    with db.read() as s:
        data = profiles_db.profile_data(profiles_db.get_profile(s, pid))
    assert data.conditions == (Condition.LONG_COVID, Condition.FIBROMYALGIA)
