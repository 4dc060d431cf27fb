"""The part files an open transaction has written or replaced, and what happens to them.

Parts are written without waiting for the disk: a thread fsyncs each one after it is written
(fsync lets other threads run, so the import goes on meanwhile), and the commit waits for all of
them, so a committed index row never names a file still in the page cache. After commit the
replaced files are deleted; after a rollback the written ones are.
A kill leaves only unnamed files, which `sweep` removes.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from pacekeeper.store.location import root_of
from pacekeeper.store.parts import remove_part

KEY = "sample_store"
SETTLE_AT = 256  # the writer waits for the pending syncs after this many parts


@dataclass
class Pending:
    """Files written or replaced in the session's open transaction, shared by its writers."""

    root: Path
    written: set[str] = field(default_factory=set)
    replaced: set[str] = field(default_factory=set)
    locked: set[int] = field(default_factory=set)
    syncs: list[tuple[str, Future[None]]] = field(default_factory=list)
    pool: ThreadPoolExecutor | None = None

    def wrote(self, name: str) -> None:
        """`name` was written in this transaction: sync it in the background."""
        self.written.add(name)
        if self.pool is None:
            self.pool = ThreadPoolExecutor(1, thread_name_prefix="part-sync")
        self.syncs.append((name, self.pool.submit(_fsync, self.root / name)))
        if len(self.syncs) >= SETTLE_AT:
            self.settle()

    def settle(self) -> None:
        """Wait for the syncs asked for so far and forget them (a big import keeps a few
        hundred at most); an error is raised here. A part replaced later in the same
        transaction may be gone before its turn: that is no error."""
        syncs, self.syncs = self.syncs, []
        for name, done in syncs:
            try:
                done.result()
            except FileNotFoundError:
                if name in self.written:
                    raise


def pending(s: Session) -> Pending:
    found = s.info.get(KEY)
    if isinstance(found, Pending):
        return found
    made = Pending(root_of(s))
    s.info[KEY] = made
    if not event.contains(s, "after_commit", _on_commit):
        event.listen(s, "before_commit", _on_before_commit)
        event.listen(s, "after_commit", _on_commit)
        event.listen(s, "after_rollback", _on_rollback)
    return made


def sync(p: Pending) -> None:
    """Wait until every part still written is synced; an error stops the commit. A part
    replaced later in the same transaction may be gone before its turn: that is no error."""
    p.settle()
    _stop(p)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stop(p: Pending) -> None:
    if p.pool is not None:
        p.pool.shutdown(wait=True, cancel_futures=True)
        p.pool = None


def _on_before_commit(s: Session) -> None:
    found = s.info.get(KEY)
    if isinstance(found, Pending):
        sync(found)


def _finish(s: Session, committed: bool) -> None:
    """After the transaction: drop what it replaced (commit) or what it wrote (rollback)."""
    found = s.info.pop(KEY, None)
    if isinstance(found, Pending):
        _stop(found)
        drop = found.replaced - found.written if committed else found.written
        for name in drop:
            remove_part(found.root, name)


def _on_commit(s: Session) -> None:
    _finish(s, committed=True)


def _on_rollback(s: Session) -> None:
    _finish(s, committed=False)
