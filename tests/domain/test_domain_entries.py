"""What a person records: check-ins, activities and rests, checked before anything is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from pacekeeper.domain import (
    BUILTIN_TRACKERS,
    Posture,
    RestKind,
    parse_activity,
    parse_checkin,
    parse_rest,
)
from pacekeeper.domain.trackers import parse_custom_tracker
from pacekeeper.errors import ValidationError

TODAY = date(2026, 3, 15)
CID = "6f1c2a9e-0000-4000-8000-000000000001"
OSLO_WINTER = timezone(timedelta(hours=1))


def refused(parse: Any, raw: dict[str, Any], *args: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse(raw, *args)
    return err.value.by_field()


def checkin_refused(raw: dict[str, Any]) -> dict[str, str]:
    return refused(parse_checkin, {"day": "2026-03-15", **raw}, BUILTIN_TRACKERS, TODAY)


# -- check-ins --------------------------------------------------------------------------------


def test_a_full_checkin():
    data = parse_checkin(
        {
            "day": "2026-03-15",
            "fatigue": "6",
            "pain": 0,
            "crash": "yes",
            "note": "  ok  ",
            "recorded_at": "2026-03-15T21:05+01:00",
            "client_id": CID,
            "csrf_token": "t",
            "profile": "1",
        },
        BUILTIN_TRACKERS,
        TODAY,
        source="phone",
    )
    assert data.day == TODAY
    assert data.values == {"fatigue": 6.0, "pain": 0.0, "crash": 1.0}
    assert data.note == "ok"
    assert data.recorded_at == datetime(2026, 3, 15, 21, 5, tzinfo=OSLO_WINTER)
    assert (data.client_id, data.source) == (CID, "phone")


def test_trackers_left_out_are_simply_absent():
    data = parse_checkin(
        {"day": "2026-03-15", "fatigue": "", "pain": None}, BUILTIN_TRACKERS, TODAY
    )
    assert data.values == {}
    assert (data.note, data.recorded_at, data.client_id) == ("", None, None)


def test_an_unknown_tracker_key_is_refused_by_name():
    # A typo is never silently dropped.
    assert checkin_refused({"fatigu": "5", "fatigue": "5"}) == {
        "fatigu": "is not one of this profile's trackers"
    }


def test_a_disabled_or_other_profiles_tracker_is_unknown_here():
    only_two = BUILTIN_TRACKERS[:2]
    with pytest.raises(ValidationError) as err:
        parse_checkin({"day": "2026-03-15", "mood": "5"}, only_two, TODAY)
    assert list(err.value.by_field()) == ["mood"]


def test_a_day_in_the_future_is_refused_but_today_and_the_past_are_fine():
    assert "is in the future; today is 2026-03-15" in checkin_refused({"day": "2026-03-16"})["day"]
    assert parse_checkin({"day": "2026-03-15"}, BUILTIN_TRACKERS, TODAY).day == TODAY
    assert parse_checkin({"day": "2020-02-29"}, BUILTIN_TRACKERS, TODAY).day == date(2020, 2, 29)
    assert "too far in the past" in checkin_refused({"day": "1899-12-31"})["day"]
    assert refused(parse_checkin, {"fatigue": "1"}, BUILTIN_TRACKERS, TODAY) == {
        "day": "is required"
    }
    assert "must be a date like" in checkin_refused({"day": "yesterday"})["day"]


@pytest.mark.parametrize(
    ("key", "raw", "reason"),
    [
        ("fatigue", "11", "out of range"),
        ("pain", "-1", "out of range"),
        ("brain_fog", "4.5", "whole number"),
        ("mood", "good", "whole number"),
        ("crash", "perhaps", "yes or no"),
    ],
)
def test_a_bad_value_is_refused_naming_its_tracker(key, raw, reason):
    fields = checkin_refused({key: raw})
    assert list(fields) == [key]
    assert reason in fields[key]


def test_a_custom_number_tracker_takes_its_own_range():
    hours = parse_custom_tracker(
        {"label": "Hours upright", "kind": "number", "max_value": "24"}, set()
    )
    trackers = (*BUILTIN_TRACKERS, hours)
    data = parse_checkin({"day": "2026-03-15", "hours_upright": "7.25"}, trackers, TODAY)
    assert data.values == {"hours_upright": 7.25}
    with pytest.raises(ValidationError) as err:
        parse_checkin({"day": "2026-03-15", "hours_upright": "25"}, trackers, TODAY)
    assert list(err.value.by_field()) == ["hours_upright"]


def test_a_tracker_named_like_a_form_field_is_kept_apart():
    note_tracker = parse_custom_tracker(
        {"label": "Note", "kind": "number", "min_value": "-5", "max_value": 0}, set()
    )
    assert note_tracker.key == "note_2"
    data = parse_checkin(
        {"day": "2026-03-15", "note": "hi", "note_2": "-3"},
        (*BUILTIN_TRACKERS, note_tracker),
        TODAY,
    )
    assert (data.note, data.values) == ("hi", {"note_2": -3.0})


def test_checkin_metadata_is_checked():
    fields = checkin_refused(
        {"recorded_at": "2026-03-15T21:05", "client_id": "not a uuid!", "note": "x" * 2001}
    )
    assert set(fields) == {"recorded_at", "client_id", "note"}
    assert "needs a UTC offset" in fields["recorded_at"]
    assert fields["client_id"] == "must be a UUID"


def test_every_checkin_problem_is_reported_at_once():
    fields = refused(
        parse_checkin,
        {"day": "2026-03-16", "pain": "11", "energy": "4", "crash": "perhaps"},
        BUILTIN_TRACKERS,
        TODAY,
    )
    assert set(fields) == {"day", "pain", "energy", "crash"}


# -- activities -------------------------------------------------------------------------------

WALK = {"what": "Walk", "started_at": "2026-03-15T09:00+01:00", "minutes": "20"}


def test_an_activity_with_loads_and_posture():
    a = parse_activity(
        {
            **WALK,
            "physical": 2,
            "social": "1",
            "posture": "upright",
            "note": " slow ",
            "client_id": CID,
        }
    )
    assert a.what == "Walk"
    assert a.started_at == datetime(2026, 3, 15, 9, 0, tzinfo=OSLO_WINTER)
    assert (a.minutes, a.physical, a.cognitive, a.emotional, a.social) == (20, 2, 0, 0, 1)
    assert (a.posture, a.note, a.client_id, a.source) == (Posture.UPRIGHT, "slow", CID, "web")
    assert a.ended_at == datetime(2026, 3, 15, 8, 20, tzinfo=UTC)


def test_activity_defaults():
    a = parse_activity(WALK, source="cli")
    assert (a.physical, a.cognitive, a.emotional, a.social) == (0, 0, 0, 0)
    assert (a.posture, a.note, a.client_id, a.source) == (Posture.SITTING, "", None, "cli")


@pytest.mark.parametrize("minutes", ["1", "1440"])
def test_activity_minutes_at_the_edges_are_fine(minutes):
    assert parse_activity({**WALK, "minutes": minutes}).minutes == int(minutes)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "1441"}, "minutes"),
        ({"minutes": ""}, "minutes"),
        ({"minutes": "20.5"}, "minutes"),
        ({"physical": "4"}, "physical"),
        ({"cognitive": "-1"}, "cognitive"),
        ({"emotional": "heavy"}, "emotional"),
        ({"social": 3.5}, "social"),
        ({"posture": "hanging"}, "posture"),
        ({"what": ""}, "what"),
        ({"what": "x" * 81}, "what"),
        ({"started_at": "2026-03-15T09:00"}, "started_at"),
        ({"started_at": ""}, "started_at"),
        ({"started_at": "9am"}, "started_at"),
        ({"client_id": "nope"}, "client_id"),
    ],
)
def test_a_bad_activity_field_is_refused_by_name(raw, field):
    fields = refused(parse_activity, {**WALK, **raw})
    assert list(fields) == [field]


def test_a_naive_start_is_refused_never_guessed():
    fields = refused(parse_activity, {**WALK, "started_at": datetime(2026, 3, 15, 9)})  # noqa: DTZ001
    assert "needs a UTC offset" in fields["started_at"]


# -- rests ------------------------------------------------------------------------------------

NAP = {"kind": "nap", "started_at": "2026-03-15T13:00-05:00", "minutes": "45"}


def test_a_rest():
    r = parse_rest({**NAP, "note": "dark room", "client_id": CID}, source="phone")
    assert (r.kind, r.minutes, r.note, r.client_id, r.source) == (
        RestKind.NAP,
        45,
        "dark room",
        CID,
        "phone",
    )
    assert r.started_at.utcoffset() == timedelta(hours=-5)
    assert RestKind.LYING_REST.label == "Lying rest"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"kind": "sofa"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "2000"}, "minutes"),
        ({"started_at": "2026-03-15T13:00"}, "started_at"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_a_bad_rest_field_is_refused_by_name(raw, field):
    assert list(refused(parse_rest, {**NAP, **raw})) == [field]


def test_every_rest_problem_is_reported_at_once():
    fields = refused(parse_rest, {"kind": "sofa", "started_at": "13:00", "minutes": 2000})
    assert set(fields) == {"kind", "started_at", "minutes"}
