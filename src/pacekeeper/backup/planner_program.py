"""The planner's and the daily program's part of a backup: planner settings, the rule-of-two
movements with their steps and done days, chapter reads, and program goals with their ticks.

Kept apart from export.py and restore.py so those read as before. A movement and a goal have no
natural key of their own in the database (an id), so their steps, days and ticks are written
inside them rather than as loose rows pointing at an id that means nothing in another database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import (
    ChapterRead,
    GoalTick,
    PlannerSetting,
    ProgramGoal,
    ProgressionDay,
    ProgressionMovement,
    ProgressionStep,
)
from pacekeeper.errors import BackupFileError

# The sections, in the order they are written after "samples".
SECTIONS = ("planner_settings", "progression_movements", "chapter_reads", "program_goals")
MAX_MINUTES = 600  # db/progression.py's limit for a baseline and a level


def _utc(instant: datetime) -> str:
    # These columns keep no source offset (they are server times), so UTC is written.
    return instant.astimezone(UTC).isoformat()


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


# -- export --------------------------------------------------------------------------------------


def planner_settings(s: Session, profile_id: int) -> dict[str, Any] | None:
    row = s.get(PlannerSetting, profile_id)
    if row is None:
        return None
    return {
        "values": {k: row.values[k] for k in sorted(row.values)},
        "updated_at": _utc(row.updated_at),
    }


def movements(s: Session, profile_id: int) -> Iterator[dict[str, Any]]:
    """Oldest first (by id, which is the order they were chosen in)."""
    rows = s.scalars(
        select(ProgressionMovement)
        .where(ProgressionMovement.profile_id == profile_id)
        .order_by(ProgressionMovement.id)
    ).all()
    for m in rows:
        steps = s.execute(
            select(ProgressionStep.day, ProgressionStep.level_minutes)
            .where(ProgressionStep.movement_id == m.id)
            .order_by(ProgressionStep.day)
        ).all()
        days = s.scalars(
            select(ProgressionDay.day)
            .where(ProgressionDay.movement_id == m.id)
            .order_by(ProgressionDay.day)
        ).all()
        yield {
            "name": m.name,
            "baseline_minutes": _number(m.baseline_minutes),
            "started_on": m.started_on.isoformat(),
            "active": m.active,
            "created_at": _utc(m.created_at),
            "steps": [
                {"day": d.isoformat(), "level_minutes": _number(level)} for d, level in steps
            ],
            "days": [d.isoformat() for d in days],
        }


def chapter_reads(s: Session, profile_id: int) -> Iterator[dict[str, Any]]:
    rows = s.scalars(
        select(ChapterRead)
        .where(ChapterRead.profile_id == profile_id)
        .order_by(ChapterRead.chapter_id)
    )
    for r in rows:
        yield {
            "chapter_id": r.chapter_id,
            "first_read_on": r.first_read_on.isoformat(),
            "last_read_at": _utc(r.last_read_at),
        }


def goals(s: Session, profile_id: int) -> Iterator[dict[str, Any]]:
    rows = s.scalars(
        select(ProgramGoal)
        .where(ProgramGoal.profile_id == profile_id)
        .order_by(ProgramGoal.chapter_id)
    ).all()
    for g in rows:
        ticks = s.execute(
            select(GoalTick.day, GoalTick.done)
            .where(GoalTick.goal_id == g.id)
            .order_by(GoalTick.day)
        ).all()
        yield {
            "chapter_id": g.chapter_id,
            "text": g.text,
            "created_on": g.created_on.isoformat(),
            "active": g.active,
            "ticks": [{"day": d.isoformat(), "done": bool(done)} for d, done in ticks],
        }


# -- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    day: date
    level_minutes: float


@dataclass(frozen=True)
class Movement:
    name: str
    baseline_minutes: float
    started_on: date
    active: bool
    created_at: datetime
    steps: tuple[Step, ...]
    days: tuple[date, ...]


@dataclass(frozen=True)
class Read:
    chapter_id: str
    first_read_on: date
    last_read_at: datetime


@dataclass(frozen=True)
class Goal:
    chapter_id: str
    text: str
    created_on: date
    active: bool
    ticks: tuple[tuple[date, bool], ...]


@dataclass(frozen=True)
class PlanData:
    settings: tuple[dict[str, Any], datetime] | None
    movements: tuple[Movement, ...]
    reads: tuple[Read, ...]
    goals: tuple[Goal, ...]


def _day(where: str, at: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BackupFileError(where, at, f"must be a date like 2026-03-29, not {text!r}") from exc


def instant(where: str, at: str, text: str) -> datetime:
    """An ISO date-time that carries its UTC offset (shared by the backup's sections)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise BackupFileError(where, at, f"is not a real date-time: {text!r}") from exc
    if value.utcoffset() is None:  # the schema's pattern already asks for an offset
        raise BackupFileError(where, at, "must carry its UTC offset")
    return value


def _minutes(where: str, at: str, value: float) -> float:
    if not 0 < value <= MAX_MINUTES:
        raise BackupFileError(where, at, f"must be more than 0 and at most {MAX_MINUTES} minutes")
    return float(value)


def _text(where: str, at: str, text: str, limit: int) -> str:
    # As the app stores it: stripped, never empty.
    if not text.strip() or text != text.strip() or len(text) > limit:
        raise BackupFileError(
            where, at, f"must be 1 to {limit} characters without leading or trailing spaces"
        )
    return text


def _once(where: str, at: str, seen: dict[Any, str], key: Any, what: str) -> None:
    if key in seen:
        raise BackupFileError(where, at, f"{what} already appears at {seen[key]}")
    seen[key] = at


def _movement(where: str, at: str, raw: dict[str, Any]) -> Movement:
    # Checked in the order the fields are written, so the first problem in the file is named.
    name = _text(where, f"{at}.name", raw["name"], 80)
    baseline = _minutes(where, f"{at}.baseline_minutes", raw["baseline_minutes"])
    started_on = _day(where, f"{at}.started_on", raw["started_on"])
    created_at = instant(where, f"{at}.created_at", raw["created_at"])
    steps: list[Step] = []
    step_days: dict[Any, str] = {}
    for j, st in enumerate(raw.get("steps", [])):
        sat = f"{at}.steps[{j}]"
        day = _day(where, f"{sat}.day", st["day"])
        _once(where, f"{sat}.day", step_days, day, f"a step on {day}")
        steps.append(Step(day, _minutes(where, f"{sat}.level_minutes", st["level_minutes"])))
    done: list[date] = []
    done_days: dict[Any, str] = {}
    for j, text in enumerate(raw.get("days", [])):
        day = _day(where, f"{at}.days[{j}]", text)
        _once(where, f"{at}.days[{j}]", done_days, day, f"day {day}")
        done.append(day)
    return Movement(
        name, baseline, started_on, raw["active"], created_at, tuple(steps), tuple(done)
    )


def _goal(where: str, at: str, raw: dict[str, Any]) -> Goal:
    text = _text(where, f"{at}.text", raw["text"], 300)
    created_on = _day(where, f"{at}.created_on", raw["created_on"])
    ticks: list[tuple[date, bool]] = []
    seen: dict[Any, str] = {}
    for j, t in enumerate(raw.get("ticks", [])):
        day = _day(where, f"{at}.ticks[{j}].day", t["day"])
        _once(where, f"{at}.ticks[{j}].day", seen, day, f"a tick on {day}")
        ticks.append((day, t["done"]))
    return Goal(raw["chapter_id"], text, created_on, raw["active"], tuple(ticks))


def parse(where: str, doc: dict[str, Any]) -> PlanData:
    """The new sections of a schema-checked document; an older backup has none of them."""
    raw_settings = doc.get("planner_settings")
    settings = None
    if raw_settings is not None:
        at = "planner_settings.updated_at"
        settings = (dict(raw_settings["values"]), instant(where, at, raw_settings["updated_at"]))
    moves = tuple(
        _movement(where, f"progression_movements[{i}]", m)
        for i, m in enumerate(doc.get("progression_movements", []))
    )
    active = [i for i, m in enumerate(moves) if m.active]
    if len(active) > 1:  # the app puts the old movement aside when a new one is chosen
        first, second = active[:2]
        raise BackupFileError(
            where,
            f"progression_movements[{second}].active",
            f"only one movement can be active; progression_movements[{first}] already is",
        )
    reads: list[Read] = []
    seen: dict[Any, str] = {}
    for i, r in enumerate(doc.get("chapter_reads", [])):
        at = f"chapter_reads[{i}]"
        chapter = r["chapter_id"]  # stored as given, like the app does (the schema checks 1-80)
        _once(where, f"{at}.chapter_id", seen, chapter, f"chapter {chapter!r}")
        reads.append(
            Read(
                chapter,
                _day(where, f"{at}.first_read_on", r["first_read_on"]),
                instant(where, f"{at}.last_read_at", r["last_read_at"]),
            )
        )
    goal_list: list[Goal] = []
    seen = {}
    for i, g in enumerate(doc.get("program_goals", [])):
        goal = _goal(where, f"program_goals[{i}]", g)
        _once(where, f"program_goals[{i}].chapter_id", seen, goal.chapter_id,
              f"a goal for chapter {goal.chapter_id!r}")  # fmt: skip
        goal_list.append(goal)
    return PlanData(settings, moves, tuple(reads), tuple(goal_list))


def write(s: Session, profile_id: int, plan: PlanData) -> None:
    """Add the rows inside the restore's transaction (the profile is new, so nothing clashes)."""
    if plan.settings is not None:
        values, updated_at = plan.settings
        s.add(PlannerSetting(profile_id=profile_id, values=values, updated_at=updated_at))
    for m in plan.movements:
        row = ProgressionMovement(
            profile_id=profile_id,
            name=m.name,
            baseline_minutes=m.baseline_minutes,
            started_on=m.started_on,
            active=m.active,
            created_at=m.created_at,
        )
        s.add(row)
        s.flush()  # its id, for the steps and days
        s.add_all(ProgressionStep(movement_id=row.id, day=st.day, level_minutes=st.level_minutes)
                  for st in m.steps)  # fmt: skip
        s.add_all(ProgressionDay(movement_id=row.id, day=d) for d in m.days)
    for r in plan.reads:
        s.add(ChapterRead(profile_id=profile_id, chapter_id=r.chapter_id,
                          first_read_on=r.first_read_on, last_read_at=r.last_read_at))  # fmt: skip
    for g in plan.goals:
        goal = ProgramGoal(profile_id=profile_id, chapter_id=g.chapter_id, text=g.text,
                           created_on=g.created_on, active=g.active)  # fmt: skip
        s.add(goal)
        s.flush()
        s.add_all(GoalTick(goal_id=goal.id, day=d, done=done) for d, done in g.ticks)
    s.flush()
