"""Queries for the daily program: read marks, goals made from chapter steps, and daily ticks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.db.tables import ChapterRead, GoalTick, ProgramGoal
from pacekeeper.errors import NotFoundError, ValidationError

GOAL_TEXT_MAX = 300


@dataclass(frozen=True)
class GoalView:
    id: int
    chapter_id: str
    text: str
    created_on: date
    done: bool | None  # the answer for the day asked about; None: not answered yet


def first_reads(s: Session, profile_id: int) -> dict[str, date]:
    """Chapter id -> the local day it was first read."""
    rows = s.execute(
        select(ChapterRead.chapter_id, ChapterRead.first_read_on).where(
            ChapterRead.profile_id == profile_id
        )
    )
    return {str(chapter_id): day for chapter_id, day in rows}


def mark_read(s: Session, profile_id: int, chapter_id: str, day: date, now: datetime) -> bool:
    """Record a reading. Returns True for a first reading; a re-read only updates the time."""
    row = s.get(ChapterRead, (profile_id, chapter_id))
    if row is not None:
        row.last_read_at = now
        return False
    s.add(ChapterRead(profile_id=profile_id, chapter_id=chapter_id, first_read_on=day,
                      last_read_at=now))  # fmt: skip
    s.flush()
    return True


def add_goal(s: Session, profile_id: int, chapter_id: str, text: str, day: date) -> ProgramGoal:
    """Make a chapter's step a goal; making it again turns a removed goal back on."""
    text = text.strip()
    if not text or len(text) > GOAL_TEXT_MAX:
        raise ValidationError.single("step", f"must be 1-{GOAL_TEXT_MAX} characters")
    goal = s.scalar(
        select(ProgramGoal).where(
            ProgramGoal.profile_id == profile_id, ProgramGoal.chapter_id == chapter_id
        )
    )
    if goal is None:
        goal = ProgramGoal(profile_id=profile_id, chapter_id=chapter_id, text=text,
                           created_on=day, active=True)  # fmt: skip
        s.add(goal)
    else:
        goal.active, goal.text = True, text
    s.flush()
    return goal


def _own_goal(s: Session, profile_id: int, goal_id: int) -> ProgramGoal:
    goal = s.get(ProgramGoal, goal_id)
    if goal is None or goal.profile_id != profile_id:
        raise NotFoundError(f"goal {goal_id}: no such goal for this profile")
    return goal


def remove_goal(s: Session, profile_id: int, goal_id: int) -> None:
    """Stop showing a goal; its past ticks are kept."""
    _own_goal(s, profile_id, goal_id).active = False


def set_tick(s: Session, profile_id: int, goal_id: int, day: date, done: bool) -> None:
    """The person's yes or no for one goal on one local day (answering again replaces it)."""
    _own_goal(s, profile_id, goal_id)
    tick = s.get(GoalTick, (goal_id, day))
    if tick is None:
        s.add(GoalTick(goal_id=goal_id, day=day, done=done))
    else:
        tick.done = done
    s.flush()


def goals_for_day(s: Session, profile_id: int, day: date) -> list[GoalView]:
    """The active goals, oldest first, with that day's answer."""
    rows = s.execute(
        select(ProgramGoal, GoalTick.done)
        .outerjoin(GoalTick, (GoalTick.goal_id == ProgramGoal.id) & (GoalTick.day == day))
        .where(ProgramGoal.profile_id == profile_id, ProgramGoal.active.is_(True))
        .order_by(ProgramGoal.created_on, ProgramGoal.id)
    )
    return [GoalView(g.id, g.chapter_id, g.text, g.created_on, done) for g, done in rows]


def ticks_between(s: Session, goal_id: int, first: date, last: date) -> dict[date, bool]:
    rows = s.execute(
        select(GoalTick.day, GoalTick.done).where(
            GoalTick.goal_id == goal_id, GoalTick.day >= first, GoalTick.day <= last
        )
    )
    return {day: bool(done) for day, done in rows}
