"""The PEM model: it recovers what generated the data, stays honest with little data, and never
looks ahead."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pacekeeper.engine.kernels import gamma_weights, kernel_grid
from pacekeeper.engine.pem import PemForecaster, Walk, flare_threshold, prepare
from pacekeeper.engine.summary import summarize
from tests.engine.simulate import frame, from_model, from_reservoir


def _best_kernel(days: pl.DataFrame) -> tuple[float, float, np.ndarray]:
    prep = prepare(days)
    t = days.height - 1
    post = Walk(prep, t).posterior(t)
    assert post is not None
    kernels, _ = kernel_grid()
    i = int(np.argmax(post.weights))
    return kernels[i].delay, kernels[i].scale, post.mean[i]


@pytest.mark.parametrize(
    ("delay", "scale", "k", "phi"),
    [(0.0, 1.0, 0.3, 0.3), (1.0, 0.5, 0.5, 0.5), (2.0, 1.0, 0.4, 0.4), (4.0, 2.0, 0.6, 0.2)],
)
def test_recovers_delay_and_sensitivity_from_its_own_equations(
    delay: float, scale: float, k: float, phi: float
) -> None:
    days = from_model(730, delay=delay, scale=scale, k=k, phi=phi, seed=int(delay * 10 + 1))
    got_delay, _, beta = _best_kernel(days)
    assert got_delay == pytest.approx(delay, abs=0.5)
    assert beta[1] == pytest.approx(k, rel=0.25)
    assert beta[2] == pytest.approx(phi, abs=0.12)


def test_felt_delay_and_interval_match_the_true_response() -> None:
    days = from_model(365, delay=2.0, scale=1.0, k=0.5, phi=0.3, seed=7)
    s = summarize(days)
    assert s is not None
    # The true response: kernel spread by recovery; its worst day.
    w = gamma_weights(2.0, 1.0)
    r = np.zeros(14)
    for h in range(14):
        r[h] = 0.5 * w[h] + (0.3 * r[h - 1] if h else 0.0)
    true_peak = int(np.argmax(r))
    assert s.delay.low <= true_peak <= s.delay.high
    assert s.peak_rise.low > 0
    assert s.peak_rise.low <= 10 * r.max() <= s.peak_rise.high * 1.1
    assert s.certainty == "high"


def test_a_different_generating_process_still_shows_the_lag() -> None:
    """A reservoir drained three days after effort: the model must put the peak at 2-4 days."""
    days = from_reservoir(540, lag_days=3)
    s = summarize(days)
    assert s is not None
    assert 2.0 <= s.delay.value <= 4.0
    assert s.peak_rise.value > 0


def test_intervals_narrow_as_data_grow() -> None:
    widths = []
    for n in (28, 120, 720):
        s = summarize(from_model(n, delay=1.0, scale=1.0, k=0.5, phi=0.4, seed=3))
        assert s is not None
        widths.append(s.peak_rise.high - s.peak_rise.low)
    assert widths[0] > widths[1] > widths[2]


def test_three_weeks_give_a_usable_answer_marked_unsure() -> None:
    s = summarize(from_model(21, delay=1.0, scale=1.0, k=0.5, phi=0.4, seed=4))
    assert s is not None
    assert s.certainty == "low"
    assert any("not sure" in w for w in s.words())
    assert 0.0 <= s.delay.low <= s.delay.high <= 21


def test_a_week_of_data_is_too_little_for_a_forecast() -> None:
    days = from_model(7, delay=1.0, scale=1.0, k=0.5, phi=0.4)
    assert summarize(days) is None
    assert PemForecaster().forecast(days).symptom_next is None


def test_without_any_load_it_forecasts_from_symptoms_alone_and_says_so() -> None:
    base = from_model(60, delay=1.0, scale=1.0, k=0.5, phi=0.4)
    days = base.with_columns(pl.lit(None, dtype=pl.Float64).alias("load"))
    f = PemForecaster().forecast(days)
    assert f.symptom_next is not None and 0 <= f.symptom_next <= 10
    s = summarize(days)
    assert s is not None and not s.load_effect
    assert "no exertion data" in s.words()[0]


def test_constant_data_do_not_break_it() -> None:
    n = 60
    days = frame(np.full(n, 5.0), np.full(n, 4.0))
    f = PemForecaster().forecast(days)
    assert f.symptom_next == pytest.approx(4.0, abs=0.3)
    assert f.crash_risk is not None and f.crash_risk < 0.05
    s = summarize(days)
    assert s is not None and s.certainty == "low"


def test_long_gaps_are_bridged_not_zero_filled() -> None:
    days = from_model(300, delay=1.0, scale=1.0, k=0.5, phi=0.4, seed=9)
    gap = pl.int_range(0, days.height).is_between(100, 160)
    holed = days.with_columns(
        pl.when(gap).then(None).otherwise(pl.col("load")).alias("load"),
        pl.when(gap).then(None).otherwise(pl.col("symptom")).alias("symptom"),
    )
    prep = prepare(holed)
    # Missing loads read as the usual load, never zero.
    assert prep.x_fill[130] == pytest.approx(prep.typical[99])
    assert prep.x_fill[130] > 1.0
    forecasts = PemForecaster().walk(holed, 0)
    # Three days are bridged with the model's own predictions, then it waits for a check-in.
    assert all(f.symptom_next is not None for f in forecasts[100:103])
    assert all(f.symptom_next is None for f in forecasts[103:161])
    assert forecasts[-1].symptom_next is not None
    s = summarize(holed)
    assert s is not None and s.peak_rise.low > 0


def test_walk_equals_forecasting_each_prefix_and_never_looks_ahead() -> None:
    days = from_model(120, delay=2.0, scale=1.0, k=0.5, phi=0.4, seed=11)
    days = days.with_columns(
        pl.when(pl.int_range(0, days.height) % 9 == 4).then(None).otherwise(pl.col("symptom"))
    )
    model = PemForecaster()
    walked = model.walk(days, 20)
    for t in (20, 47, 63, 100, 119):
        alone = model.forecast(days.head(t + 1))
        assert alone.symptom_next == pytest.approx(walked[t - 20].symptom_next, abs=1e-9)
        assert alone.crash_risk == pytest.approx(walked[t - 20].crash_risk, abs=1e-9)
    # Scramble everything after day 70: forecasts up to day 70 must not move.
    rng = np.random.default_rng(0)
    tail = days.slice(71).select("load", "symptom").sample(fraction=1.0, shuffle=True, seed=1)
    scrambled = pl.concat(
        [
            days.head(71),
            days.slice(71).with_columns(tail["load"] * rng.uniform(0, 3), tail["symptom"]),
        ]
    )
    assert model.walk(scrambled, 20)[: 71 - 20] == walked[: 71 - 20]


def test_flare_threshold_follows_the_person_and_their_ticked_crashes() -> None:
    calm = frame(np.full(60, 3.0), np.full(60, 2.0))
    thr = flare_threshold(calm)
    assert thr[40] == pytest.approx(3.5)  # median 2 + the 1.5-point floor
    crash = [False] * 60
    for i in (30, 45):
        crash[i] = True
    ticked = frame(np.full(60, 3.0), np.where(np.isin(np.arange(60), (30, 45)), 8.0, 2.0))
    ticked = ticked.with_columns(pl.Series("crash", crash))
    assert flare_threshold(ticked)[50] > 3.5


def test_flare_threshold_at_a_day_uses_only_that_day_and_before() -> None:
    """What crashes.find_episodes relies on to read each day's threshold from one pass."""
    rng = np.random.default_rng(5)
    symptom = np.clip(rng.normal(3, 1.5, 200), 0, 10)
    symptom[rng.random(200) < 0.2] = np.nan  # days without a check-in
    crash = (rng.random(200) < 0.05).tolist()
    days = frame(np.full(200, 2.0), symptom).with_columns(pl.Series("crash", crash))
    whole = flare_threshold(days).to_list()
    for k in (1, 6, 8, 29, 91, 150, 200):
        assert flare_threshold(days.head(k)).to_list() == whole[:k]
