"""Writing what importers read: one transaction for the whole import, so a crash or a kill
leaves the store exactly as it was, and natural keys make a repeated import add nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from pacekeeper import store
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.engine import Database
from pacekeeper.db.tables import Profile
from pacekeeper.domain.entries import ActivityData
from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.importers.base import (
    Answer,
    DayNote,
    ImportReport,
    NewTracker,
    Record,
)
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.detect import plan

Progress = Callable[[Path, int], None]
ACTIVITY_CHUNK = 2000  # activities checked and inserted together


def _context(p: Profile) -> ImportContext:
    return ImportContext(
        tz=profiles_db.profile_zone(p),
        boundary=profiles_db.profile_boundary(p),
        trackers={t.key: t for t in profiles_db.trackers(p)},
    )


def _store(
    s: Session, p: Profile, records: Iterable[Record], report: ImportReport, now: datetime
) -> None:
    answers: dict[date, dict[str, float]] = defaultdict(dict)
    notes: dict[date, list[str]] = defaultdict(list)
    samples = samples_db.SampleWriter(s, p.id)
    activities: list[ActivityData] = []

    def store_activities() -> None:
        if not activities:
            return
        added = entries_db.add_imported_activities(s, p, activities)
        if added:
            report.added["activities"] += added
        if len(activities) > added:
            report.duplicates["activities"] += len(activities) - added
        activities.clear()

    for r in records:
        if isinstance(r, samples_db.SampleData | SampleBatch):
            samples.add(r)
        elif isinstance(r, Answer):
            answers[r.day][r.key] = r.value
        elif isinstance(r, DayNote):
            notes[r.day].append(r.text)
        elif isinstance(r, NewTracker):
            if all(t.key != r.tracker.key for t in p.trackers):
                profiles_db.add_tracker(s, p, r.tracker)
                report.new_trackers.append(r.tracker.label)
        elif isinstance(r, ActivityData):
            activities.append(r)
            if len(activities) >= ACTIVITY_CHUNK:
                store_activities()
    store_activities()
    samples.close()
    if samples.seen:
        report.added["samples"] += samples.added
        report.duplicates["samples"] += samples.seen - samples.added
    source = report.format
    for day in sorted(set(answers) | set(notes)):
        result = checkins_db.merge_answers(
            s, p, day, answers.get(day, {}), "\n".join(notes.get(day, [])), source, now
        )
        report.added["answers"] += result.added
        report.duplicates["answers"] += result.same
        report.kept_existing += result.kept


def import_paths(
    db: Database,
    profile_id: int,
    paths: list[Path],
    *,
    now: datetime,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Import files (or folders of files) into a profile, all or nothing.

    Every file is detected before anything is written, so an unreadable one stops the import
    with a clear message. Raises ImportFileError; partly damaged files report what was skipped.
    """
    todo, reports = plan(paths)
    store.sweep(db)  # files a killed import left behind
    with db.write() as s:
        p = profiles_db.get_profile(s, profile_id)
        for path, importer in todo:
            report = ImportReport(str(path), importer.name)

            def file_progress(n: int, path: Path = path) -> None:
                if progress is not None:
                    progress(path, n)

            records = importer.read(path, report, file_progress, _context(p))
            _store(s, p, records, report, now)
            reports.append(report)
    return reports
