"""Inputs read straight from export files, without a database (for `pacekeeper backtest FILE`).

The same importers as `pacekeeper import` read the files, so the backtest sees exactly what an
import would store; answers a file gives twice for one day keep the last, as an import does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pyarrow as pa

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture, RestData
from pacekeeper.domain.localday import utc_offset_minutes
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch
from pacekeeper.domain.trackers import BUILTIN_TRACKERS
from pacekeeper.engine.wearable import ASLEEP
from pacekeeper.frames.build import Inputs, empty_samples
from pacekeeper.importers.base import Answer, ImportReport, NewTracker, Record
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.detect import plan

CHUNK = 100_000
# Kinds the engine reads; the rest (distance, SpO2, ...) are not kept in memory here.
USED_KINDS = frozenset(
    {"steps", "active_minutes", "heart_rate", "resting_heart_rate", "hrv_rmssd", "hrv_sdnn"}
    | {"hr_zone_minutes"}
    | {k.value for k in ASLEEP}
)
UPRIGHT = {Posture.UPRIGHT.value}


class _Collector:
    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.answers: dict[tuple[object, str], float] = {}
        self.activities: list[dict[str, object]] = []
        self.rests: list[dict[str, object]] = []
        self.sample_rows: list[dict[str, object]] = []
        self.tables: list[pa.Table] = []
        self.trackers = {t.key: t for t in BUILTIN_TRACKERS}

    def add(self, r: Record | SampleBatch) -> None:
        if isinstance(r, SampleData):
            if r.kind.value in USED_KINDS:
                self.sample_rows.append(_sample_row(r))
                if len(self.sample_rows) >= CHUNK:
                    self._flush()
        elif isinstance(r, SampleBatch):
            table = r.table
            self.tables.append(
                table.filter(pa.compute.is_in(table["kind"], pa.array(sorted(USED_KINDS))))
            )
        elif isinstance(r, Answer):
            self.answers[(r.day, r.key)] = r.value
        elif isinstance(r, NewTracker):
            self.trackers.setdefault(r.tracker.key, r.tracker)
        elif isinstance(r, ActivityData):
            self.activities.append(
                {
                    "day": self.ctx.day_of(r.started_at),
                    "minutes": float(r.minutes),
                    "physical": float(r.physical),
                    "cognitive": float(r.cognitive),
                    "emotional": float(r.emotional),
                    "social": float(r.social),
                    "posture": "walking" if r.posture.value in UPRIGHT else r.posture.value,
                    "what": r.what,
                }
            )
        elif isinstance(r, RestData):
            self.rests.append({"day": self.ctx.day_of(r.started_at), "minutes": float(r.minutes)})

    def _flush(self) -> None:
        if self.sample_rows:
            self.tables.append(pa.Table.from_pylist(self.sample_rows, schema=SAMPLE_SCHEMA))
            self.sample_rows = []

    def inputs(self) -> Inputs:
        self._flush()
        out = Inputs(trackers=list(self.trackers.values()))
        if self.answers:
            out.checkins = pl.DataFrame(
                {
                    "day": [d for d, _ in self.answers],
                    "key": [k for _, k in self.answers],
                    "value": list(self.answers.values()),
                },
                schema=out.checkins.schema,
            )
        if self.activities:
            out.activities = pl.DataFrame(self.activities, schema=out.activities.schema)
        if self.rests:
            out.rests = pl.DataFrame(self.rests, schema=out.rests.schema)
        if self.tables:
            frame = pl.from_arrow(pa.concat_tables(self.tables))
            assert isinstance(frame, pl.DataFrame)
            out.samples = frame
        else:
            out.samples = empty_samples()
        return out


def _sample_row(r: SampleData) -> dict[str, object]:
    return {
        "kind": r.kind.value,
        "start": r.start,
        "utc_offset_minutes": utc_offset_minutes(r.start),
        "end": r.end,
        "value": r.value,
        "source": r.source,
        "extra": None,
    }


def inputs_from_paths(
    paths: Iterable[Path], *, tz: ZoneInfo, boundary: time
) -> tuple[Inputs, list[ImportReport]]:
    """Read export files (or folders) into Inputs; reports say what each file gave or skipped.

    Raises ImportFileError when a file named on the command line cannot be read at all.
    """
    ctx = ImportContext(tz=tz, boundary=boundary, trackers={t.key: t for t in BUILTIN_TRACKERS})
    collector = _Collector(ctx)
    todo, reports = plan(list(paths))
    for path, importer in todo:
        report = ImportReport(str(path), importer.name)
        for record in importer.read(path, report, lambda n: None, ctx):
            collector.add(record)
        reports.append(report)
    return collector.inputs(), reports
