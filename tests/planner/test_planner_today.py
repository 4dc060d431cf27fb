"""Today's budget on simulated histories: every lowering rule, and the fallbacks."""

from __future__ import annotations

import numpy as np
import polars as pl

from pacekeeper.engine.picture import picture
from pacekeeper.planner.today import Light, Morning, plan_today
from tests.engine.simulate import frame
from tests.planner.histories import boom_bust, steady


def plan(days: pl.DataFrame, used: float = 0.0, morning: Morning | None = None):
    return plan_today(days, used, picture(days, used), morning)


def test_a_boom_bust_history_gets_a_lower_budget_than_a_steady_one() -> None:
    calm, swinging = plan(steady()), plan(boom_bust())
    assert calm.basis == swinging.basis == "envelope"
    assert calm.budget is not None and swinging.budget is not None
    assert swinging.budget < calm.budget
    assert calm.light is Light.GREEN
    assert swinging.light is Light.AMBER
    assert any(r.what == "Boom and bust lately" for r in swinging.reasons)
    assert not any(r.what == "Boom and bust lately" for r in calm.reasons)


def test_every_reason_names_its_data_rule_and_source() -> None:
    for r in plan(boom_bust()).reasons:
        assert r.what and r.data and r.rule and r.source


def test_a_high_morning_resting_hr_halves_and_caps_the_budget_and_turns_red() -> None:
    days = steady()
    normal = plan(days, morning=Morning(rhr=60, rhr_dev=2.0))
    high = plan(days, morning=Morning(rhr=71, rhr_dev=11.0))
    low_hrv = plan(days, morning=Morning(hrv=30, hrv_dev=-0.3))
    assert normal.budget is not None and high.budget is not None
    # Halved, and a red day keeps at most 3 points.
    assert high.budget == min(normal.budget * 0.5, 3.0) and normal.budget * 0.5 > 3.0
    assert any("x 0.5 capped at 3 on a red day = 3.0" in r.data for r in high.reasons)
    assert (normal.light, high.light, low_hrv.light) == (Light.GREEN, Light.RED, Light.RED)
    assert any("+11 bpm" in r.data for r in high.reasons)


def test_a_crash_in_progress_turns_red_and_keeps_the_day_short() -> None:
    days = steady().with_columns(
        pl.when(pl.int_range(pl.len()) >= pl.len() - 2)
        .then(8.0)
        .otherwise(pl.col("symptom"))
        .alias("symptom")
    )
    p = plan(days)
    assert p.light is Light.RED
    assert any(r.what == "Crash in progress" for r in p.reasons)
    assert sum(b.minutes for b in p.shape if b.kind == "activity") <= 30


def test_a_busy_yesterday_lowers_the_budget_for_delayed_pem() -> None:
    days = steady()
    busy = days.with_columns(
        pl.when(pl.int_range(pl.len()) == pl.len() - 1)
        .then(15.0)
        .otherwise(pl.col("load"))
        .alias("load")
    )
    p = plan(busy)
    assert any(r.what.startswith("Busy yesterday") for r in p.reasons)
    assert p.light is not Light.GREEN


def test_without_an_envelope_the_budget_is_80_percent_of_the_median_logged_day() -> None:
    # Four days only: too few for the model, enough for the cautious fallback.
    days = frame(np.array([4.0, 6.0, 5.0, 7.0]), np.array([np.nan] * 4))
    p = plan(days)
    assert p.basis == "median"
    assert p.budget == 0.8 * 5.5
    assert p.certainty == "low"
    assert p.light is Light.GREEN  # the figure is already cautious; the certainty says "low"


def test_no_data_at_all_gives_no_number_and_a_rest_shape() -> None:
    days = frame(np.array([np.nan] * 2), np.array([3.0, 3.0]))
    p = plan(days)
    assert p.budget is None and p.left is None and p.basis == "none"
    assert [b.kind for b in p.shape] == ["rest"]


def test_the_day_shape_follows_each_block_with_at_least_as_much_rest() -> None:
    p = plan(steady())
    blocks = p.shape
    assert blocks and blocks[0].kind == "activity"
    for act, rest in zip(blocks[::2], blocks[1::2], strict=True):
        assert act.kind == "activity" and rest.kind == "rest"
        assert 10 <= act.minutes <= 15 and rest.minutes >= act.minutes
    assert p.left is not None
    assert sum(b.minutes for b in blocks if b.kind == "activity") <= p.left * 10


def test_a_used_up_budget_leaves_only_rest() -> None:
    p = plan(steady(), used=50.0)
    assert p.left == 0.0
    assert [b.kind for b in p.shape] == ["rest"]
    assert p.light is Light.AMBER
