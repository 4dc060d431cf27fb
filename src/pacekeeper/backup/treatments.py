"""The treatments' part of a backup: each medicine, supplement or therapy row with its dose and
days (a dose change is two rows, as in the database).

Kept apart from export.py and restore.py, like questionnaires.py. On restore each row is checked
with the same rules as the form (db/treatments.py `check`), except the "not more than a year
ahead" rule: a backup restores what was saved, whenever it is restored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.backup.planner_program import instant
from pacekeeper.db.tables import Treatment
from pacekeeper.db.treatments import TreatmentInput, check
from pacekeeper.errors import BackupFileError, ValidationError

SECTIONS = ("treatments",)


def rows(s: Session, profile_id: int) -> Iterator[dict[str, Any]]:
    """Oldest start first; rows starting on the same day in the order they were saved."""
    found = s.scalars(
        select(Treatment)
        .where(Treatment.profile_id == profile_id)
        .order_by(Treatment.started_on, Treatment.id)
    )
    for t in found:
        yield {
            "name": t.name,
            "kind": t.kind,
            "dose": t.dose,
            "started_on": t.started_on.isoformat(),
            "stopped_on": t.stopped_on.isoformat() if t.stopped_on else None,
            "notes": t.notes,
            "created_at": t.created_at.astimezone(UTC).isoformat(),
        }


@dataclass(frozen=True)
class TreatmentRow:
    data: TreatmentInput
    created_at: datetime | None  # None in a hand-written backup: the restore's time


def _day(where: str, at: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BackupFileError(where, at, f"must be a date like 2026-03-29, not {text!r}") from exc


def _row(where: str, at: str, raw: dict[str, Any]) -> TreatmentRow:
    started = _day(where, f"{at}.started_on", raw["started_on"])
    assert started is not None  # required by the schema
    data = TreatmentInput(raw["name"], raw["kind"], raw.get("dose"), started,
                          _day(where, f"{at}.stopped_on", raw.get("stopped_on")),
                          raw.get("notes"))  # fmt: skip
    try:
        ok = check(data, today=started)  # today = its start: no "too far ahead" check
    except ValidationError as exc:
        first = exc.errors[0]
        raise BackupFileError(where, f"{at}.{first.field}", first.reason) from exc
    made = raw.get("created_at")
    created = instant(where, f"{at}.created_at", made).astimezone(UTC) if made else None
    return TreatmentRow(ok, created)


def parse(where: str, doc: dict[str, Any]) -> tuple[TreatmentRow, ...]:
    """The treatments section of a schema-checked document; an older backup has none."""
    return tuple(
        _row(where, f"treatments[{i}]", r) for i, r in enumerate(doc.get("treatments", []))
    )


def write(s: Session, profile_id: int, found: tuple[TreatmentRow, ...], now: datetime) -> None:
    """Add the rows inside the restore's transaction, in the file's order."""
    for r in found:
        d = r.data
        s.add(Treatment(profile_id=profile_id, name=d.name, kind=d.kind, dose=d.dose,
                        started_on=d.started_on, stopped_on=d.stopped_on, notes=d.notes,
                        created_at=r.created_at or now))  # fmt: skip
        s.flush()  # one at a time: the ids keep the file's order
