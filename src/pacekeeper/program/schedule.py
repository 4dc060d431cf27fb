"""Which chapter is today's: pure, so the web app, the CLI and tests share one rule.

Rules (docs/program.md):
1. Only chapters for one of the person's conditions are ever offered. A person with no
   condition set gets the chapters marked `other` (general ones).
2. One new chapter a day: if a chapter was first read on this local day, it stays today's
   chapter until the day ends, however many are read.
3. Otherwise today's chapter is the unread one with the lowest `order`.
4. When every chapter is read, there is no new one; re-reading any chapter is always allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pacekeeper.domain.conditions import Condition
from pacekeeper.program.chapters import Chapter


@dataclass(frozen=True)
class DayPick:
    chapter: Chapter | None  # None: every chapter for this person is read
    read_today: bool  # the person already finished today's chapter
    read: int  # chapters for this person read so far
    total: int  # chapters for this person


def chapters_for(chapters: Iterable[Chapter], conditions: Iterable[Condition]) -> list[Chapter]:
    """The person's chapters, in reading order."""
    wanted = set(conditions) or {Condition.OTHER}
    return sorted((c for c in chapters if c.is_for(wanted)), key=lambda c: c.order)


def todays_chapter(
    chapters: Sequence[Chapter],
    conditions: Iterable[Condition],
    first_read: Mapping[str, date],
    today: date,
) -> DayPick:
    """`first_read`: chapter id -> the local day it was first marked read."""
    mine = chapters_for(chapters, conditions)
    done = [c for c in mine if c.id in first_read]
    today_reads = [c for c in done if first_read[c.id] == today]
    if today_reads:
        return DayPick(today_reads[0], True, len(done), len(mine))
    unread = next((c for c in mine if c.id not in first_read), None)
    return DayPick(unread, False, len(done), len(mine))
