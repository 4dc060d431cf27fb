"""Possible triggers: planted triggers are found at their lag, null histories give no more false
findings than the false discovery rate allows, and nothing is claimed below the minimum."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl
import pytest

from pacekeeper.engine.crashes import find_episodes
from pacekeeper.engine.trigger_factors import candidate_factors
from pacekeeper.engine.trigger_stats import (
    Comparison,
    benjamini_hochberg,
    block_permutations,
    wilson,
)
from pacekeeper.engine.triggers import FDR, MIN_EXPOSED, MIN_ONSETS, find_triggers
from tests.engine.trigger_sim import START, TRACKERS, VISITORS, simulate


def _run(h, **kw):  # type: ignore[no-untyped-def]
    return find_triggers(
        h.days, checkins=h.checkins, trackers=TRACKERS, activities=h.activities, **kw
    )


@pytest.mark.parametrize("lag", [0, 1, 2, 3])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_planted_trigger_is_found_at_its_lag(lag: int, seed: int) -> None:
    result = _run(simulate(365, seed=seed, lag=lag))
    assert result.enough
    top = result.factors[0]
    assert top.key == "tracker:visitors" and top.likely
    best = top.best
    assert best is not None and best.lag == lag and best.q <= FDR
    assert best.risk_ratio > 3 and best.rr_low > 1 and best.rd_low > 0
    assert best.counts.exposed_onsets <= best.counts.exposed_days
    assert "days with visitors, a flare started" in top.words()
    assert "Likely real (FDR" in top.words()


def test_the_words_say_what_followed_and_how_often_usually() -> None:
    result = _run(simulate(365, seed=1, lag=2))
    line = result.lines()[0]
    assert line.startswith("On ") and "2 days later (usual: 1 in " in line
    for word in ("cause", "because", "trigger"):
        assert word not in " ".join(result.lines()).lower()


def test_null_histories_give_few_false_findings() -> None:
    """No factor matters here; BH at 10% keeps the chance of any finding near 10% (under the
    complete null the false discovery rate is the chance of any false finding)."""
    runs = [_run(simulate(365, seed=100 + s, lag=None, p_base=0.06)) for s in range(20)]
    assert all(r.enough and r.tests >= 16 for r in runs)
    with_findings = sum(1 for r in runs if r.likely)
    # 20 runs at a 10% rate: more than 5 happens by chance less than 1% of the time.
    assert with_findings <= 5


def test_below_the_minimum_onsets_nothing_is_tested() -> None:
    h = simulate(120, seed=3, lag=None, p_base=0.0)
    result = _run(h)
    assert result.onsets == 0 and not result.enough
    assert result.tests == 0 and result.factors == []
    assert result.lines() == [
        f"Not enough data yet: 0 flares so far, I need at least {MIN_ONSETS}."
    ]


def test_a_factor_on_too_few_days_is_not_tested() -> None:
    h = simulate(365, seed=1, lag=2)
    first_days = [START + timedelta(days=i) for i in range(MIN_EXPOSED - 1)]
    rare = h.checkins.with_columns(
        pl.when(pl.col("key") == "visitors")
        .then(pl.col("day").is_in(first_days).cast(pl.Float64))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    result = find_triggers(h.days, checkins=rare, trackers=TRACKERS, activities=h.activities)
    visitors = next(f for f in result.factors if f.key == "tracker:visitors")
    assert visitors.lags == [] and not visitors.likely
    assert "not enough days yet" in visitors.words()


def test_a_treatment_column_is_a_factor_like_any_other() -> None:
    h = simulate(365, seed=2, lag=1)
    visit_days = h.checkins.filter((pl.col("key") == "visitors") & (pl.col("value") == 1.0))
    treatments = visit_days.select("day", pl.lit("prednisolone").alias("name"))
    factors = candidate_factors(h.days, treatments=treatments)
    assert [f.key for f in factors if f.kind == "treatment"] == ["treatment:prednisolone"]
    result = find_triggers(h.days, treatments=treatments)
    assert result.factors[0].key == "treatment:prednisolone"
    assert result.factors[0].best is not None and result.factors[0].best.lag == 1


def test_candidate_factors_cover_trackers_activities_loads() -> None:
    h = simulate(200, seed=4)
    keys = {
        f.key
        for f in candidate_factors(
            h.days, checkins=h.checkins, trackers=TRACKERS, activities=h.activities
        )
    }
    assert {"tracker:visitors", "tracker:coffee", "activity:walk", "activity:reading"} <= keys
    assert "load:physical" not in keys  # the same days as "walk": asked once
    # Symptom trackers define a flare, so they are never candidates.
    assert not {"tracker:fatigue", "tracker:crash"} & keys


def test_wilson_and_newcombe_intervals() -> None:
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-3)
    lo, hi = wilson(5, 10)
    assert (lo, hi) == (pytest.approx(0.2366, abs=1e-3), pytest.approx(0.7634, abs=1e-3))
    # Newcombe (1998), table II example: 56/70 vs 48/80 -> difference 0.2, 95% 0.0524 to 0.3339.
    c = Comparison(56, 70, 48, 80)
    d_lo, d_hi = c.difference_interval()
    assert c.risk_difference == pytest.approx(0.2)
    assert d_lo == pytest.approx(0.0524, abs=2e-3) and d_hi == pytest.approx(0.3339, abs=2e-3)
    rr, rr_lo, rr_hi = c.risk_ratio()
    assert rr == pytest.approx(0.8 / 0.6) and rr_lo < rr < rr_hi


def test_benjamini_hochberg_matches_the_step_up_rule() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    q = benjamini_hochberg(p)
    assert q.tolist() == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])


def test_block_permutations_move_whole_weeks() -> None:
    perms = block_permutations(23, count=50, seed=1)
    assert perms.shape == (50, 23)
    assert all(sorted(row) == list(range(23)) for row in perms.tolist())
    for row in perms.tolist():  # days 0-6 stay together and in order
        i = row.index(0)
        assert row[i : i + 7] == list(range(7))


def test_episodes_found_earlier_give_the_same_answer() -> None:
    h = simulate(200, seed=6, lag=1)
    again = _run(h, episodes=find_episodes(h.days))
    assert again.to_dict() == _run(h).to_dict()


def test_a_tiny_fdr_is_not_shown_as_zero() -> None:
    h = simulate(365, seed=1, lag=2)
    only_visitors = h.days.select("day", "symptom", "crash")
    result = find_triggers(only_visitors, checkins=h.checkins, trackers=[VISITORS])
    (top,) = result.factors
    assert result.tests == 4 and top.best is not None and top.best.q < 0.005
    assert top.words().endswith("Likely real (FDR under 1%).")
