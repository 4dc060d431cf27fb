"""The small parsers behind every form, CLI option and JSON restore: each refuses bad input with a
FieldError that names the field, and none of them raises, whatever it is given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacekeeper.domain import validate as v
from pacekeeper.errors import FieldError


def run(fn: Callable[..., Any], raw: Any, *args: Any, **kw: Any) -> tuple[Any, list[FieldError]]:
    errors: list[FieldError] = []
    value = fn(errors, "the_field", raw, *args, **kw)
    return value, errors


def refused(fn: Callable[..., Any], raw: Any, *args: Any, **kw: Any) -> str:
    """The one reason `fn` gives for refusing `raw`, after checking it names the field."""
    value, errors = run(fn, raw, *args, **kw)
    assert value is None, f"{raw!r} was accepted as {value!r}"
    assert len(errors) == 1, errors
    assert errors[0].field == "the_field"
    assert errors[0].reason
    return errors[0].reason


def test_integer():
    assert run(v.integer, "7", 0, 10) == (7, [])
    assert run(v.integer, " 10 ", 0, 10) == (10, [])
    assert run(v.integer, 7.0, 0, 10) == (7, [])
    assert run(v.integer, 0, 0, 10) == (0, [])
    assert run(v.integer, "", 0, 10) == (None, [])  # left out: fine unless required
    assert run(v.integer, None, 0, 10) == (None, [])
    assert refused(v.integer, "  ", 0, 10, required=True) == "is required"
    assert refused(v.integer, "11", 0, 10) == "must be from 0 to 10; 11 is out of range"
    assert "out of range" in refused(v.integer, -1, 0, 10)
    for bad in ("7.5", "seven", True, False, 7.5, float("nan"), float("inf"), "1e3", [7]):
        assert "whole number" in refused(v.integer, bad, 0, 10), bad


def test_number():
    assert run(v.number, "2.5", 0, 24) == (2.5, [])
    assert run(v.number, 24, 0, 24) == (24.0, [])
    assert run(v.number, "", 0, 24) == (None, [])
    assert refused(v.number, None, 0, 24, required=True) == "is required"
    assert "out of range" in refused(v.number, "24.01", 0, 24)
    for bad in ("inf", "-inf", "nan", float("nan"), 1e400):
        assert "out of range" in refused(v.number, bad, 0, 24), bad
    for bad in ("two", True, "1,5", 10**400):
        assert "must be a number from 0 to 24" in refused(v.number, bad, 0, 24), bad


def test_text():
    assert run(v.text, "  hi  ", 10) == ("hi", [])
    assert run(v.text, "", 10) == (None, [])
    assert refused(v.text, "   ", 10, required=True) == "is required"
    assert refused(v.text, "x" * 11, 10) == "is too long (11 characters; at most 10)"
    assert "NUL" in refused(v.text, "a\x00b", 10)
    assert refused(v.text, 42, 10) == "must be text"
    assert "too short" in refused(v.text, "ab", 10, min_len=3)


def test_choice():
    assert run(v.choice, " nap ", ["nap", "rest"]) == ("nap", [])
    assert run(v.choice, None, ["nap", "rest"]) == (None, [])
    assert refused(v.choice, "", ["nap"], required=True) == "is required"
    assert refused(v.choice, "sofa", ["nap", "rest"]) == "must be one of nap, rest; not 'sofa'"
    assert "not 'Nap'" in refused(v.choice, "Nap", ["nap", "rest"])


def test_boolean():
    for raw in ("yes", "Y", "true", "on", "1", True, 1):
        assert run(v.boolean, raw) == (True, []), raw
    for raw in ("no", "N", "false", "off", "0", False, 0):
        assert run(v.boolean, raw) == (False, []), raw
    assert run(v.boolean, "") == (None, [])
    assert "yes or no" in refused(v.boolean, "maybe")
    assert "yes or no" in refused(v.boolean, 2)


def test_iso_date_and_clock_time():
    assert run(v.iso_date, "2026-03-15") == (date(2026, 3, 15), [])
    assert run(v.iso_date, "") == (None, [])
    assert refused(v.iso_date, "", required=True) == "is required"
    for bad in ("15/03/2026", "2026-02-30", "tomorrow", 2026.0315):
        assert "must be a date like" in refused(v.iso_date, bad), bad
    assert run(v.clock_time, "04:00") == (time(4, 0), [])
    assert run(v.clock_time, "05:30:59") == (time(5, 30), [])  # seconds are dropped
    assert "must be a time like 04:00" in refused(v.clock_time, "25:00")
    assert refused(v.clock_time, None, required=True) == "is required"


def test_aware_datetime():
    value, errors = run(v.aware_datetime, "2026-03-15T10:00+01:00")
    assert errors == [] and value == datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
    assert value.utcoffset() == timedelta(hours=1)
    value, errors = run(v.aware_datetime, "2026-03-15T10:00Z")
    assert errors == [] and value.utcoffset() == timedelta(0)
    aware = datetime(2026, 3, 15, 10, tzinfo=timezone(timedelta(hours=-3)))
    assert run(v.aware_datetime, aware) == (aware, [])
    assert "needs a UTC offset" in refused(v.aware_datetime, "2026-03-15T10:00")
    assert "needs a UTC offset" in refused(
        v.aware_datetime,
        datetime(2026, 3, 15, 10),  # noqa: DTZ001
    )
    assert "must be a date-time like" in refused(v.aware_datetime, "10 o'clock")
    assert refused(v.aware_datetime, "", required=True) == "is required"


# -- properties -------------------------------------------------------------------------------

# Anything a form, a CLI option or a JSON document can hold, with near-misses of valid values.
NEAR_MISSES = st.one_of(
    st.from_regex(r"\s*[-+]?\d{1,6}([.,]\d{0,4})?([eE][-+]?\d{1,4})?\s*", fullmatch=True),
    st.from_regex(
        r"\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}:\d{2}(:\d{2})?)?(Z|[-+]\d{2}:?\d{2})?", fullmatch=True
    ),
    st.dates().map(str),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=14))])).map(str),
)
JSONISH = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
ANY_TEXT = st.one_of(st.text(), NEAR_MISSES)

PARSERS: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
    (v.integer, (0, 10)),
    (v.number, (0.0, 10.0)),
    (v.text, (20,)),
    (v.iso_date, ()),
    (v.aware_datetime, ()),
    (v.choice, (["a", "b"],)),
    (v.clock_time, ()),
]


def check_never_raises(raw: Any) -> None:
    for fn, args in PARSERS:
        errors: list[FieldError] = []
        value = fn(errors, "f", raw, *args, required=True)
        # A value and no error, or None and exactly one reason naming the field. Never an
        # exception: a user's typo must not become a traceback.
        if value is None:
            assert len(errors) == 1, (fn.__name__, raw, errors)
            assert errors[0].field == "f" and errors[0].reason, (fn.__name__, raw)
        else:
            assert errors == [], (fn.__name__, raw, errors)
    errors = []
    value = v.boolean(errors, "f", raw)
    assert (value is None) or errors == []
    assert all(e.field == "f" for e in errors)


@settings(deadline=None, max_examples=300)
@given(ANY_TEXT)
def test_parsers_never_raise_for_any_text(raw: str) -> None:
    check_never_raises(raw)


@settings(deadline=None)
@given(JSONISH)
def test_parsers_never_raise_for_any_json_value(raw: Any) -> None:
    check_never_raises(raw)


@settings(deadline=None)
@given(st.integers(-1000, 1000), st.integers(-50, 50), st.integers(0, 100))
def test_integer_accepts_exactly_the_range(value: int, lo: int, width: int) -> None:
    hi = lo + width
    got, errors = run(v.integer, str(value), lo, hi)
    if lo <= value <= hi:
        assert (got, errors) == (value, [])
    else:
        assert got is None and [e.field for e in errors] == ["the_field"]


@settings(deadline=None)
@given(st.text(max_size=30), st.integers(0, 25))
def test_text_is_stripped_and_bounded(raw: str, max_len: int) -> None:
    got, errors = run(v.text, raw, max_len)
    if got is not None:
        assert got == raw.strip() and 0 < len(got) <= max_len and "\x00" not in got
    else:
        assert (raw.strip() == "") == (errors == [])


@pytest.mark.parametrize("fn", [v.integer, v.number])
def test_numbers_name_the_range_in_their_reason(fn: Callable[..., Any]) -> None:
    assert "from 1 to 5" in refused(fn, "9", 1, 5)
