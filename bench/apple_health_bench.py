"""Apple Health import: Pacekeeper against healthkit-to-sqlite and a bare expat pass, one run.

    /tmp/hk-venv/bin/pip install healthkit-to-sqlite     # benchmark-only, its own venv
    .venv/bin/python bench/apple_health_bench.py --sizes 200MB,1GB [--repeat 2]

Exports are written by bench/apple_health_gen.py (with `--valid-dtd`: healthkit-to-sqlite's
ElementTree refuses the malformed DTD newer iOS writes, so every tool gets a file it can read)
into --dir (kept there for the next run unless --clean). Each tool runs in its own subprocess;
its time is wall-clock. Its peak RSS is the largest *sum* of the resident memory of the process
and all its descendants, sampled every 20 ms from /proc (Pacekeeper's parse workers are child
processes, so their memory is counted with the parent's; memory two processes share is counted
twice), or the `ru_maxrss` that `os.wait4` reports if that is larger (a peak shorter than 20 ms
in one process). bench/apple_health_probe.py splits Pacekeeper's memory by stage. `--tools` picks
the tools for a run, e.g. `--sizes 4GB --tools pacekeeper-read,pacekeeper`. Tools:

- pacekeeper: `pacekeeper import export.xml` into a fresh default store (SQLite and the sample
  store under a new PACEKEEPER_HOME, a fresh profile), the whole command as a user runs it;
- pacekeeper-read: the importer alone (`AppleHealth().read`), everything parsed, nothing stored;
- healthkit-to-sqlite: `healthkit-to-sqlite --xml export.xml db` into a fresh SQLite file;
- expat: a bare expat pass over the file (DTD cut, one handler counting elements): the floor.

records/s counts the file's top-level Record elements (the same number for every tool).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
sys.path.insert(0, str(HERE))

from apple_health_gen import parse_size  # noqa: E402
from apple_health_probe import rss_kib  # noqa: E402

EXPAT = """
import sys
from xml.parsers import expat
counts = {"n": 0}
def start(name, attrs, c=counts):
    if name == "Record":
        c["n"] += 1
p = expat.ParserCreate()
p.StartElementHandler = start
with open(sys.argv[1], "rb") as f:
    head = f.read(1 << 20)
    a, b = head.find(b"<!DOCTYPE"), head.find(b"<HealthData")
    p.Parse(head[:a] + head[b:] if 0 <= a < b else head, False)
    while chunk := f.read(1 << 20):
        p.Parse(chunk, False)
p.Parse(b"", True)
print(counts["n"])
"""
# Records at depth 1 only: those inside a Correlation are counted by their top-level copies.
READ = """
import sys
from collections import Counter
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo
from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.importers.apple_health import AppleHealth
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.context import ImportContext
path = Path(sys.argv[1])
report = ImportReport(str(path), "apple-health")
n = Counter()
ctx = ImportContext(ZoneInfo("UTC"), time(4), {})
for r in AppleHealth().read(path, report, lambda b: None, ctx):
    n[type(r).__name__] += len(r) if isinstance(r, SampleBatch) else 1
print(sum(n.values()))
"""


@dataclass
class Run:
    tool: str
    seconds: float
    rss_mib: float
    ok: bool
    note: str = ""


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    note = (out.strip().splitlines() or [""])[-1][:80]
    if proc.returncode != 0:
        note = (err.strip().splitlines() or ["failed"])[-1][:120]
    rss_mib = max(peak[0], usage.ru_maxrss) / 1024
    return Run(cmd[0], seconds, rss_mib, proc.returncode == 0, note)


def pacekeeper(xml: Path, work: Path) -> Run:
    home = work / "pk-home"
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "PACEKEEPER_HOME": str(home)}
    cli = [str(Path(PYTHON).parent / "pacekeeper")]
    made = subprocess.run(
        [*cli, "profile", "create", "--name", "Bench", "--time-zone", "Europe/Berlin"],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    if made.returncode != 0:
        return Run("pacekeeper", 0, 0, False, made.stderr.strip()[-120:])
    run = timed([*cli, "import", str(xml)], env=env, cwd=ROOT)
    run.tool = "pacekeeper import"
    if run.ok:
        run.note = f"store {du(home) / 2**20:.0f} MiB"
    shutil.rmtree(home, ignore_errors=True)
    return run


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def healthkit(xml: Path, work: Path, exe: Path) -> Run:
    db = work / "healthkit.db"
    db.unlink(missing_ok=True)
    run = timed([str(exe), "--silent", "--xml", str(xml), str(db)])
    run.tool = "healthkit-to-sqlite"
    db.unlink(missing_ok=True)
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200MB")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "pk-apple-bench")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; the best is shown")
    ap.add_argument("--tools", default="expat,pacekeeper-read,pacekeeper,healthkit-to-sqlite")
    ap.add_argument(
        "--healthkit",
        type=Path,
        default=Path(tempfile.gettempdir()) / "hk-venv" / "bin" / "healthkit-to-sqlite",
    )
    ap.add_argument("--clean", action="store_true", help="delete the exports afterwards")
    args = ap.parse_args(argv)
    tools = args.tools.split(",")
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.1f}")
    for size_text in args.sizes.split(","):
        size = parse_size(size_text)
        xml = args.dir / f"export-{size_text}.xml"
        if not xml.exists() or abs(xml.stat().st_size - size) > size // 50:
            subprocess.run([PYTHON, str(HERE / "apple_health_gen.py"), "--size", size_text,
                            "--valid-dtd", "--out", str(xml)], check=True)  # fmt: skip
        records = int(timed([PYTHON, "-c", EXPAT, str(xml)]).note or 0)
        print(f"\n{xml.name}: {xml.stat().st_size / 2**20:,.0f} MiB, {records:,} records")
        best: dict[str, Run] = {}
        for _ in range(args.repeat):
            for tool in tools:
                if tool == "expat":
                    run = timed([PYTHON, "-c", EXPAT, str(xml)])
                    run.tool, run.note = "expat (floor)", ""
                elif tool == "pacekeeper-read":
                    run = timed([PYTHON, "-c", READ, str(xml)], cwd=ROOT)
                    run.tool, run.note = "pacekeeper read only", f"{run.note} records out"
                elif tool == "pacekeeper":
                    run = pacekeeper(xml, args.dir)
                elif tool == "healthkit-to-sqlite":
                    if not args.healthkit.exists():
                        print(f"  ({args.healthkit} not installed: skipped)")
                        continue
                    run = healthkit(xml, args.dir, args.healthkit)
                else:
                    raise SystemExit(f"unknown tool {tool}")
                if run.tool not in best or (run.ok and run.seconds < best[run.tool].seconds):
                    best[run.tool] = run
        header = f"{'tool':<24}{'seconds':>9}{'records/s':>12}{'peak RSS':>12}"
        print(f"  {header}  note (RSS: all processes)")
        for run in best.values():
            rate = records / run.seconds if run.seconds else 0
            status = "" if run.ok else "FAILED "
            figures = f"{run.seconds:>9.2f}{rate:>12,.0f}{run.rss_mib:>9.0f} MiB"
            print(f"  {run.tool:<24}{figures}  {status}{run.note}")
        pk, hk = best.get("pacekeeper import"), best.get("healthkit-to-sqlite")
        floor, read = best.get("expat (floor)"), best.get("pacekeeper read only")
        if pk and hk and pk.ok and hk.ok:
            print(f"  healthkit-to-sqlite / pacekeeper import: {hk.seconds / pk.seconds:.1f}x")
        if pk and floor:
            print(f"  pacekeeper import / expat floor: {pk.seconds / floor.seconds:.2f}")
        if read and floor:
            print(f"  pacekeeper read only / expat floor: {read.seconds / floor.seconds:.2f}")
        if args.clean:
            xml.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
