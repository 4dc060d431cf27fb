"""Pacekeeper's own timings, printed: importing the real exports in ../shared/data, installing
the demo, and the history page. There is no peer tool for these (fit_bench.py compares the FIT
decoder with fitdecode and fitparse); they are here so the figures in docs have a source.

    .venv/bin/python bench/app_bench.py

Each case runs in a fresh subprocess on a new SQLite store and prints wall time and peak RSS.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

CASE = r"""
import json, resource, sys, tempfile, time
from datetime import UTC, datetime
from pathlib import Path
from pacekeeper.clock import FixedClock
from pacekeeper.config import load_settings
from pacekeeper.db import Database
from pacekeeper.db import profiles
from pacekeeper.domain import parse_profile

case, arg = sys.argv[1], sys.argv[2]
home = tempfile.mkdtemp()
clock = FixedClock(datetime(2026, 11, 24, 10, tzinfo=UTC))
settings = load_settings({"PACEKEEPER_HOME": home, "PACEKEEPER_SECRET_KEY": "b" * 40})
db = Database(settings.database_url)
db.upgrade()
out = {}
if case == "import":
    from pacekeeper.importers import import_paths
    data = parse_profile({"name": "B", "time_zone": "Europe/Oslo"}, clock.now().date())
    with db.write() as s:
        pid = profiles.create_profile(s, data, clock.now()).id
    t = time.perf_counter()
    reports = import_paths(db, pid, [Path(arg)], now=clock.now())
    out["seconds"] = time.perf_counter() - t
    out["records"] = sum(sum(r.added.values()) for r in reports)
    t = time.perf_counter()
    import_paths(db, pid, [Path(arg)], now=clock.now())
    out["reimport_seconds"] = time.perf_counter() - t
elif case == "demo":
    from pacekeeper.demo import install_demo
    t = time.perf_counter()
    install_demo(db, clock)
    out["seconds"] = time.perf_counter() - t
elif case == "history":
    from fastapi.testclient import TestClient
    from pacekeeper.demo import install_demo
    from pacekeeper.web import create_app
    install_demo(db, clock)
    with TestClient(create_app(settings, db, clock), client=("127.0.0.1", 1)) as c:
        for label in ("first", "again"):
            t = time.perf_counter()
            assert c.get(f"/history?days={arg}").status_code == 200
            out[label + "_seconds"] = time.perf_counter() - t
out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

P1 = DATA / "myaiguide-chronic-pain" / "Participant1"
CASES = [
    ("import", "Fitbit JSON folder (PMData p03)", DATA / "pmdata" / "p03" / "fitbit"),
    ("import", "FIT folder (44 files + others)", DATA / "fit"),
    ("import", "Garmin Connect export (MyAIGuide P1)", P1 / "garminDataFromWeb"),
    ("import", "fitbit.com monthly CSVs (80 files)", P1 / "dailyFitBitPerMonth"),
    ("demo", "demo install (182 days)", ""),
    ("history", "history page, 90 days, demo", "90"),
    ("history", "history page, 30 days, demo", "30"),
]  # fmt: skip


def main() -> None:
    print(f"{'case':42} {'seconds':>8} {'again':>8} {'records':>8} {'peak RSS':>9}")
    for case, label, arg in CASES:
        done = subprocess.run(
            [sys.executable, "-c", CASE, case, str(arg)], capture_output=True, text=True, check=True
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        first = r.get("seconds", r.get("first_seconds", 0.0))
        again = r.get("reimport_seconds", r.get("again_seconds"))
        print(
            f"{label:42} {first:8.2f} {'' if again is None else f'{again:8.2f}':>8} "
            f"{r.get('records', ''):>8} {r['peak_rss_mib']:7.0f} MiB"
        )


if __name__ == "__main__":
    main()
