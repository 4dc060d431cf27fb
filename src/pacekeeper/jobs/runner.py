"""A small in-process job runner: one worker thread, jobs kept in memory with their progress.

Enough for a single-person server: jobs are short (an import takes seconds), and a restart
simply forgets finished jobs; what they wrote is in the database already (or, for a job that
failed or was cut off, nothing at all, since imports are one transaction).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pacekeeper.errors import PacekeeperError

KEEP = 50  # finished jobs remembered for their result pages


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    id: str
    title: str
    owner: str  # the browser that started it; others can't see it
    total: int = 0  # units of work (bytes for imports)
    done: int = 0
    state: JobState = JobState.QUEUED
    result: Any = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        if self.state is JobState.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    def advance(self, done: int) -> None:
        with self.lock:
            self.done = done


class JobRunner:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pacekeeper-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def submit(self, title: str, owner: str, total: int, work: Callable[[Job], Any]) -> Job:
        job = Job(uuid.uuid4().hex, title, owner, total)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)

        def run() -> None:
            job.state = JobState.RUNNING
            try:
                job.result = work(job)
                job.state = JobState.DONE
            except PacekeeperError as exc:
                job.error, job.state = exc.message, JobState.FAILED
            except Exception as exc:  # a bug: say so plainly, never a traceback on the page
                name = type(exc).__name__
                job.error = f"Something went wrong inside Pacekeeper ({name}). Nothing was saved."
                job.state = JobState.FAILED

        self._pool.submit(run)
        return job

    def get(self, job_id: str, owner: str) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
