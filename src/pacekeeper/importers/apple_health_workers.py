"""Converting an export's blocks on several cores: parse worker processes.

Python runs one thread at a time, and turning Record lines into columns is Python work, so a
large export is converted in worker processes (`python -I -S apple_health_lines.py`: the
standard library only, 16-17 MiB each at 1 GiB). A feeder thread reads blocks and hands them to the
workers in turn; the caller gets each block back with its columns in file order. At most
`AHEAD` blocks per worker are out at once, so memory stays flat however large the export.

Small exports, and `workers=0`, convert in this process with the same function.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any

from pacekeeper.errors import PacekeeperError
from pacekeeper.importers import apple_health_lines as lines
from pacekeeper.importers.apple_health_lines import Tables

AHEAD = 2  # blocks out per worker: one being converted, one waiting in its pipe
MOST_WORKERS = 2  # one: 16 MiB less, 46% more time at 1 GiB (bench/README.md)
Block = tuple[bytes, int]  # whole lines, the file byte they start at
_END = object()


class WorkerStopped(PacekeeperError):
    """A worker process ended without answering (killed, or out of memory)."""


def worker_count(size: int, block: int) -> int:
    """Workers for an export of `size` bytes read in blocks of `block`: none for a few blocks
    (starting a process costs more than it saves) or on one core, else one per core up to
    MOST_WORKERS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if size < 4 * block or (cores or 1) < 2:
        return 0
    return min(MOST_WORKERS, cores or 1)


def converted(blocks: Iterator[Block], tables: Tables, workers: int) -> Iterator[tuple[Block, Any]]:
    """(block, its `convert` result) in file order."""
    pool = None
    if workers > 0:
        try:
            pool = _Pool(workers, tables)
        except OSError:  # no process could be started (a limit, a locked-down system): go on here
            pool = None
    if pool is None:
        for block in blocks:
            yield block, lines.convert(block[0], tables)
        return
    try:
        yield from pool.run(blocks)
    finally:
        pool.close()


class _Worker:
    def __init__(self, tables: Tables) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", lines.__file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        except BaseException:
            self.errors.close()
            raise
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        lines.send(self.stdin, pickle.dumps(tables.state(), protocol=pickle.HIGHEST_PROTOCOL))

    def answer(self) -> Any:
        payload = lines.receive(self.stdout)
        if payload is None:
            code = self.process.wait()
            self.errors.seek(0)
            said = self.errors.read().decode(errors="replace").strip().splitlines()
            why = f", {said[-1][:200]}" if said else ""
            raise WorkerStopped(
                f"the import stopped: one of its reading processes ended (exit status {code}"
                f"{why}; out of memory?). Nothing was stored; please try again"
            )
        return pickle.loads(payload)  # noqa: S301 (our own worker, over our own pipe)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for stream in (self.stdin, self.stdout, self.errors):
            with contextlib.suppress(OSError):
                stream.close()


class _Pool:
    def __init__(self, n: int, tables: Tables) -> None:
        self.out: queue.Queue[Any] = queue.Queue()  # (block, worker), then _END or a failure
        self.room = threading.Semaphore(AHEAD * n)
        self.stopping = threading.Event()
        self.feeder: threading.Thread | None = None
        self.workers: list[_Worker] = []
        try:
            for _ in range(n):
                self.workers.append(_Worker(tables))
        except BaseException:
            self.close()  # the ones that did start
            raise

    def run(self, blocks: Iterator[Block]) -> Iterator[tuple[Block, Any]]:
        self.feeder = threading.Thread(
            target=self._feed, args=(blocks,), name="apple-health-feeder", daemon=True
        )
        self.feeder.start()
        while True:
            item = self.out.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            block, worker = item
            result = worker.answer()
            self.room.release()
            yield block, result

    def _feed(self, blocks: Iterator[Block]) -> None:
        try:
            for i, block in enumerate(blocks):
                while not self.room.acquire(timeout=0.1):
                    if self.stopping.is_set():
                        return
                if self.stopping.is_set():
                    return
                worker = self.workers[i % len(self.workers)]
                self.out.put((block, worker))
                lines.send(worker.stdin, block[0])
            self.out.put(_END)
        except BrokenPipeError:
            # The worker is gone; the reader finds out when it asks for the answer.
            self.out.put(_END)
        except BaseException as exc:  # a read error: raised in the reader's thread, in order
            self.out.put(exc)

    def close(self) -> None:
        self.stopping.set()
        for worker in self.workers:
            worker.stop()
        if self.feeder is not None:
            self.feeder.join()
