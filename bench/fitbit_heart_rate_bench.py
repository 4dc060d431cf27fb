"""Fitbit heart_rate.json: Pacekeeper's streamed per-minute reader against loading it whole.

Usage (from the project root)::

    .venv/bin/python bench/fitbit_heart_rate_bench.py [--readings 1000000]

Writes a generated heart_rate.json (one reading every 5 s, Fitbit's own date style; real files
are not in ../shared/data, being ~120 MB each), then runs, each in its own subprocess so peak
RSS does not mix: "pacekeeper" (FitbitJson.read: streamed, averaged per minute) and "json.load"
(the obvious peer: json.load the whole file, then average per minute with a dict). Prints
seconds, peak RSS and the per-minute values each produced (they must agree), and the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = r"""
import json, resource, sys, time
from collections import defaultdict
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo
tool, path = sys.argv[1], Path(sys.argv[2])
t0 = time.perf_counter()
if tool == "pacekeeper":
    from pacekeeper.importers.base import ImportReport
    from pacekeeper.importers.context import ImportContext
    from pacekeeper.importers.fitbit_json import FitbitJson
    ctx = ImportContext(ZoneInfo("UTC"), dtime(4), {})
    report = ImportReport(str(path), "fitbit-json")
    total, n = 0.0, 0
    for r in FitbitJson().read(path, report, lambda b: None, ctx):
        total += r.value
        n += 1
else:
    minutes = defaultdict(list)
    for item in json.load(path.open()):
        minutes[item["dateTime"][:14]].append(item["value"]["bpm"])
    values = [round(sum(v) / len(v), 1) for v in minutes.values()]
    total, n = sum(values), len(values)
seconds = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss, "minutes": n, "sum": round(total, 1)}))
"""


def write(path: Path, readings: int) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w") as f:
        f.write("[")
        for i in range(readings):
            at = (start + timedelta(seconds=5 * i)).strftime("%m/%d/%y %H:%M:%S")
            sep = ", " if i else ""
            bpm = 55 + (i * 7919) % 60
            f.write(f'{sep}{{"dateTime": "{at}", "value": {{"bpm": {bpm}, "confidence": 2}}}}')
        f.write("]")


def run(tool: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", RUN, tool, str(path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return dict(json.loads(out.stdout))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--readings", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "heart_rate.json"
        write(path, args.readings)
        size = path.stat().st_size / 2**20
        print(f"heart_rate.json: {args.readings:,} readings, {size:.1f} MB")
        got = {tool: run(tool, path) for tool in ("pacekeeper", "json.load")}
    for tool, r in got.items():
        print(f"  {tool:<11} {r['seconds']:6.2f} s  peak RSS {r['rss_mb']:7.1f} MB  "
              f"{int(r['minutes']):,} minutes, sum of means {r['sum']:,}")  # fmt: skip
    p, j = got["pacekeeper"], got["json.load"]
    assert p["minutes"] == j["minutes"] and abs(p["sum"] - j["sum"]) < 1, "results differ"
    print(f"  time ratio pacekeeper / json.load: {p['seconds'] / j['seconds']:.2f}")
    print(f"  peak RSS ratio pacekeeper / json.load: {p['rss_mb'] / j['rss_mb']:.2f}")


if __name__ == "__main__":
    main()
