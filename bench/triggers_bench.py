"""Possible triggers (engine/triggers.py): how often a planted trigger is found at its lag, how
often a history with no trigger yields any finding, how long one person takes, and what the
method says on PMData's real fatigue reports (load is the only factor there).

    .venv/bin/python bench/triggers_bench.py            # --seeds N (default 20)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from datasets import load_pmdata  # noqa: E402

from pacekeeper.engine.triggers import FDR, find_triggers  # noqa: E402
from tests.engine.trigger_sim import TRACKERS, History, simulate  # noqa: E402


def _run(h: History):  # type: ignore[no-untyped-def]
    return find_triggers(h.days, checkins=h.checkins, trackers=TRACKERS, activities=h.activities)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    seeds = ap.parse_args().seeds
    print(f"Simulated histories of 365 days, {seeds} seeds each, FDR {FDR:.0%}")
    print("| planted | found at its lag | runs with another finding | false share of findings |")
    print("| --- | ---: | ---: | ---: |")
    for lag in (0, 1, 2, 3):
        hit = other = 0
        shares = []
        for s in range(seeds):
            r = _run(simulate(365, seed=s, lag=lag, p_after=0.4))
            keys = {(f.key, f.best.lag if f.best else -1) for f in r.likely}
            hit += ("tracker:visitors", lag) in keys
            false = sum(k != "tracker:visitors" for k, _ in keys)
            other += false > 0
            shares.append(false / len(keys) if keys else 0.0)
        share = sum(shares) / len(shares)
        print(f"| visitors, lag {lag}, 40% | {hit}/{seeds} | {other}/{seeds} | {share:.0%} |")
    null = sum(
        bool(_run(simulate(365, seed=1000 + s, lag=None, p_base=0.06)).likely) for s in range(seeds)
    )
    print(f"| nothing (null) | - | {null}/{seeds} |")
    for n in (365, 1095):
        h = simulate(n, seed=1)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            r = _run(h)
            times.append(time.perf_counter() - t0)
        print(f"{n} days, {r.tests} tests: best of 3 {min(times) * 1000:.0f} ms")
    print("\nPMData fatigue (load is the only factor: 'a busy day', top quarter)")
    print("| person | days | flares | tests | likely findings |")
    print("| --- | ---: | ---: | ---: | --- |")
    for person, frame in load_pmdata("fatigue"):
        r = find_triggers(frame.drop("crash", strict=False))
        found = "; ".join(f.words() for f in r.likely) or ("-" if r.enough else "too few flares")
        print(f"| {person} | {r.days} | {r.onsets} | {r.tests} | {found} |")


if __name__ == "__main__":
    main()
