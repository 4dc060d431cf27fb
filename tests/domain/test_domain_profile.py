"""Profiles: the documented default heart-rate ceiling, and fields refused by name."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacekeeper.domain import CeilingMethod, Condition, Sex, default_hr_ceiling, parse_profile
from pacekeeper.errors import ValidationError

TODAY = date(2026, 3, 15)


def refused(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_profile({"name": "A", **raw}, TODAY)
    return err.value.by_field()


def test_the_default_ceiling_is_the_lower_of_two_rules():
    # min(resting + 15, round(0.55 x (220 - age))), age = this year - birth year (science.md).
    assert default_hr_ceiling(60, 1980, TODAY) == 75  # 75 vs 0.55 x 174 = 95.7
    assert default_hr_ceiling(90, 1950, TODAY) == 79  # 105 vs 0.55 x 144 = 79.2
    assert default_hr_ceiling(70, None, TODAY) == 85
    assert default_hr_ceiling(None, 1980, TODAY) == 96  # 0.55 x 174 = 95.7
    assert default_hr_ceiling(None, 1997, TODAY) == 105  # 0.55 x 191 = 105.05
    assert default_hr_ceiling(None, None, TODAY) is None


@settings(deadline=None)
@given(st.integers(25, 150), st.integers(1900, 2026))
def test_the_default_ceiling_rule_holds_for_every_input(resting: int, birth_year: int) -> None:
    p = parse_profile({"name": "A", "resting_hr": str(resting), "birth_year": birth_year}, TODAY)
    expected = min(resting + 15, round(0.55 * (220 - (TODAY.year - birth_year))))
    assert (p.hr_ceiling, p.hr_ceiling_method) == (expected, CeilingMethod.DEFAULT)


def test_parsed_profiles_get_the_default_ceiling_with_its_method():
    p = parse_profile({"name": "A", "resting_hr": "60", "birth_year": "1980"}, TODAY)
    assert (p.hr_ceiling, p.hr_ceiling_method) == (75, CeilingMethod.DEFAULT)
    p = parse_profile({"name": "A"}, TODAY)
    assert (p.hr_ceiling, p.hr_ceiling_method) == (None, None)


def test_a_ceiling_that_was_given_is_kept():
    p = parse_profile({"name": "A", "resting_hr": "60", "hr_ceiling": "95"}, TODAY)
    assert (p.hr_ceiling, p.hr_ceiling_method) == (95, CeilingMethod.MANUAL)
    p = parse_profile({"name": "A", "hr_ceiling": "102", "hr_ceiling_method": "cpet"}, TODAY)
    assert (p.hr_ceiling, p.hr_ceiling_method) == (102, CeilingMethod.CPET)


@pytest.mark.parametrize("ceiling", ["80", "79"])
def test_a_ceiling_at_or_below_resting_is_refused(ceiling):
    assert refused({"resting_hr": "80", "hr_ceiling": ceiling}) == {
        "hr_ceiling": "must be above the resting heart rate"
    }


def test_a_bad_time_zone_is_refused_by_name():
    fields = refused({"time_zone": "Nowhere/City"})
    assert fields == {"time_zone": "'Nowhere/City' is not a time zone name like Europe/Oslo"}
    assert list(refused({"time_zone": "x" * 65})) == ["time_zone"]


def test_everything_a_person_sets():
    p = parse_profile(
        {
            "name": " Ann ",
            "conditions": "me_cfs; long_covid, me_cfs",
            "birth_year": "1990",
            "sex": "female",
            "hr_affecting_medication": "on",
            "time_zone": "America/New_York",
            "day_boundary": "05:30",
            "theme": "dark",
            "is_generated": "true",
        },
        TODAY,
    )
    assert p.name == "Ann"
    assert p.conditions == (Condition.ME_CFS, Condition.LONG_COVID)
    assert (p.birth_year, p.sex, p.hr_affecting_medication) == (1990, Sex.FEMALE, True)
    assert (p.time_zone, p.day_boundary, p.theme, p.is_generated) == (
        "America/New_York",
        time(5, 30),
        "dark",
        True,
    )


def test_defaults():
    p = parse_profile({"name": "A"}, TODAY)
    assert (p.conditions, p.time_zone, p.day_boundary, p.theme) == ((), "UTC", time(4, 0), "system")
    assert (p.sex, p.birth_year, p.resting_hr, p.is_generated) == (None, None, None, False)
    assert parse_profile({"name": "A", "conditions": ["fibromyalgia"]}, TODAY).conditions == (
        Condition.FIBROMYALGIA,
    )


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"conditions": ["me_cfs", "flu"]}, "conditions"),
        ({"birth_year": "2027"}, "birth_year"),
        ({"birth_year": "1899"}, "birth_year"),
        ({"sex": "unknown"}, "sex"),
        ({"resting_hr": "24"}, "resting_hr"),
        ({"hr_ceiling": "221"}, "hr_ceiling"),
        ({"hr_ceiling_method": "guess"}, "hr_ceiling_method"),
        ({"hr_affecting_medication": "sometimes"}, "hr_affecting_medication"),
        ({"day_boundary": "13:00"}, "day_boundary"),
        ({"day_boundary": "4 am"}, "day_boundary"),
        ({"theme": "neon"}, "theme"),
    ],
)
def test_a_bad_field_is_refused_by_name(raw, field):
    assert list(refused(raw)) == [field]


def test_every_profile_problem_is_reported_at_once():
    fields = refused(
        {
            "name": "",
            "conditions": ["me_cfs", "flu"],
            "time_zone": "Nowhere/City",
            "resting_hr": "80",
            "hr_ceiling": "70",
            "day_boundary": "13:00",
            "birth_year": "2100",
        }
    )
    assert set(fields) == {
        "name",
        "conditions",
        "time_zone",
        "hr_ceiling",
        "day_boundary",
        "birth_year",
    }
    assert "flu" in fields["conditions"]
