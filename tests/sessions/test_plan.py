"""The session planner: bursts and rests, micro-breaks and movement prompts, and burst length
from heart-rate recovery."""

from __future__ import annotations

import pytest

from pacekeeper.errors import ValidationError
from pacekeeper.sessions import Recovery, SessionKind, heart_rate_recovery, plan_session

NO_DATA = Recovery(None, 0)


def kinds(plan):
    return [(s.kind, s.start_s, s.end_s) for s in plan.steps]


def test_default_plan_is_two_12_minute_bursts_each_followed_by_equal_rest():
    plan = plan_session(SessionKind.ACTIVE, NO_DATA)
    assert kinds(plan) == [
        ("burst", 0, 720), ("rest", 720, 1440), ("burst", 1440, 2160), ("rest", 2160, 2880),
    ]  # fmt: skip
    assert plan.prompts == []  # moving about: no sitting prompts
    assert plan.active_s == 1440 and plan.total_s == 2880
    assert "no heart-rate recovery data" in plan.reason


@pytest.mark.parametrize(
    ("hrr", "burst", "rest"), [(25.0, 15, 15), (14.0, 12, 12), (9.0, 10, 15), (4.0, 8, 12)]
)
def test_slow_heart_rate_recovery_shortens_bursts_and_lengthens_rests(hrr, burst, rest):
    plan = plan_session(SessionKind.ACTIVE, Recovery(hrr, 5), rounds=1)
    assert (plan.burst_min, plan.rest_min) == (burst, rest)
    assert plan.rest_min >= plan.burst_min


def test_long_sitting_gets_a_micro_break_every_25_min_and_a_move_prompt_every_20():
    plan = plan_session(SessionKind.SITTING, NO_DATA, burst_min=60, rounds=1)
    assert kinds(plan) == [
        ("burst", 0, 1500), ("micro_break", 1500, 1560), ("burst", 1560, 3060),
        ("micro_break", 3060, 3120), ("burst", 3120, 3720), ("rest", 3720, 3720 + 62 * 60),
    ]  # fmt: skip
    # Seated minutes 20 and 40 (the break at 25 does not count as sitting); 60 is the burst's end.
    assert [p.at_s for p in plan.prompts] == [1200, 2460]
    assert plan.rest_min == 62  # rest at least as long as the burst with its breaks


def test_a_chosen_length_overrides_the_suggestion_but_not_the_rest_rule():
    plan = plan_session(SessionKind.ACTIVE, Recovery(4.0, 5), burst_min=20, rounds=1)
    assert plan.burst_min == 20 and plan.rest_min == 30
    assert plan.reason == "20 min: your choice."


@pytest.mark.parametrize(("burst", "rounds", "field"), [(2, 1, "burst"), (12, 9, "rounds")])
def test_out_of_range_choices_are_refused_by_field(burst, rounds, field):
    with pytest.raises(ValidationError) as exc:
        plan_session(SessionKind.ACTIVE, NO_DATA, burst_min=burst, rounds=rounds)
    assert field in exc.value.by_field()


def test_plan_json_carries_what_the_browser_needs():
    data = plan_session(SessionKind.SITTING, NO_DATA, burst_min=30, rounds=1).to_json()
    assert data["steps"][0] == {"kind": "burst", "start_s": 0, "end_s": 1500}
    assert data["default_loads"]["cognitive"] == 2 and data["posture"] == "sitting"


def _effort(start: float, peak: float, after: float) -> tuple[list[float], list[float]]:
    """Readings every 15 s: rising above the ceiling, the peak, then 60 s later."""
    t = [start + 15 * i for i in range(8)]
    hr = [80, 100, 110, peak, peak - (peak - after) / 2, after + 2, after + 1, after]
    return t, hr


def test_recovery_is_the_median_one_minute_drop_after_peaks_over_the_ceiling():
    seconds: list[float] = []
    bpm: list[float] = []
    for i, (peak, after) in enumerate([(120, 100), (118, 96), (125, 115)]):
        t, hr = _effort(i * 3600, peak, after)
        seconds += t
        bpm += hr
    r = heart_rate_recovery(seconds, bpm, ceiling=95)
    # Peaks at 45 s; 60 s later is the reading at 105 s, `after` there.
    assert r.episodes == 3
    assert r.hrr60_bpm == 20.0  # drops 20, 22, 10 -> median 20


def test_too_few_episodes_or_no_ceiling_give_no_estimate():
    t, hr = _effort(0, 120, 100)
    assert heart_rate_recovery(t, hr, ceiling=95) == Recovery(None, 1)
    assert heart_rate_recovery(t, hr, ceiling=None) == Recovery(None, 0)


def test_a_peak_with_no_reading_a_minute_later_is_not_counted():
    # Minute gaps of 5 min: nothing near 60 s after any peak.
    seconds = [0.0, 300.0, 600.0, 900.0, 1200.0, 1500.0]
    bpm = [120.0, 90.0, 121.0, 90.0, 122.0, 90.0]
    assert heart_rate_recovery(seconds, bpm, ceiling=95) == Recovery(None, 0)
