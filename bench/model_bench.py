"""Backtest the PEM model and the baselines on the real data sets, and time them.

Usage (from the project root)::

    .venv/bin/python bench/model_bench.py                 # all data sets, then speed
    .venv/bin/python bench/model_bench.py --datasets pmdata-fatigue --no-speed
    .venv/bin/python bench/model_bench.py --json /tmp/model.json   # also keep raw results

For each data set and target (bench/datasets.py) every person is walked forward on their own
(``pacekeeper.engine.backtest.backtest``) with every baseline and, when importable,
``pacekeeper.engine.pem.PemForecaster``. Scores are computed on the days where *every*
forecaster made a forecast and the target is known, so all rows of a table see the same days:
pooled over persons (all days together) and as the median of the per-person scores. Rows of
a baseline the PEM model does not beat on a score are marked with that score's name.

Speed runs on one core (CPU affinity and thread pools set to 1 before NumPy loads) on a
simulated three-year person: fit + forecast = one ``forecast(days)`` call on all 1,095 days
(median of repeats), and a full walk-forward backtest of the same days.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "POLARS_MAX_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import datasets  # noqa: E402

from pacekeeper.engine.backtest import BacktestResult, backtest  # noqa: E402
from pacekeeper.engine.baselines import all_baselines  # noqa: E402
from pacekeeper.engine.forecast import Forecaster  # noqa: E402
from pacekeeper.engine.metrics import auroc, brier, mae  # noqa: E402

PEM = "pem"
MIN_ONSETS = 20
"""Below this many onsets in a data set, its crash scores are flagged as too thin to trust."""


def forecasters() -> tuple[list[Forecaster], str | None]:
    """The baselines, plus the PEM model when it imports (else the reason it does not)."""
    chosen: list[Forecaster] = list(all_baselines())
    try:
        from pacekeeper.engine.pem import PemForecaster

        model = PemForecaster()
        chosen.insert(0, model)
        return chosen, None
    except Exception as error:  # the model is being written beside this bench
        return chosen, f"{type(error).__name__}: {error}"


def _common_days(result: BacktestResult) -> tuple[np.ndarray, np.ndarray]:
    """Masks of forecast days where every forecaster forecast and the target is known."""
    first = result.forecasters[0]
    symptom = ~np.isnan(first.symptom_observed)
    crash = ~np.isnan(first.crash_observed)
    for f in result.forecasters:
        symptom &= ~np.isnan(f.symptom_predicted)
        crash &= ~np.isnan(f.risk_predicted)
    return symptom, crash


def score_dataset(
    people: list[tuple[str, pl.DataFrame]], chosen: list[Forecaster], min_history: int
) -> dict[str, Any]:
    pooled: dict[str, dict[str, list[np.ndarray]]] = {
        f.name: {"sp": [], "so": [], "rp": [], "ro": []} for f in chosen
    }
    per_person: dict[str, list[dict[str, Any]]] = {f.name: [] for f in chosen}
    errors: list[str] = []
    for person, frame in people:
        try:
            target = "crash_target" if "crash_target" in frame.columns else "crash"
            result = backtest(frame, chosen, min_history=min_history, target=target)
        except Exception as error:
            errors.append(f"{person}: {type(error).__name__}: {error}")
            traceback.print_exc(file=sys.stderr)
            continue
        s_ok, c_ok = _common_days(result)
        for f in result.forecasters:
            sp, so = f.symptom_predicted[s_ok], f.symptom_observed[s_ok]
            rp, ro = f.risk_predicted[c_ok], f.crash_observed[c_ok] > 0.5
            for key, value in (("sp", sp), ("so", so), ("rp", rp), ("ro", ro)):
                pooled[f.name][key].append(value)
            per_person[f.name].append(
                {
                    "person": person,
                    "days": frame.height,
                    "symptom_n": len(sp),
                    "mae": mae(sp, so),
                    "crash_n": len(rp),
                    "onsets": int(ro.sum()),
                    "auroc": auroc(rp, ro),
                    "brier": brier(rp, ro),
                }
            )
    rows: dict[str, dict[str, Any]] = {}
    for name, parts in pooled.items():
        cat = {k: np.concatenate(v) if v else np.array([]) for k, v in parts.items()}
        people_scores = per_person[name]

        def median(key: str, scores: list[dict[str, Any]] = people_scores) -> float | None:
            values = [p[key] for p in scores if p[key] is not None]
            return statistics.median(values) if values else None

        rows[name] = {
            "persons": len(people_scores),
            "symptom_n": len(cat["sp"]),
            "crash_n": len(cat["rp"]),
            "onsets": int(cat["ro"].sum()),
            "auroc": auroc(cat["rp"], cat["ro"]),
            "median_auroc": median("auroc"),
            "persons_with_auroc": sum(p["auroc"] is not None for p in people_scores),
            "brier": brier(cat["rp"], cat["ro"]),
            "median_brier": median("brier"),
            "mae": mae(cat["sp"], cat["so"]),
            "median_mae": median("mae"),
        }
    return {"rows": rows, "per_person": per_person, "errors": errors}


HIGHER_BETTER = {"auroc": True, "median_auroc": True}
SCORES = ("auroc", "median_auroc", "brier", "median_brier", "mae", "median_mae")


def _better(key: str, a: float | None, b: float | None) -> bool:
    """Is ``a`` strictly better than ``b`` on score ``key``? Unknown is never better."""
    if a is None or b is None:
        return False
    return a > b if HIGHER_BETTER.get(key, False) else a < b


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def markdown(name: str, scored: dict[str, Any]) -> str:
    rows: dict[str, dict[str, Any]] = scored["rows"]
    any_row = next(iter(rows.values()))
    lines = [
        f"### {name}",
        "",
        f"{any_row['persons']} persons; {any_row['crash_n']} scored days for crash onset "
        f"({any_row['onsets']} with an onset in the next 1-3 days), {any_row['symptom_n']} for "
        "next-day symptom. Medians over the persons whose score is defined "
        f"({any_row['persons_with_auroc']} have both onset and no-onset days for AUROC).",
        "",
        "| forecaster | AUROC pooled | AUROC median | Brier pooled | Brier median "
        "| MAE pooled | MAE median | PEM does not beat it on |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    best = {}
    for key in SCORES:
        candidates = [(n, r[key]) for n, r in rows.items() if r[key] is not None]
        if candidates:
            pick = candidates[0]
            for candidate in candidates[1:]:
                if _better(key, candidate[1], pick[1]):
                    pick = candidate
            best[key] = pick[0]
    pem = rows.get(PEM)
    for forecaster, row in rows.items():
        cells = []
        for key in SCORES:
            text = _fmt(row[key])
            cells.append(f"**{text}**" if best.get(key) == forecaster else text)
        if forecaster == PEM:
            mark = "(the model)"
        elif pem is None:
            mark = "n/a (no PEM model)"
        else:
            lost = [k for k in SCORES if not _better(k, pem[k], row[k])]
            mark = "**" + ", ".join(lost) + "**" if lost else "beaten on all"
        lines.append(f"| {forecaster} | " + " | ".join(cells) + f" | {mark} |")
    lines.append("")
    if any_row["onsets"] < MIN_ONSETS:
        lines.append(
            f"Only {any_row['onsets']} onsets: too few for the crash scores to mean much here."
        )
    lines.append("Best per column in bold. " + ", ".join(f"{k}: {v}" for k, v in best.items()))
    if scored["errors"]:
        lines.append("")
        lines.append("Persons left out after an error: " + "; ".join(scored["errors"]))
    return "\n".join(lines)


def simulated_person(days: int = 1095, seed: int = 7) -> pl.DataFrame:
    """Three years of one simulated person: load whose symptom effect peaks 1-2 days later,
    resting HR and HRV that move with it, gaps, and stand-in crash labels."""
    rng = np.random.default_rng(seed)
    load = rng.gamma(2.0, 60.0, days)
    kernel = np.array([0.0, 0.35, 0.4, 0.15, 0.1])
    effect = np.convolve(load, kernel)[:days] / 30.0
    symptom = np.clip(2.0 + effect + rng.normal(0, 0.8, days), 0, 10).round(1)
    rhr = 60.0 + effect + rng.normal(0, 2.0, days)
    hrv = 45.0 - 2 * effect + rng.normal(0, 4.0, days)
    missing = rng.random(days) < 0.08
    start = dt.date(2021, 1, 1)
    frame = pl.DataFrame(
        {
            "day": pl.date_range(start, start + dt.timedelta(days=days - 1), eager=True),
            "load": load,
            "symptom": np.where(missing, np.nan, symptom),
            "rhr": rhr,
            "hrv": hrv,
            "sleep_min": rng.normal(420, 40, days),
        }
    ).with_columns(pl.col("symptom").fill_nan(None))
    return datasets.label(frame, "standin")


def speed(chosen: list[Forecaster], repeats: int) -> list[dict[str, Any]]:
    frame = simulated_person()
    out = []
    for forecaster in chosen:
        forecaster.forecast(frame)  # warm caches and imports
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            forecaster.forecast(frame)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        backtest(frame, [forecaster])
        walk = time.perf_counter() - start
        out.append(
            {
                "forecaster": forecaster.name,
                "days": frame.height,
                "forecast_median_ms": statistics.median(times) * 1000,
                "walk_forward_s": walk,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default=",".join(datasets.DATASETS))
    parser.add_argument("--labels", choices=("auto", "engine", "standin"), default="auto")
    parser.add_argument("--min-history", type=int, default=21)
    parser.add_argument("--repeat", type=int, default=21, help="forecast() calls timed")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    chosen, pem_problem = forecasters()
    rule = datasets.labelling_rule() if args.labels == "auto" else args.labels
    print(f"# PEM backtest (crash labels: {rule}; min history {args.min_history})\n")
    if pem_problem:
        print(f"PEM model not measured: {pem_problem}\n")
    raw: dict[str, Any] = {"labels": rule, "datasets": {}, "speed": None}
    for name in args.datasets.split(","):
        people = [(p, datasets.label(f, rule)) for p, f in datasets.DATASETS[name]()]
        scored = score_dataset(people, chosen, args.min_history)
        raw["datasets"][name] = scored
        print(markdown(name, scored))
        print()
    if not args.no_speed:
        timings = speed(chosen, args.repeat)
        raw["speed"] = timings
        print("### Speed (one core, simulated person, 1,095 days)\n")
        print("| forecaster | fit + forecast, median | full walk-forward backtest |")
        print("| --- | ---: | ---: |")
        for row in timings:
            print(
                f"| {row['forecaster']} | {row['forecast_median_ms']:.1f} ms "
                f"| {row['walk_forward_s']:.2f} s |"
            )
        print("\nTargets: fit + forecast <= 20 ms median; walk-forward <= 5 s.")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
