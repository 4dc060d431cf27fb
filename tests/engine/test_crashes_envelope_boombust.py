"""Crash episodes, the energy envelope and the boom-bust notice on histories with a known shape."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pacekeeper.engine.boombust import boom_bust
from pacekeeper.engine.crashes import find_episodes, label_crashes
from pacekeeper.engine.envelope import energy_envelope
from tests.engine.simulate import START, frame, from_model


def _calm_with_flares(n: int, flares: dict[int, list[float]]) -> np.ndarray:
    rng = np.random.default_rng(5)
    y = 3.0 + rng.normal(0, 0.3, n)
    for at, values in flares.items():
        y[at : at + len(values)] = values
    return y


def test_a_sustained_rise_is_an_episode_with_onset_peak_and_end() -> None:
    y = _calm_with_flares(80, {40: [6.5, 7.5, 6.0, 5.0]})
    episodes = find_episodes(frame(np.full(80, 4.0), y))
    assert len(episodes) == 1
    ep = episodes[0]
    assert (ep.onset - START).days == 40
    assert (ep.peak - START).days == 41
    assert (ep.end - START).days == 43  # 5.0 is still above halfway to the threshold
    assert ep.peak_burden == pytest.approx(7.5)
    assert not ep.ticked


def test_one_bad_day_alone_is_not_a_crash_unless_the_body_agrees() -> None:
    y = _calm_with_flares(80, {40: [7.0]})
    plain = frame(np.full(80, 4.0), y)
    assert find_episodes(plain) == []
    rhr_dev = [None] * 80
    rhr_dev[40] = 8.0
    backed = plain.with_columns(pl.Series("rhr_dev", rhr_dev, dtype=pl.Float64))
    [ep] = find_episodes(backed)
    assert ep.body_support and (ep.onset - START).days == 40


def test_a_ticked_crash_is_always_an_episode_and_labels_fill_the_frame() -> None:
    y = _calm_with_flares(60, {})
    crash = [None] * 60
    crash[30] = True
    days = frame(np.full(60, 4.0), y).with_columns(pl.Series("crash", crash, dtype=pl.Boolean))
    labelled = label_crashes(days)
    assert labelled["crash_detected"][30] is True
    assert labelled["crash_detected"][10] is False
    assert labelled["episode"][30] == 1


def test_one_missing_day_inside_a_crash_does_not_end_it() -> None:
    y = _calm_with_flares(80, {40: [7.0, 7.5, np.nan, 7.0]})
    [ep] = find_episodes(frame(np.full(80, 4.0), y))
    assert (ep.end - START).days == 43


def test_the_envelope_keeps_the_next_days_under_the_flare_threshold() -> None:
    days = from_model(240, delay=1.0, scale=1.0, k=0.6, phi=0.4, seed=21)
    env = energy_envelope(days, used_today=2.0)
    assert env is not None
    assert env.reason in ("model", "no_harm_seen")
    assert env.safe_load > 0.0
    assert env.low <= env.safe_load <= env.high
    assert env.left == pytest.approx(max(env.safe_load - 2.0, 0.0))


def test_big_days_just_before_shrink_today_s_envelope() -> None:
    """Delayed PEM: yesterday's and the day before's effort is still to be paid for."""
    days = from_model(240, delay=1.0, scale=1.0, k=0.8, phi=0.3, seed=21, noise=0.3)
    load = days["load"].to_numpy().copy()
    quiet, busy = load.copy(), load.copy()
    quiet[-2:] = 1.0
    busy[-2:] = 12.0
    calm = energy_envelope(days.with_columns(pl.Series("load", quiet)))
    after = energy_envelope(days.with_columns(pl.Series("load", busy)))
    assert calm is not None and after is not None
    assert after.safe_load < calm.safe_load


def test_already_in_a_flare_means_rest_today() -> None:
    days = from_model(200, delay=1.0, scale=1.0, k=0.3, phi=0.7, seed=22)
    y = days["symptom"].to_numpy().copy()
    y[-4:] = 9.5
    env = energy_envelope(days.with_columns(pl.Series("symptom", y)))
    assert env is not None
    assert env.reason == "over_threshold" and env.safe_load == 0.0
    assert "rest" in env.words()


def test_no_envelope_without_load_data() -> None:
    days = from_model(60, delay=1.0, scale=1.0, k=0.5, phi=0.4).with_columns(
        pl.lit(None, dtype=pl.Float64).alias("load")
    )
    assert energy_envelope(days) is None


def _boom_bust_history(boom: bool) -> pl.DataFrame:
    n = 120
    load = np.full(n, 4.0)
    y = _calm_with_flares(n, {})
    if boom:
        for spike in (70, 88, 106):
            load[spike] = 10.0
            y[spike + 2 : spike + 5] = [7.0, 7.5, 6.0]
    return frame(load, y)


def test_boom_bust_is_noticed_only_when_spikes_are_followed_by_crashes() -> None:
    boom = boom_bust(_boom_bust_history(True))
    assert boom.present
    assert len(boom.events) >= 2
    assert all(e.ratio >= 1.5 for e in boom.events)
    notice = boom.notice()
    assert notice is not None and "followed by a crash" in notice
    steady = boom_bust(_boom_bust_history(False))
    assert not steady.present and steady.notice() is None
    assert steady.oscillation == pytest.approx(0.0)
