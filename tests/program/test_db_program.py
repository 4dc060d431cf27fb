"""Read marks, goals and daily ticks, stored on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pacekeeper.db import program as program_db
from pacekeeper.errors import NotFoundError, ValidationError

DAY = date(2026, 3, 15)


def test_first_read_day_is_kept_when_reading_again(db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    with db.write() as s:
        assert program_db.mark_read(s, pid, "welcome", DAY, clock.now())
    with db.write() as s:
        later = clock.now() + timedelta(days=2)
        assert not program_db.mark_read(s, pid, "welcome", DAY + timedelta(days=2), later)
        assert program_db.mark_read(s, pid, "pem-timing", DAY + timedelta(days=2), later)
    with db.read() as s:
        assert program_db.first_reads(s, pid) == {
            "welcome": DAY,
            "pem-timing": DAY + timedelta(days=2),
        }


def test_goals_and_ticks_per_day(db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    other = make_profile(db, clock, name="Someone else")
    with db.write() as s:
        goal = program_db.add_goal(s, pid, "real-rest", "Did I rest lying down?", DAY)
        gid = goal.id
        program_db.set_tick(s, pid, gid, DAY, True)
        program_db.set_tick(s, pid, gid, DAY + timedelta(days=1), False)
        program_db.set_tick(s, pid, gid, DAY + timedelta(days=1), True)  # changed mind
    with db.read() as s:
        (view,) = program_db.goals_for_day(s, pid, DAY)
        assert (view.chapter_id, view.text, view.done) == (
            "real-rest",
            "Did I rest lying down?",
            True,
        )
        assert program_db.goals_for_day(s, pid, DAY + timedelta(days=5))[0].done is None
        assert program_db.ticks_between(s, gid, DAY, DAY + timedelta(days=6)) == {
            DAY: True,
            DAY + timedelta(days=1): True,
        }
        assert program_db.goals_for_day(s, other, DAY) == []
    with db.write() as s, pytest.raises(NotFoundError, match=f"goal {gid}"):
        program_db.set_tick(s, other, gid, DAY, True)  # not their goal


def test_removed_goal_hides_and_comes_back(db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    with db.write() as s:
        gid = program_db.add_goal(s, pid, "sleep", "Did I wake at my time?", DAY).id
        program_db.set_tick(s, pid, gid, DAY, True)
        program_db.remove_goal(s, pid, gid)
    with db.read() as s:
        assert program_db.goals_for_day(s, pid, DAY) == []
    with db.write() as s:
        again = program_db.add_goal(s, pid, "sleep", "Did I wake at my time?", DAY)
        assert again.id == gid
    with db.read() as s:
        assert [g.done for g in program_db.goals_for_day(s, pid, DAY)] == [True]  # ticks kept


def test_goal_text_is_checked(db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    with db.write() as s, pytest.raises(ValidationError, match="step: must be 1-300"):
        program_db.add_goal(s, pid, "sleep", "  ", DAY)


def test_deleting_a_profile_removes_its_program_rows(db, clock, make_profile) -> None:
    from pacekeeper.db.tables import ChapterRead, GoalTick, Profile, ProgramGoal

    pid = make_profile(db, clock)
    with db.write() as s:
        program_db.mark_read(s, pid, "welcome", DAY, clock.now())
        gid = program_db.add_goal(s, pid, "sleep", "Did I?", DAY).id
        program_db.set_tick(s, pid, gid, DAY, False)
    with db.write() as s:
        s.delete(s.get(Profile, pid))
    with db.read() as s:
        for table in (ChapterRead, ProgramGoal, GoalTick):
            assert s.query(table).count() == 0
