"""Before/after a treatment change against the earlier trend: planted steps are recovered on top
of an improving trend (where a plain before/after is biased), the 80% interval covers the truth
about 80% of the time, a trend alone is not called an effect, and the minimums, missing days and
the confounding and crash flags behave."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from pacekeeper.engine.treatment_effect import LEVEL, MIN_AFTER, MIN_BEFORE, Windows, before_after
from pacekeeper.engine.treatment_outcomes import OUTCOMES, describe, effects, outcome_frame

T0 = date(2026, 2, 1)
RUNS = 300


def history(
    seed: int, *, step: float, slope: float, rho: float = 0.4, sd: float = 0.8,
    before: int = 42, after: int = 35, missing: float = 0.0,
) -> pl.DataFrame:  # fmt: skip
    """Symptom burden around T0: 6 + slope x t + step (from T0 on) + AR(1) noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(-before, after)
    e = np.zeros(len(t))
    e[0] = rng.normal(0, sd)
    for i in range(1, len(t)):
        e[i] = rho * e[i - 1] + rng.normal(0, sd * np.sqrt(1 - rho**2))
    y = 6 + slope * t + step * (t >= 0) + e
    y[rng.random(len(t)) < missing] = np.nan
    days = [T0 + timedelta(days=int(x)) for x in t]
    return pl.DataFrame({"day": days, "symptom": y}).with_columns(pl.col("symptom").fill_nan(None))


def many(step: float, slope: float, **kw: float) -> list:  # type: ignore[type-arg]
    return [
        before_after(history(s, step=step, slope=slope, **kw), "symptom", T0) for s in range(RUNS)
    ]


def test_a_step_on_an_improving_trend_is_recovered_and_the_naive_difference_is_biased() -> None:
    step, slope = -1.5, -0.03  # 1.5 points better from the start, on a trend already improving
    runs = many(step, slope, missing=0.1)
    assert all(r.enough for r in runs)
    estimates = np.array([r.effect for r in runs])
    naive = np.array([r.naive for r in runs])
    assert abs(estimates.mean() - step) < 0.1
    # The plain difference adds the trend's drift between the windows' middles (about 1.3 points).
    assert naive.mean() < step - 1.0
    covered = np.mean([r.low <= step <= r.high for r in runs])
    assert 0.72 <= covered <= 0.93
    # The part the trend explains is the naive difference minus the adjusted one, on each run.
    assert all(abs(r.explained_by_trend - (r.naive - r.effect)) < 1e-12 for r in runs)
    assert np.mean([r.clear and r.effect < 0 for r in runs]) > 0.6


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.6])
def test_with_no_change_the_80_percent_interval_covers_zero_about_80_percent(rho: float) -> None:
    assert LEVEL == 0.80
    runs = many(0.0, 0.0, rho=rho, missing=0.15)
    covered = np.mean([r.low <= 0 <= r.high for r in runs])
    assert 0.74 <= covered <= 0.92, covered


def test_a_trend_alone_is_not_called_an_effect() -> None:
    runs = many(0.0, -0.04)
    claimed = np.mean([r.clear for r in runs])
    assert claimed <= 0.25  # the 80% interval's own error rate, no more
    # ... while a plain before/after would call nearly every one an improvement.
    assert np.mean([r.naive < -1.0 for r in runs]) > 0.9
    assert abs(np.mean([r.effect for r in runs])) < 0.1


def test_missing_days_still_recover_the_step() -> None:
    runs = many(1.0, 0.02, missing=0.4)
    usable = [r for r in runs if r.enough]
    assert len(usable) > RUNS * 0.9
    assert abs(np.mean([r.effect for r in usable]) - 1.0) < 0.15
    assert all(r.n_before < 42 for r in usable)
    assert 0.72 <= np.mean([r.low <= 1.0 <= r.high for r in usable]) <= 0.95


def test_below_the_minimums_nothing_is_estimated() -> None:
    short_before = before_after(history(1, step=-1, slope=0, before=MIN_BEFORE - 1), "symptom", T0)
    assert not short_before.enough and short_before.n_before == MIN_BEFORE - 1
    assert np.isnan(short_before.effect) and not short_before.clear
    exactly = before_after(history(1, step=-1, slope=0, before=MIN_BEFORE), "symptom", T0)
    assert exactly.enough
    # After the 7-day wash-in only 6 days with a value: refused.
    wash = Windows().wash_in_days
    short_after = before_after(
        history(1, step=-1, slope=0, after=wash + MIN_AFTER - 1), "symptom", T0
    )
    assert not short_after.enough and short_after.n_after == MIN_AFTER - 1
    words = describe(OUTCOMES[0], short_after)
    assert "not enough data" in words and f"{MIN_AFTER} needed" in words


def test_the_wash_in_days_are_left_out() -> None:
    frame = history(3, step=0.0, slope=0.0, sd=0.3)
    # A big first week (side effects) and nothing after: the effect ignores the first week.
    frame = frame.with_columns(
        pl.when((pl.col("day") >= T0) & (pl.col("day") < T0 + timedelta(days=7)))
        .then(pl.col("symptom") + 4.0)
        .otherwise(pl.col("symptom"))
        .alias("symptom")
    )
    r = before_after(frame, "symptom", T0)
    assert r.low <= 0 <= r.high
    assert min(t for t, _ in r.points if t >= 0) == 7
    with_wash_in = before_after(frame, "symptom", T0, windows=Windows(wash_in_days=0))
    assert with_wash_in.effect > 0.5


def test_other_changes_in_the_windows_are_flagged_as_confounders() -> None:
    frame = history(5, step=-1, slope=0)
    others = [
        (T0 - timedelta(days=10), "Pacing course started"),
        (T0 + timedelta(days=20), "Magnesium stopped"),
        (T0 - timedelta(days=60), "long before"),
        (T0 + timedelta(days=60), "long after"),
    ]
    r = before_after(frame, "symptom", T0, others=others)
    assert [w for _, w in r.confounders] == ["Pacing course started", "Magnesium stopped"]
    assert "Pacing course started on 2026-01-22" in describe(OUTCOMES[0], r)
    clean = before_after(frame, "symptom", T0, others=others[2:])
    assert clean.confounders == () and "Something else" not in describe(OUTCOMES[0], clean)


def test_a_crash_just_before_the_start_is_flagged() -> None:
    frame = history(6, step=-1, slope=0)
    near = before_after(frame, "symptom", T0, crash_days=[T0 - timedelta(days=3)])
    far = before_after(frame, "symptom", T0, crash_days=[T0 - timedelta(days=30)])
    assert near.crash_before and not far.crash_before
    assert "some recovery would have come anyway" in describe(OUTCOMES[0], near)


def test_sentences_say_the_number_the_interval_and_the_trend_part() -> None:
    r = before_after(history(2, step=-2.0, slope=-0.03, sd=0.4), "symptom", T0)
    assert r.clear and r.high < 0
    text = describe(OUTCOMES[0], r)
    assert text.startswith(f"Symptom burden: {abs(r.effect):.1f} points lower than the earlier")
    assert ", which is better (likely " in text
    assert f"{abs(r.high):.1f} to {abs(r.low):.1f} points lower" in text
    trend = r.naive - r.effect
    assert trend < 0  # the improving trend made the plain difference bigger
    assert (
        f"A plain before/after would say {abs(r.naive):.1f} points lower; {abs(trend):.1f} " in text
    )
    assert "of that is the trend that was already there." in text


def test_outcomes_come_from_the_daily_frame_and_check_ins() -> None:
    days = [T0 + timedelta(days=n) for n in range(-30, 12)]
    daily = pl.DataFrame(
        {
            "day": days,
            "symptom": [5.0] * 42,
            "crash": [None if n % 5 else True for n in range(42)],
            "checked_in": [n % 7 != 0 for n in range(42)],
            "load": [3.0] * 42,
            "rhr": [60.0] * 42,
        }
    )
    checkins = pl.DataFrame({"day": days, "key": ["fatigue"] * 42, "value": [4.0] * 42})
    frame = outcome_frame(daily, checkins)
    crash = frame["crash_day"].to_list()
    assert crash[0] is None and crash[5] == 1.0 and crash[1] == 0.0  # not checked in: unknown
    assert frame["fatigue"].to_list() == [4.0] * 42 and frame["hrv"].null_count() == 42
    got = effects(frame, T0)
    assert [e.outcome.column for e in got] == ["symptom", "fatigue", "crash_day", "rhr"]
    assert not any(e.effect.enough for e in got)  # 5 days after the 7-day wash-in


def test_when_the_trend_explains_more_than_the_plain_difference_the_sentence_says_so() -> None:
    # Improving by 0.05 a day with a worsening step of +1: the plain difference still looks like
    # an improvement, all of it (and more) from the trend.
    r = before_after(history(3, step=1.0, slope=-0.05, sd=0.3), "symptom", T0)
    trend = r.naive - r.effect
    assert r.naive < 0 and trend < 0 and abs(trend) > abs(r.naive)
    text = describe(OUTCOMES[0], r)
    assert f"A plain before/after would say {abs(r.naive):.1f} points lower; the trend " in text
    assert f"accounts for all of that ({abs(trend):.1f} points lower by itself)." in text
