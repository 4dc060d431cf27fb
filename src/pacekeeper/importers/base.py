"""What every importer produces, and the report every import ends with.

An importer reads one file (streamed) and yields plain records: tracker answers for a local
day, activities, wearable samples. It never touches the database; `apply.py` writes what it
yields in one transaction. Problems in a partly damaged file become `Skipped` entries that say
where (line, byte offset, message index) and why; the rest still imports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData
from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.domain.trackers import TrackerDef

if TYPE_CHECKING:
    from pacekeeper.importers.context import ImportContext

Progress = Callable[[int], None]  # called with bytes read so far


@dataclass(frozen=True)
class Answer:
    """One tracker's value on one local day (a Visible rating, a CSV cell)."""

    day: date
    key: str
    value: float


@dataclass(frozen=True)
class DayNote:
    day: date
    text: str


@dataclass(frozen=True)
class NewTracker:
    """A tracker the file uses that the profile may not have yet (kept as a custom tracker)."""

    tracker: TrackerDef


# A SampleBatch is many samples as columns (fast importers; see domain/sample_batch.py).
Record = Answer | DayNote | NewTracker | ActivityData | SampleData | SampleBatch


@dataclass(frozen=True)
class Skipped:
    where: str  # "line 12", "byte 4096", "message 318"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ImportReport:
    path: str
    format: str
    added: Counter[str] = field(default_factory=Counter)  # kind -> records stored
    duplicates: Counter[str] = field(default_factory=Counter)  # kind -> already there, not added
    kept_existing: int = 0  # answers not overwritten because the day already had one
    skipped: list[Skipped] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    first_day: date | None = None
    last_day: date | None = None
    new_trackers: list[str] = field(default_factory=list)

    def saw_day(self, day: date) -> None:
        self.first_day = day if self.first_day is None else min(self.first_day, day)
        self.last_day = day if self.last_day is None else max(self.last_day, day)

    def summary(self, max_skipped: int = 10) -> str:
        lines = [f"{self.path} ({self.format})"]
        if self.first_day:
            lines.append(f"  days: {self.first_day} to {self.last_day}")
        for kind, n in sorted(self.added.items()):
            dup = self.duplicates.get(kind, 0)
            lines.append(f"  {kind}: {n} added" + (f", {dup} already there" if dup else ""))
        for kind, n in sorted(self.duplicates.items()):
            if kind not in self.added:
                lines.append(f"  {kind}: 0 added, {n} already there")
        if self.kept_existing:
            lines.append(
                f"  {self.kept_existing} answers kept as you entered them (not overwritten)"
            )
        if self.new_trackers:
            lines.append(f"  new trackers: {', '.join(self.new_trackers)}")
        if self.sources:
            lines.append(f"  sources: {', '.join(sorted(self.sources))}")
        if self.skipped:
            lines.append(f"  skipped {len(self.skipped)}:")
            lines += [f"    {s}" for s in self.skipped[:max_skipped]]
            if len(self.skipped) > max_skipped:
                lines.append(f"    ... and {len(self.skipped) - max_skipped} more")
        return "\n".join(lines)


class Importer(Protocol):
    name: str

    def sniff(self, head: bytes, path: Path) -> bool:
        """True if the file's first bytes look like this format (the name is only a hint)."""
        ...

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        """Yield records, appending problems to report.skipped; raise ImportFileError only when
        nothing in the file can be read."""
        ...
