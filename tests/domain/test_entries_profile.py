from __future__ import annotations

from datetime import date

import pytest

from pacekeeper.domain import (
    BUILTIN_TRACKERS,
    CeilingMethod,
    parse_activity,
    parse_checkin,
    parse_profile,
    parse_rest,
)
from pacekeeper.domain.profile import default_hr_ceiling
from pacekeeper.domain.trackers import TrackerKind, parse_custom_tracker, parse_value, slug_key
from pacekeeper.errors import ValidationError

TODAY = date(2026, 3, 15)


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return exc.value.by_field()


def test_builtin_trackers_match_the_issue():
    keys = [t.key for t in BUILTIN_TRACKERS]
    assert keys == ["fatigue", "pain", "brain_fog", "sleep_quality", "unrefreshing_sleep",
                    "back_soreness", "mood", "crash"]  # fmt: skip
    for t in BUILTIN_TRACKERS:
        assert t.low_anchor and t.high_anchor, t.key  # words at both ends
        if t.kind is TrackerKind.SCALE:
            assert (t.min_value, t.max_value) == (0, 10)
    sleep = next(t for t in BUILTIN_TRACKERS if t.key == "sleep_quality")
    assert not sleep.higher_is_worse and not sleep.is_symptom


def test_checkin_parsing():
    data = parse_checkin({"day": "2026-03-15", "fatigue": "6", "crash": "yes", "note": " ok "},
                         BUILTIN_TRACKERS, TODAY)  # fmt: skip
    assert data.values == {"fatigue": 6.0, "crash": 1.0}
    assert data.note == "ok"
    with pytest.raises(ValidationError) as exc:
        parse_checkin({"day": "2026-03-16", "pain": "11", "energy": "4", "crash": "perhaps"},
                      BUILTIN_TRACKERS, TODAY)  # fmt: skip
    errors = fields_of(exc)
    assert "is in the future" in errors["day"]
    assert "out of range" in errors["pain"]
    assert errors["energy"] == "is not one of this profile's trackers"
    assert "yes or no" in errors["crash"]


def test_activity_and_rest_parsing():
    a = parse_activity({"what": "Walk", "started_at": "2026-03-15T09:00+01:00", "minutes": 20,
                        "physical": 2, "social": "1", "posture": "upright"})  # fmt: skip
    assert (a.physical, a.cognitive, a.social, a.posture.value) == (2, 0, 1, "upright")
    with pytest.raises(ValidationError) as exc:
        parse_activity({"what": "", "started_at": "2026-03-15T09:00", "minutes": 0, "emotional": 4})
    assert set(fields_of(exc)) == {"what", "started_at", "minutes", "emotional"}
    with pytest.raises(ValidationError) as exc:
        parse_rest({"kind": "sofa", "started_at": "2026-03-15T09:00+01:00", "minutes": 2000})
    assert set(fields_of(exc)) == {"kind", "minutes"}


def test_default_heart_rate_ceiling():
    # The lower of resting + 15 and 0.55 x (220 - age) (science.md).
    assert default_hr_ceiling(60, 1980, TODAY) == 75  # 75 vs 0.55 x 174 = 96
    assert default_hr_ceiling(90, 1950, TODAY) == 79  # 105 vs 0.55 x 144 = 79.2
    assert default_hr_ceiling(None, None, TODAY) is None
    p = parse_profile({"name": "A", "resting_hr": "60", "birth_year": "1980"}, TODAY)
    assert (p.hr_ceiling, p.hr_ceiling_method) == (75, CeilingMethod.DEFAULT)
    p = parse_profile({"name": "A", "resting_hr": "60", "hr_ceiling": "95"}, TODAY)
    assert p.hr_ceiling_method is CeilingMethod.MANUAL


def test_profile_errors_name_fields():
    with pytest.raises(ValidationError) as exc:
        parse_profile({"name": "", "conditions": ["me_cfs", "flu"], "time_zone": "Nowhere/City",
                       "resting_hr": "80", "hr_ceiling": "70", "day_boundary": "13:00",
                       "birth_year": "2100"}, TODAY)  # fmt: skip
    assert set(fields_of(exc)) == {"name", "conditions", "time_zone", "hr_ceiling",
                                   "day_boundary", "birth_year"}  # fmt: skip


def test_custom_trackers():
    t = parse_custom_tracker({"label": "Hours upright", "kind": "number", "min_value": "0",
                              "max_value": "24", "unit": "h"}, {"hours_upright"})  # fmt: skip
    assert t.key == "hours_upright_2" and t.kind is TrackerKind.NUMBER and not t.is_symptom
    errors: list = []
    assert parse_value(errors, t, "7.5") == 7.5
    assert parse_value(errors, t, "25") is None and errors
    assert slug_key("3 things!", set()) == "t_3_things"
    with pytest.raises(ValidationError) as exc:
        parse_custom_tracker(
            {"label": "Big", "kind": "scale", "min_value": "0", "max_value": "100"}, set()
        )
    assert "at most 21" in fields_of(exc)["max_value"]


def test_custom_tracker_keys_never_take_a_check_in_field_name():
    for label in ("Note", "Day", "Client id"):
        t = parse_custom_tracker({"label": label}, set())
        assert t.key in ("note_2", "day_2", "client_id_2")
    t = parse_custom_tracker(
        {"label": "Note", "kind": "number", "min_value": "-5", "max_value": 0}, set()
    )
    assert (t.min_value, t.max_value) == (-5, 0)  # a 0 bound is a bound, not "left out"
    data = parse_checkin(
        {"day": "2026-03-15", "note": "hi", "note_2": "-3"}, (*BUILTIN_TRACKERS, t), TODAY
    )
    assert data.note == "hi"
    assert data.values == {"note_2": -3.0}
