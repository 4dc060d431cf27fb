"""Check-in trackers: the built-in set, custom trackers, and one answer per kind."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacekeeper.domain import BUILTIN_TRACKERS, TrackerDef, TrackerKind
from pacekeeper.domain.trackers import (
    KEY_PATTERN,
    RESERVED_KEYS,
    parse_custom_tracker,
    parse_value,
    slug_key,
)
from pacekeeper.errors import FieldError, ValidationError

SCALE = TrackerDef("fatigue", "Fatigue")
YES_NO = TrackerDef("crash", "Crash", kind=TrackerKind.YES_NO, min_value=0, max_value=1)
HOURS = TrackerDef("hours_upright", "Hours upright", kind=TrackerKind.NUMBER, max_value=24)


def answer(tracker: TrackerDef, raw: object) -> tuple[float | None, list[FieldError]]:
    errors: list[FieldError] = []
    return parse_value(errors, tracker, raw), errors


def refused_fields(raw: dict[str, object], taken: set[str] | None = None) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_custom_tracker(raw, taken or set())
    return err.value.by_field()


# -- built-in trackers ------------------------------------------------------------------------


def test_the_builtin_set():
    assert [t.key for t in BUILTIN_TRACKERS] == [
        "fatigue",
        "pain",
        "brain_fog",
        "sleep_quality",
        "unrefreshing_sleep",
        "back_soreness",
        "mood",
        "crash",
    ]
    assert [t.position for t in BUILTIN_TRACKERS] == list(range(len(BUILTIN_TRACKERS)))
    for t in BUILTIN_TRACKERS:
        assert t.builtin and t.enabled, t.key
        assert KEY_PATTERN.match(t.key) and t.key not in RESERVED_KEYS, t.key
        assert t.low_anchor and t.high_anchor, t.key  # words at both ends of every scale
        if t.kind is TrackerKind.SCALE:
            assert (t.min_value, t.max_value) == (0, 10), t.key
            assert t.scale_points() == list(range(11))
    by_key = {t.key: t for t in BUILTIN_TRACKERS}
    # Higher sleep quality and mood are better, and neither is a symptom.
    for key in ("sleep_quality", "mood"):
        assert not by_key[key].higher_is_worse and not by_key[key].is_symptom
    assert all(by_key[k].higher_is_worse and by_key[k].is_symptom for k in ("fatigue", "pain"))
    crash = by_key["crash"]
    assert (crash.kind, crash.min_value, crash.max_value) == (TrackerKind.YES_NO, 0, 1)


# -- custom trackers --------------------------------------------------------------------------


def test_a_custom_scale_by_default():
    t = parse_custom_tracker({"label": "  Headache  "}, set())
    assert t == TrackerDef("headache", "Headache", TrackerKind.SCALE, 0, 10)
    assert t.is_symptom and t.higher_is_worse and not t.builtin


def test_a_custom_number_with_a_unit():
    t = parse_custom_tracker(
        {
            "label": "Hours upright",
            "kind": "number",
            "min_value": "0",
            "max_value": "24",
            "unit": "h",
        },
        {"hours_upright"},
    )
    assert t.key == "hours_upright_2"  # the first key was taken
    assert (t.kind, t.min_value, t.max_value, t.unit) == (TrackerKind.NUMBER, 0, 24, "h")
    assert not t.is_symptom  # a number is a measure unless said otherwise


def test_a_custom_yes_no_is_always_zero_to_one():
    t = parse_custom_tracker(
        {
            "label": "Took meds",
            "kind": "yes_no",
            "max_value": "50",
            "higher_is_worse": "no",
            "is_symptom": "no",
        },
        set(),
    )
    assert (t.kind, t.min_value, t.max_value) == (TrackerKind.YES_NO, 0, 1)
    assert not t.higher_is_worse and not t.is_symptom


def test_zero_is_a_bound_not_a_missing_value():
    t = parse_custom_tracker(
        {"label": "Balance", "kind": "number", "min_value": "-5", "max_value": 0}, set()
    )
    assert (t.min_value, t.max_value) == (-5, 0)


def test_custom_tracker_keys_never_take_a_check_in_field_name():
    for label in ("Note", "Day", "Client id", "Profile"):
        t = parse_custom_tracker({"label": label}, set())
        assert t.key not in RESERVED_KEYS
        assert t.key.endswith("_2"), t.key


def test_slug_keys():
    assert slug_key("Brain fog!", set()) == "brain_fog"
    assert slug_key("3 things", set()) == "t_3_things"
    assert slug_key("???", set()) == "tracker"
    assert slug_key("Pain", {"pain", "pain_2"}) == "pain_3"
    assert len(slug_key("x" * 100, set())) <= 40


@settings(deadline=None)
@given(st.text(min_size=1, max_size=60), st.sets(st.sampled_from(["pain", "tracker", "t_1"])))
def test_slug_keys_are_always_valid_and_free(label: str, taken: set[str]) -> None:
    key = slug_key(label, taken)
    assert KEY_PATTERN.match(key), key
    assert key not in taken and key not in RESERVED_KEYS


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        ({"label": ""}, "label", "is required"),
        ({"label": "x" * 61}, "label", "too long"),
        ({"label": "A", "kind": "slider"}, "kind", "must be one of scale, yes_no, number"),
        ({"label": "A", "min_value": "5", "max_value": "5"}, "max_value", "must be larger"),
        ({"label": "A", "min_value": "0", "max_value": "100"}, "max_value", "at most 21"),
        ({"label": "A", "min_value": "0", "max_value": "7.5"}, "max_value", "whole-number"),
        ({"label": "A", "kind": "number", "max_value": "lots"}, "max_value", "must be a number"),
        ({"label": "A", "kind": "number", "min_value": "-1e7"}, "min_value", "out of range"),
        ({"label": "A", "unit": "x" * 17}, "unit", "too long"),
        ({"label": "A", "higher_is_worse": "sometimes"}, "higher_is_worse", "yes or no"),
    ],
)
def test_bad_custom_trackers_are_refused_naming_the_field(raw, field, reason):
    fields = refused_fields(raw)
    assert field in fields
    assert reason in fields[field]


def test_every_problem_is_reported_at_once():
    fields = refused_fields({"label": "", "kind": "slider", "low_anchor": "x" * 41})
    assert set(fields) == {"label", "kind", "low_anchor"}


# -- one answer per kind ----------------------------------------------------------------------


def test_a_scale_answer_is_a_whole_number_in_range():
    assert answer(SCALE, "0") == (0.0, [])
    assert answer(SCALE, "10") == (10.0, [])
    assert answer(SCALE, 7) == (7.0, [])
    assert answer(SCALE, "") == (None, [])  # every tracker may be left out
    for bad in ("11", "-1", "5.5", "lots", True):
        value, errors = answer(SCALE, bad)
        assert value is None and [e.field for e in errors] == ["fatigue"], bad


def test_a_yes_no_answer_is_zero_or_one():
    for raw in ("yes", "on", "1", True):
        assert answer(YES_NO, raw) == (1.0, []), raw
    for raw in ("no", "off", "0", False):
        assert answer(YES_NO, raw) == (0.0, []), raw
    assert answer(YES_NO, None) == (None, [])
    value, errors = answer(YES_NO, "perhaps")
    assert value is None and [e.field for e in errors] == ["crash"]
    assert "yes or no" in errors[0].reason


def test_a_number_answer_is_any_number_in_range():
    assert answer(HOURS, "7.5") == (7.5, [])
    assert answer(HOURS, "24") == (24.0, [])
    assert answer(HOURS, 0) == (0.0, [])
    for bad in ("24.5", "-0.1", "nan", "inf", "seven"):
        value, errors = answer(HOURS, bad)
        assert value is None and [e.field for e in errors] == ["hours_upright"], bad
