"""Where an Apple Health import's memory and time go, stage by stage, in one process.

    .venv/bin/python bench/apple_health_probe.py /tmp/pk-apple-bench/export-1GB.xml

Runs `pacekeeper import` in this process (a fresh PACEKEEPER_HOME and profile, as the bench
does) while a thread samples the resident memory every 50 ms: this process's VmRSS plus that of
every child process it has (summed, so the parse workers are counted). Each sample is
charged to the stage the importing thread is in, found by wrapping the store's functions:

- libraries: Python, the CLI and the importer modules loaded, nothing read yet;
- schema check: the database opened and checked (Alembic runs only if a migration is due);
- parse: the importer working while nothing is being stored (the reader thread runs in every
  stage, so its memory shows in all of them);
- flush: a sample buffer being grouped by (kind, source, month), outside part reads and writes;
- part read / part write: an existing month part read back, a new part written;
- commit: after the last record, the index committed, replaced parts deleted, the summary
  printed.

Prints the peak and the time spent per stage, the process's own `ru_maxrss`, each worker
process's own peak, and the CPU seconds the import took in this process and in its workers.
`--set` changes a module constant first, e.g. `pacekeeper.importers.apple_health_scan.BLOCK` or
`pacekeeper.importers.apple_health_workers.MOST_WORKERS`; an environment variable such as
`ARROW_DEFAULT_MEMORY_POOL=mimalloc` (the CLI only sets a default) tries another allocator.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
STAGES = ("libraries", "schema check", "parse", "flush", "part read", "part write", "commit")


def anon_kib(pid: int) -> int:
    """Anonymous resident KiB of `pid` alone (heap and allocator arenas, not mapped code)."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon:"))


def rss_kib(pid: int) -> int:
    """Resident KiB of `pid` and all its descendants (0 for one that has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            own = int(f.read().split()[1]) * PAGE_KIB
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return own + sum(rss_kib(k) for k in children(pid))


def children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


class Probe:
    """The current stage (a stack: a part write inside a flush is charged to the write)."""

    def __init__(self) -> None:
        self.stack = ["libraries"]
        self.peak = dict.fromkeys(STAGES, 0)
        self.anon = dict.fromkeys(STAGES, 0)  # this process's anonymous KiB at its peak
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.counts = dict.fromkeys(STAGES, 0) | {"libraries": 1}
        self.since = time.perf_counter()
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.workers: dict[int, int] = {}  # child pid -> its own peak RSS, KiB

    def sample(self) -> None:
        me = os.getpid()
        while not self.done.wait(0.05):
            with self.lock:
                self._note(self.stack[-1], me)
            for kid in children(me):
                self.workers[kid] = max(self.workers.get(kid, 0), rss_kib(kid))

    def enter(self, stage: str) -> None:
        with self.lock:
            self._charge()
            self.stack.append(stage)
            self.counts[stage] += 1
            self._note(stage, os.getpid())

    def leave(self) -> None:
        with self.lock:
            self._note(self.stack[-1], os.getpid())
            self._charge()
            self.stack.pop()

    def switch(self, stage: str) -> None:
        with self.lock:
            self._charge()
            self.stack = [stage]
            self.counts[stage] += 1
            self._note(stage, os.getpid())

    def stop(self) -> None:
        with self.lock:
            self._charge()
        self.done.set()

    def _note(self, stage: str, pid: int) -> None:
        kib = rss_kib(pid)
        if kib > self.peak[stage]:
            self.peak[stage], self.anon[stage] = kib, anon_kib(pid)

    def _charge(self) -> None:
        now = time.perf_counter()
        self.seconds[self.stack[-1]] += now - self.since
        self.since = now


def wrap(probe: Probe, owner: Any, name: str, stage: str) -> None:
    inner: Callable[..., Any] = getattr(owner, name)

    def probed(*args: Any, **kwargs: Any) -> Any:
        probe.enter(stage)
        try:
            return inner(*args, **kwargs)
        finally:
            probe.leave()

    setattr(owner, name, probed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("export", type=Path)
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="MODULE.NAME=INT",
        help="try another setting, e.g. pacekeeper.store.writer.FLUSH_ROWS=50000",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pk-probe-") as home:
        os.environ["PACEKEEPER_HOME"] = home
        cli = Path(sys.executable).parent / "pacekeeper"
        subprocess.run(
            [str(cli), "profile", "create", "--name", "Probe", "--time-zone", "Europe/Berlin"],
            check=True,
            capture_output=True,
        )
        probe = Probe()
        sampler = threading.Thread(target=probe.sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        from pacekeeper import cli as pk_cli
        from pacekeeper.db.engine import Database
        from pacekeeper.importers import apply
        from pacekeeper.importers.apple_health import AppleHealth  # noqa: F401
        from pacekeeper.store import writer

        for setting in args.set:
            where, value = setting.split("=")
            module, name = where.rsplit(".", 1)
            setattr(importlib.import_module(module), name, int(value))
            print(f"  {where} = {value}")
        wrap(probe, Database, "upgrade", "schema check")
        wrap(probe, writer.SampleWriter, "flush", "flush")
        wrap(probe, writer, "read_table", "part read")
        wrap(probe, writer, "write_part", "part write")
        store = apply._store

        def probed_store(*a: Any, **kw: Any) -> None:
            store(*a, **kw)
            probe.switch("commit")  # the rest of import_paths: the commit and the swap

        apply._store = probed_store  # type: ignore[assignment]
        loaded = time.perf_counter() - start
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        kids_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        probe.switch("parse")
        try:
            pk_cli.main(["import", str(args.export)], standalone_mode=False)
        finally:
            probe.stop()
            sampler.join()
        probe.seconds["libraries"] = loaded
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{args.export.name}: {args.export.stat().st_size / 2**20:,.0f} MiB")
    print(f"  {'stage':<12}{'peak RSS':>10}{'of it anon':>12}{'seconds':>9}{'calls':>7}")
    for stage in STAGES:
        peak, anon = probe.peak[stage] / 1024, probe.anon[stage] / 1024
        secs, n = probe.seconds[stage], probe.counts[stage]
        print(f"  {stage:<12}{peak:>6.0f} MiB{anon:>8.0f} MiB{secs:>9.2f}{n:>7}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  ru_maxrss of this process: {maxrss:.0f} MiB (sampled RSS includes children)")
    if probe.workers:
        each = ", ".join(f"{k / 1024:.0f}" for k in sorted(probe.workers.values()))
        print(f"  worker processes: {len(probe.workers)}, peak RSS each {each} MiB")

    def seconds(after: resource.struct_rusage, before: resource.struct_rusage) -> float:
        return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    print(
        f"  CPU during the import: this process {seconds(cpu, cpu_before):.2f} s, "
        f"its workers {seconds(kids, kids_before):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
