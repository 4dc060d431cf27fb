from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pacekeeper.domain import validate as v
from pacekeeper.errors import FieldError

ANY = st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none())


def run(fn, raw, *args, **kw):
    errors: list[FieldError] = []
    value = fn(errors, "field", raw, *args, **kw)
    return value, errors


def test_integer():
    assert run(v.integer, "7", 0, 10) == (7, [])
    assert run(v.integer, 7.0, 0, 10) == (7, [])
    assert run(v.integer, "", 0, 10) == (None, [])
    _, errors = run(v.integer, "", 0, 10, required=True)
    assert errors == [FieldError("field", "is required")]
    _, errors = run(v.integer, "11", 0, 10)
    assert errors[0].reason == "must be from 0 to 10; 11 is out of range"
    for bad in ("7.5", "seven", True, 7.5):
        assert run(v.integer, bad, 0, 10)[0] is None
        assert run(v.integer, bad, 0, 10)[1][0].field == "field"


def test_number_text_choice_boolean_dates():
    assert run(v.number, "2.5", 0, 24) == (2.5, [])
    assert run(v.number, "inf", 0, 24)[1]
    assert run(v.text, "  hi  ", 10) == ("hi", [])
    assert "too long" in run(v.text, "x" * 11, 10)[1][0].reason
    assert "NUL" in run(v.text, "a\x00b", 10)[1][0].reason
    assert run(v.choice, "nap", ["nap", "rest"]) == ("nap", [])
    assert "must be one of nap, rest" in run(v.choice, "sofa", ["nap", "rest"])[1][0].reason
    assert run(v.boolean, "yes") == (True, [])
    assert run(v.boolean, "0") == (False, [])
    assert run(v.boolean, "maybe")[1]
    assert run(v.iso_date, "2026-03-15") == (date(2026, 3, 15), [])
    assert run(v.iso_date, "15/03/2026")[1]
    assert run(v.clock_time, "04:00")[0].hour == 4
    assert "needs a UTC offset" in run(v.aware_datetime, "2026-03-15T10:00")[1][0].reason
    assert run(v.aware_datetime, "2026-03-15T10:00+01:00")[0].utcoffset().seconds == 3600


@given(ANY)
def test_parsers_never_raise_whatever_they_are_given(raw):
    for fn, args in (
        (v.integer, (0, 10)),
        (v.number, (0.0, 10.0)),
        (v.text, (20,)),
        (v.choice, (["a", "b"],)),
        (v.iso_date, ()),
        (v.clock_time, ()),
        (v.aware_datetime, ()),
    ):
        errors: list[FieldError] = []
        value = fn(errors, "f", raw, *args)
        # Either a value or a reason, never an exception; a reason always names the field.
        assert value is None or not errors
        assert all(e.field == "f" and e.reason for e in errors)
    errors = []
    v.boolean(errors, "f", raw)
    assert all(e.field == "f" for e in errors)
