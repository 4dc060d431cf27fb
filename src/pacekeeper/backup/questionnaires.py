"""The questionnaires' part of a backup: each filled-in response (answers and the scores they
were given) and each reminder schedule.

Kept apart from export.py and restore.py, like planner_program.py. On restore the answers are
scored again with the instrument's own rule and a response whose written scores differ is
refused: a backup restores what the app would have saved, never scores edited by hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.backup.planner_program import instant
from pacekeeper.db.questionnaires import EVERY_DAYS_MAX
from pacekeeper.db.tables import QuestionnaireResponse, QuestionnaireSchedule
from pacekeeper.domain.localday import with_offset
from pacekeeper.errors import BackupFileError, ValidationError
from pacekeeper.questionnaires import INSTRUMENTS

# The sections, in the order they are written after the program's.
SECTIONS = ("questionnaire_responses", "questionnaire_schedules")


def _answer_order(instrument: str, answers: Mapping[str, int]) -> list[str]:
    # The instrument's item order (q1, q2, ..., q10) reads better than text order (q1, q10, q2);
    # a key the instrument does not know (it cannot be restored anyway) comes last.
    known = INSTRUMENTS.get(instrument)
    order = {it.key: i for i, it in enumerate(known.items)} if known else {}
    return sorted(answers, key=lambda k: (order.get(k, len(order)), k))


# -- export --------------------------------------------------------------------------------------


def responses(s: Session, profile_id: int) -> Iterator[dict[str, Any]]:
    """Oldest first; responses taken at the same moment in the order they were saved."""
    rows = s.scalars(
        select(QuestionnaireResponse)
        .where(QuestionnaireResponse.profile_id == profile_id)
        .order_by(QuestionnaireResponse.taken_at, QuestionnaireResponse.id)
        .execution_options(yield_per=1000)
    )
    for r in rows:
        yield {
            "instrument": r.instrument,
            "taken_at": with_offset(r.taken_at, r.utc_offset_minutes).isoformat(),
            "answers": {k: r.answers[k] for k in _answer_order(r.instrument, r.answers)},
            # Written as stored (a float stays a float), so a second export reads the same.
            "scores": {k: r.scores[k] for k in sorted(r.scores)},
        }


def schedules(s: Session, profile_id: int) -> Iterator[dict[str, Any]]:
    rows = s.execute(
        select(QuestionnaireSchedule.instrument, QuestionnaireSchedule.every_days)
        .where(QuestionnaireSchedule.profile_id == profile_id)
        .order_by(QuestionnaireSchedule.instrument)
    )
    for instrument, every in rows:
        yield {"instrument": instrument, "every_days": every}


# -- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    instrument: str
    taken_at: datetime  # in UTC
    utc_offset_minutes: int
    answers: dict[str, int]
    scores: dict[str, object]


@dataclass(frozen=True)
class QuestionnaireData:
    responses: tuple[Response, ...]
    schedules: tuple[tuple[str, int], ...]


def same_score(written: object, scored: object) -> bool:
    """Equal as JSON values: 50 and 50.0 are the same number, but True is not 1."""
    if isinstance(written, bool) or isinstance(scored, bool):
        return type(written) is type(scored) and written == scored
    if isinstance(written, int | float) and isinstance(scored, int | float):
        return written == scored
    return type(written) is type(scored) and written == scored


def _check_scores(
    where: str, at: str, written: Mapping[str, Any], scored: Mapping[str, Any]
) -> None:
    for key in written:
        if key not in scored:
            raise BackupFileError(where, f"{at}.scores.{key}",
                                  "is not a score this questionnaire gives")  # fmt: skip
        if not same_score(written[key], scored[key]):
            raise BackupFileError(
                where,
                f"{at}.scores.{key}",
                f"is {written[key]!r}, but the answers score {scored[key]!r}; "
                "scores are not restored unless they match the answers",
            )
    for key in scored:
        if key not in written:
            raise BackupFileError(where, f"{at}.scores.{key}",
                                  f"is missing; the answers score {scored[key]!r}")  # fmt: skip


def _response(where: str, at: str, raw: dict[str, Any]) -> Response:
    key = raw["instrument"]
    instrument = INSTRUMENTS.get(key)
    if instrument is None:  # the schema's enum already asks for one of these
        raise BackupFileError(where, f"{at}.instrument", f"there is no questionnaire {key!r}")
    taken_at = instant(where, f"{at}.taken_at", raw["taken_at"])
    offset = taken_at.utcoffset()
    assert offset is not None
    answers: dict[str, int] = dict(raw["answers"])
    try:
        result = instrument.score(answers)
    except ValidationError as exc:
        first = exc.errors[0]
        raise BackupFileError(where, f"{at}.answers.{first.field}", first.reason) from exc
    written: dict[str, object] = dict(raw["scores"])
    _check_scores(where, at, written, result.scores)
    return Response(key, taken_at.astimezone(UTC), int(offset.total_seconds() // 60),
                    answers, written)  # fmt: skip


def parse(where: str, doc: dict[str, Any]) -> QuestionnaireData:
    """The questionnaire sections of a schema-checked document; an older backup has none."""
    found = tuple(
        _response(where, f"questionnaire_responses[{i}]", r)
        for i, r in enumerate(doc.get("questionnaire_responses", []))
    )
    plans: list[tuple[str, int]] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(doc.get("questionnaire_schedules", [])):
        at = f"questionnaire_schedules[{i}]"
        key, every = raw["instrument"], raw["every_days"]
        if key not in INSTRUMENTS:
            raise BackupFileError(where, f"{at}.instrument", f"there is no questionnaire {key!r}")
        if key in seen:
            first = seen[key]
            raise BackupFileError(
                where, f"{at}.instrument", f"a schedule for {key!r} already appears at {first}"
            )
        seen[key] = f"{at}.instrument"
        if not 1 <= every <= EVERY_DAYS_MAX:  # the schema says the same
            raise BackupFileError(where, f"{at}.every_days", f"must be 1-{EVERY_DAYS_MAX} days")
        plans.append((key, every))
    return QuestionnaireData(found, tuple(plans))


def write(s: Session, profile_id: int, data: QuestionnaireData) -> None:
    """Add the rows inside the restore's transaction, in the file's order (so that responses
    taken at the same moment keep their order on the next export)."""
    for r in data.responses:
        s.add(QuestionnaireResponse(profile_id=profile_id, instrument=r.instrument,
                                    taken_at=r.taken_at, utc_offset_minutes=r.utc_offset_minutes,
                                    answers=r.answers, scores=r.scores))  # fmt: skip
        s.flush()  # one at a time: the ids keep the file's order
    s.add_all(QuestionnaireSchedule(profile_id=profile_id, instrument=k, every_days=n)
              for k, n in data.schedules)  # fmt: skip
    s.flush()
