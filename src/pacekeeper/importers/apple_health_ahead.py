"""Reading ahead: the export is parsed in a second thread while the caller stores what came
before, through a small bounded queue (memory stays flat; the reader waits when the store is
slower). The reader thread mostly waits on the parse workers' pipes, which lets the storing
thread run.

Only the caller's thread reports progress, and an error in the reader is raised in the caller's
thread where the reader would have raised it. If the caller stops early, the reader is told to
stop and the file is closed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
AHEAD = 4  # items waiting at most: a few batches of a few MB of export each
_DONE = object()


def read_ahead(
    make: Callable[[Callable[[int], None]], Iterator[T]], progress: Callable[[int], None]
) -> Iterator[T]:
    """Iterate `make(progress)` in a thread; yields its items in order in the caller's thread."""
    items: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    done = [0]  # bytes read, as the reader last reported

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def note(n: int) -> None:
        done[0] = n

    def run() -> None:
        try:
            it = make(note)
            try:
                for item in it:
                    if not put(item):
                        return
            finally:
                close = getattr(it, "close", None)
                if close is not None:
                    close()
            put(_DONE)
        except BaseException as exc:  # handed to the caller's thread, raised there
            put(_Failed(exc))

    thread = threading.Thread(target=run, name="apple-health-reader", daemon=True)
    thread.start()
    reported = -1
    try:
        while True:
            item = items.get()
            if done[0] != reported:
                reported = done[0]
                progress(reported)
            if item is _DONE:
                break
            if isinstance(item, _Failed):
                raise item.exc
            yield item  # type: ignore[misc]
        if done[0] != reported:
            progress(done[0])
    finally:
        stop.set()
        thread.join()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
