"""The backtest as the CLI and docs run it: the PEM model beside every baseline, on crash
labels from the detector, with no forecaster able to peek at a later day.

Targets: a crash onset is where `crashes.find_episodes` starts an episode (ticked crashes, or a
sustained rise against the person's baseline), judged with the whole history. Forecasters see
`crash` labelled causally (`causal=True`): a day is a crash day for them only once the data up
to that day show it, so a label never carries news of the next day.
"""

from __future__ import annotations

import polars as pl

from pacekeeper.engine.backtest import BacktestResult, backtest
from pacekeeper.engine.baselines import all_baselines
from pacekeeper.engine.crashes import label_crashes
from pacekeeper.engine.forecast import Forecaster
from pacekeeper.engine.pem import PemForecaster

TARGET = "crash_target"


def with_crash_labels(days: pl.DataFrame) -> pl.DataFrame:
    """`crash_target` (hindsight labels) and `crash` (what was knowable each day)."""
    target = label_crashes(days)["crash_detected"]
    seen = label_crashes(days, causal=True)["crash_detected"]
    return days.with_columns(target.alias(TARGET), seen.alias("crash"))


def forecasters() -> list[Forecaster]:
    return [PemForecaster(), *all_baselines()]


def evaluate(days: pl.DataFrame, *, min_history: int = 21) -> BacktestResult:
    return backtest(with_crash_labels(days), forecasters(), min_history=min_history, target=TARGET)


def _fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def table_lines(result: BacktestResult) -> list[str]:
    """A plain table: one row per forecaster, best values marked with *."""
    rows = result.forecasters
    maes = [r.symptom_mae for r in rows if r.symptom_mae is not None]
    aucs = [r.crash_auroc for r in rows if r.crash_auroc is not None]
    briers = [r.crash_brier for r in rows if r.crash_brier is not None]
    out = [
        f"forecasts from {result.first_forecast_day} to {result.last_forecast_day}",
        f"{'forecaster':<22}{'MAE next day':>14}{'AUROC crash':>13}{'Brier':>8}{'onsets':>8}",
    ]
    for r in rows:

        def mark(v: float | None, best: list[float], low: bool) -> str:
            win = v is not None and best and v == (min(best) if low else max(best))
            return ("*" if win else " ") + _fmt(v)

        out.append(
            f"{r.name:<22}{mark(r.symptom_mae, maes, True):>14}"
            f"{mark(r.crash_auroc, aucs, False):>13}{mark(r.crash_brier, briers, True):>8}"
            f"{r.crash_onsets:>8}"
        )
    out.append("* best; MAE and Brier: lower is better; AUROC: higher is better (0.5 = chance).")
    return out
