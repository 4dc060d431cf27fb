"""Writing the export document, streamed: rows are read in batches and written one by one, so
memory does not grow with the length of a history."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pacekeeper import __version__, store
from pacekeeper.backup import planner_program as plans
from pacekeeper.backup import questionnaires as quest
from pacekeeper.backup import treatments
from pacekeeper.clock import Clock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.tables import Activity, CheckIn, Rest
from pacekeeper.domain.localday import with_offset

FORMAT = "pacekeeper-export"
SCHEMA_VERSION = 1
BATCH = 5000  # rows fetched per round trip (yield_per; a server-side cursor on PostgreSQL)


@dataclass(frozen=True)
class ExportSummary:
    checkins: int
    activities: int
    rests: int
    samples: int

    def __str__(self) -> str:
        return (
            f"{self.checkins} check-ins, {self.activities} activities, {self.rests} rests, "
            f"{self.samples} samples"
        )


def _iso(instant: datetime, offset_minutes: int) -> str:
    return with_offset(instant, offset_minutes).isoformat()


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _dump(value: Any) -> str:
    # allow_nan=False: NaN and Infinity are not JSON; never write a file that cannot be read back.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _write_array(out: IO[str], name: str, items: Iterable[dict[str, Any]], last: bool) -> int:
    out.write(f'  "{name}": [')
    n = 0
    for item in items:
        out.write(("\n    " if n == 0 else ",\n    ") + _dump(item))
        n += 1
    out.write("\n  ]" if n else "]")
    out.write("\n" if last else ",\n")
    return n


def export_profile(db: Database, profile_id: int, out: IO[str], *, clock: Clock) -> ExportSummary:
    """Write profile `profile_id` and everything that belongs to it as one JSON document."""
    with db.read() as s:
        p = profiles_db.get_profile(s, profile_id)
        data = profiles_db.profile_data(p)
        trackers = profiles_db.trackers(p)
        keys = {t.id: t.key for t in p.trackers}
        head = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "exported_at": clock.now().isoformat(),
            "generator": f"pacekeeper {__version__}",
            "generated_data": data.is_generated,
            "profile": {
                "name": data.name,
                "conditions": [c.value for c in data.conditions],
                "birth_year": data.birth_year,
                "sex": data.sex.value if data.sex else None,
                "resting_hr": data.resting_hr,
                "hr_ceiling": data.hr_ceiling,
                "hr_ceiling_method": data.hr_ceiling_method.value
                if data.hr_ceiling_method
                else None,
                "hr_affecting_medication": data.hr_affecting_medication,
                "time_zone": data.time_zone,
                "day_boundary": f"{data.day_boundary:%H:%M}",
                "theme": data.theme,
            },
            "trackers": [
                {
                    "key": t.key,
                    "label": t.label,
                    "kind": t.kind.value,
                    "min_value": _number(t.min_value),
                    "max_value": _number(t.max_value),
                    "low_anchor": t.low_anchor,
                    "high_anchor": t.high_anchor,
                    "higher_is_worse": t.higher_is_worse,
                    "is_symptom": t.is_symptom,
                    "unit": t.unit,
                    "enabled": t.enabled,
                    "position": t.position,
                    "builtin": t.builtin,
                }
                for t in trackers
            ],
        }
        out.write("{\n")
        for name, value in head.items():
            out.write(f'  "{name}": {_dump(value)},\n')

        checkins = (
            {
                "day": c.day.isoformat(),
                "recorded_at": _iso(c.recorded_at, c.utc_offset_minutes),
                "note": c.note,
                "client_id": c.client_id,
                "source": c.source,
                "values": {
                    keys[v.tracker_id]: _number(v.value)
                    for v in sorted(c.values, key=lambda v: keys[v.tracker_id])
                },
            }
            for c in s.scalars(
                select(CheckIn)
                .where(CheckIn.profile_id == p.id)
                .order_by(CheckIn.day)
                .options(selectinload(CheckIn.values))
                .execution_options(yield_per=BATCH)
            )
        )
        n_checkins = _write_array(out, "checkins", checkins, last=False)

        activities = (
            {
                "what": a.what,
                "started_at": _iso(a.started_at, a.utc_offset_minutes),
                "minutes": a.minutes,
                "physical": a.physical,
                "cognitive": a.cognitive,
                "emotional": a.emotional,
                "social": a.social,
                "posture": a.posture,
                "note": a.note,
                "source": a.source,
                "client_id": a.client_id,
            }
            for a in s.scalars(
                select(Activity)
                .where(Activity.profile_id == p.id)
                .order_by(Activity.started_at, Activity.id)
                .execution_options(yield_per=BATCH)
            )
        )
        n_activities = _write_array(out, "activities", activities, last=False)

        rests = (
            {
                "kind": r.kind,
                "started_at": _iso(r.started_at, r.utc_offset_minutes),
                "minutes": r.minutes,
                "note": r.note,
                "source": r.source,
                "client_id": r.client_id,
            }
            for r in s.scalars(
                select(Rest)
                .where(Rest.profile_id == p.id)
                .order_by(Rest.started_at, Rest.id)
                .execution_options(yield_per=BATCH)
            )
        )
        n_rests = _write_array(out, "rests", rests, last=False)

        samples = (
            {
                "kind": x.kind,
                "start": _iso(x.start, x.utc_offset_minutes),
                "end": _iso(x.end, x.utc_offset_minutes) if x.end else None,
                "value": _number(x.value),
                "unit": x.unit,
                "source": x.source,
                "extra": x.extra,
            }
            # One month's part in memory at a time: a long history holds millions of samples.
            # The order is the natural key's (kind, source, start), as before.
            for x in store.iter_samples(s, p.id)
        )
        n_samples = _write_array(out, "samples", samples, last=False)

        # The planner's and the program's sections (added in schema version 1; see the docs).
        settings = plans.planner_settings(s, p.id)
        out.write(f'  "planner_settings": {_dump(settings)},\n')
        _write_array(out, "progression_movements", plans.movements(s, p.id), last=False)
        _write_array(out, "chapter_reads", plans.chapter_reads(s, p.id), last=False)
        _write_array(out, "program_goals", plans.goals(s, p.id), last=False)
        # The questionnaires' sections (added in schema version 1 too; see the docs).
        _write_array(out, "questionnaire_responses", quest.responses(s, p.id), last=False)
        _write_array(out, "questionnaire_schedules", quest.schedules(s, p.id), last=False)
        # The treatments' section (added in schema version 1 too; see the docs).
        _write_array(out, "treatments", treatments.rows(s, p.id), last=True)
        out.write("}\n")
    return ExportSummary(n_checkins, n_activities, n_rests, n_samples)
