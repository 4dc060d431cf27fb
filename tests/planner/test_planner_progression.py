"""The rule of two on simulated histories: steps kept, a flare within 48 h backs off, the weekly
limit, crashes, streaks, and ME/CFS never offered an increase."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from pacekeeper.domain.conditions import Condition
from pacekeeper.planner.progression import (
    Action,
    Outcome,
    Step,
    advise,
    envelope_grew,
    step_outcome,
    streak,
)
from pacekeeper.planner.safety import PemScreen, condition_rules
from tests.engine.simulate import START, frame
from tests.planner.histories import improving, steady

FM_OK = condition_rules([Condition.FIBROMYALGIA], PemScreen.NEGATIVE)
ME = condition_rules([Condition.ME_CFS], PemScreen.UNKNOWN)


def day(i: int) -> date:
    return START + timedelta(days=i)


def with_flare(days: pl.DataFrame, at: int, width: int = 2) -> pl.DataFrame:
    i = pl.int_range(pl.len())
    return days.with_columns(
        pl.when((i >= at) & (i < at + width))
        .then(8.0)
        .otherwise(pl.col("symptom"))
        .alias("symptom")
    )


def test_a_quiet_week_after_a_step_offers_the_next_ten_percent() -> None:
    days = steady(60)
    steps = [Step(day(40), 11.0)]
    assert step_outcome(steps[0], days, day(60)) is Outcome.KEPT
    a = advise(steps, 10.0, days, day(60), FM_OK)
    assert a.action is Action.STEP_UP and a.level == 11.0 and a.next_level == 12.1
    assert "watch 48 hours" in a.reason


def test_a_flare_within_48_hours_of_a_step_causes_a_step_back() -> None:
    days = with_flare(steady(60), 52)  # the step was on day 50; flare on days 52-53
    steps = [Step(day(40), 11.0), Step(day(50), 12.1)]
    assert step_outcome(steps[1], days, day(60)) is Outcome.FLARE
    a = advise(steps, 10.0, days, day(60), FM_OK, pem_days=3)
    assert a.action is Action.BACK_OFF
    assert a.next_level == pytest.approx(11.0 * 0.9)  # previous tolerated level minus 10%
    assert a.earliest_next == day(53)


def test_a_flare_three_days_later_is_outside_the_window() -> None:
    days = with_flare(steady(60), 53, width=1)
    assert step_outcome(Step(day(50), 12.1), days, day(59)) is Outcome.KEPT


def test_watching_during_48_hours_and_one_step_a_week() -> None:
    days = steady(60)
    watching = advise([Step(day(59), 11.0)], 10.0, days, day(60), FM_OK)
    assert watching.action is Action.WATCH and watching.next_level is None
    too_soon = advise([Step(day(55), 11.0)], 10.0, days, day(60), FM_OK)
    assert too_soon.action is Action.HOLD and too_soon.earliest_next == day(62)


def test_no_step_during_or_just_after_a_crash() -> None:
    days = with_flare(steady(60), 57, width=3)
    a = advise([Step(day(30), 11.0)], 10.0, days, day(60), FM_OK, pem_days=4)
    assert a.action is Action.HOLD and "crash" in a.reason


def test_after_stabilising_the_next_step_starts_from_the_backed_off_level() -> None:
    days = with_flare(steady(80), 52)
    steps = [Step(day(40), 11.0), Step(day(50), 12.1), Step(day(53), 9.9)]
    a = advise(steps, 10.0, days, day(75), FM_OK, pem_days=3)
    assert a.action is Action.STEP_UP and a.level == 9.9


@pytest.mark.parametrize("history", [steady(90), improving(), with_flare(steady(90), 80)])
def test_me_cfs_never_gets_an_escalation(history: pl.DataFrame) -> None:
    today = history["day"][-1] + timedelta(days=1)
    for steps in ([], [Step(day(10), 11.0)], [Step(day(10), 11.0), Step(day(30), 12.1)]):
        a = advise(steps, 10.0, history, today, ME)
        assert a.action in (Action.NOT_OFFERED, Action.ENVELOPE_GREW)
        assert a.next_level is None
        assert "try" not in a.reason.lower()


def test_me_cfs_hears_the_envelope_grew_only_after_a_stable_improvement() -> None:
    grew = advise([], 10.0, improving(), day(90), ME)
    flat = advise([], 10.0, steady(90), day(90), ME)
    assert grew.action is Action.ENVELOPE_GREW and "no crash" in grew.reason
    assert flat.action is Action.NOT_OFFERED
    assert envelope_grew(with_flare(improving(), 70)) is None  # a crash cancels it


def test_streaks_count_days_done_not_intensity() -> None:
    today = day(10)
    done = {day(i) for i in (5, 7, 8, 9)}
    assert streak(done, today) == 3  # yesterday counts while today is not done yet
    assert streak(done | {today}, today) == 4
    assert streak(set(), today) == 0


def test_no_history_starts_at_the_baseline() -> None:
    days = frame(np.full(10, 5.0), np.full(10, 3.0))
    a = advise([], 10.0, days, day(10), FM_OK)
    assert a.action is Action.STEP_UP and a.level == 10.0 and a.next_level == 11.0
