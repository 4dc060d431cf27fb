"""IOM 2015 ME/CFS criteria (Beyond ME/CFS, Box S-1): all three of reduced activity with
fatigue, PEM and unrefreshing sleep, plus cognitive impairment or orthostatic intolerance."""

from __future__ import annotations

import pytest

from pacekeeper.errors import ValidationError
from pacekeeper.questionnaires import iom2015

KEYS = ("reduction", "pem", "sleep", "cognitive", "orthostatic")


@pytest.mark.parametrize(
    ("values", "met"),
    [
        ((1, 1, 1, 1, 0), True),  # cognitive only
        ((1, 1, 1, 0, 1), True),  # orthostatic only
        ((1, 1, 1, 0, 0), False),  # neither of the "one of" items
        ((1, 0, 1, 1, 1), False),  # no PEM
        ((0, 1, 1, 1, 1), False),  # no substantial reduction
        ((1, 1, 0, 1, 1), False),  # no unrefreshing sleep
    ],
)
def test_criteria_just_met_and_just_missed(values: tuple[int, ...], met: bool) -> None:
    r = iom2015.score(dict(zip(KEYS, values, strict=True)))
    assert r.scores["criteria_met"] is met
    assert r.scores["required_met"] == sum(values[:3])


def test_every_item_is_required() -> None:
    with pytest.raises(ValidationError) as err:
        iom2015.score({"reduction": 1, "pem": 2})
    assert set(err.value.by_field()) == {"pem", "sleep", "cognitive", "orthostatic"}
