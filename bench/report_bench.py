"""How long the clinician report takes for a year of data: the issue asks for under 3 s.

    .venv/bin/python bench/report_bench.py

A year of demo history (generated, seed 7) is stored in a new SQLite file first. Then a fresh
Python process makes the 365-day report (HTML and PDF) three times and prints each time: the
first includes loading the libraries and the first chart render, as the first report after the
server starts would; a second fresh process first calls reports.warmup.warm_up(), as `serve`
does at start-up, and then times its first report. Chart renders are cached by content
(reports/charts.py); the cache is cleared before each run so that every run draws its charts.
Also printed: the parts (gather, HTML with charts, PDF) of one more run.
There is no peer tool that makes this report, so the ratio printed is against the 3 s target.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TARGET_S = 3.0
NOW = "2026-03-15T10:00:00+00:00"

SETUP = r"""
import sys
from datetime import datetime
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.demo import install_demo
db = Database(f"sqlite:///{sys.argv[1]}")
db.upgrade()
print(install_demo(db, FixedClock(datetime.fromisoformat(sys.argv[2])), days=365, seed=7))
"""

CASE = r"""
import json, sys, time
t0 = time.perf_counter()
from datetime import datetime
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.reports.charts import _render
from pacekeeper.reports.clinician import gather, make_report, render_html, render_pdf
imports = time.perf_counter() - t0
warm = 0.0
if sys.argv[4] == "warm":  # as `serve` does at start-up, before anyone asks for a report
    from pacekeeper.reports.warmup import warm_up
    t = time.perf_counter()
    warm_up()
    warm = time.perf_counter() - t
db, pid = Database(f"sqlite:///{sys.argv[1]}"), int(sys.argv[3])
clock = FixedClock(datetime.fromisoformat(sys.argv[2]))
runs = []
for _ in range(3):
    _render.cache_clear()  # every run draws its charts: no run is helped by the one before
    t = time.perf_counter()
    report = make_report(db, pid, clock, 365)
    runs.append(time.perf_counter() - t)
t = time.perf_counter()
with db.read() as s:
    data = gather(s, profiles_db.get_profile(s, pid), clock, 365)
t_gather = time.perf_counter() - t
_render.cache_clear()
t = time.perf_counter()
html = render_html(data, data.last)
t_html = time.perf_counter() - t
t = time.perf_counter()
pdf = render_pdf(html)
t_pdf = time.perf_counter() - t
print(json.dumps({"imports": imports, "warm": warm, "runs": runs, "gather": t_gather,
                  "html": t_html, "pdf": t_pdf, "pdf_bytes": len(report.pdf or b""),
                  "days": data.frame.height}))
"""


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    store = folder / "pacekeeper.db"
    pid = subprocess.run(
        [sys.executable, "-c", SETUP, str(store), NOW], check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    r, w = (_case(store, pid, mode) for mode in ("cold", "warm"))
    first, later = r["runs"][0], min(r["runs"][1:])
    print(f"clinician report, 365 days of demo data ({r['days']} days in the period)")
    print(f"  library imports in the fresh process: {r['imports']:.2f} s")
    print(
        f"  first report (HTML + PDF):            {first:.2f} s  ({first / TARGET_S:.2f} x target)"
    )
    print(
        f"  later report (HTML + PDF):            {later:.2f} s  ({later / TARGET_S:.2f} x target)"
    )
    print(f"  first incl. imports:                  {r['imports'] + first:.2f} s")
    print(f"  parts of a later run: gather {r['gather']:.2f} s, HTML with charts "
          f"{r['html']:.2f} s, PDF {r['pdf']:.2f} s ({r['pdf_bytes'] / 1024:.0f} KiB)")  # fmt: skip
    wfirst = w["runs"][0]
    print(f"  fresh process with warm_up() first (as `serve` starts): warm-up {w['warm']:.2f} s,")
    print(
        f"  then first report:                    {wfirst:.2f} s  ({wfirst / TARGET_S:.2f} x target)"  # noqa: E501
    )
    print(f"  target: under {TARGET_S:.0f} s")


def _case(store: Path, pid: str, mode: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", CASE, str(store), NOW, pid, mode],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    main()
