"""Treatments in the store: add, edit, stop, change dose (two rows in one transaction), delete,
the day and period queries, and every field a person can get wrong named in the error."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from pacekeeper.db import Database
from pacekeeper.db import treatments as t_db
from pacekeeper.db.tables import Treatment
from pacekeeper.errors import NotFoundError, ValidationError

TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)


def ldn(**kw: object) -> t_db.TreatmentInput:
    fields: dict[str, object] = {"name": "Low-dose naltrexone", "kind": "medicine",
                                 "dose": "1.5 mg", "started_on": date(2026, 1, 10)}  # fmt: skip
    fields.update(kw)
    return t_db.TreatmentInput(**fields)  # type: ignore[arg-type]


def add(db: Database, pid: int, data: t_db.TreatmentInput) -> t_db.TreatmentView:
    with db.write() as s:
        return t_db.add(s, pid, data, TODAY, NOW)


def test_add_list_and_edit(db, pid) -> None:
    first = add(db, pid, ldn(name="  Low-dose   naltrexone ", dose=" ", notes=""))
    assert (first.name, first.dose, first.notes, first.stopped_on) == (
        "Low-dose naltrexone", None, None, None,
    )  # fmt: skip
    pacing = add(db, pid, ldn(name="Pacing course", kind="therapy", dose=None,
                              started_on=date(2026, 2, 1), notes="Thursdays"))  # fmt: skip
    with db.write() as s:
        edited = t_db.edit(s, pid, first.id, ldn(dose="3 mg", started_on=date(2026, 1, 12)), TODAY)
    assert (edited.dose, edited.started_on) == ("3 mg", date(2026, 1, 12))
    with db.read() as s:
        assert [t.name for t in t_db.list_for(s, pid)] == ["Pacing course", "Low-dose naltrexone"]
        assert t_db.get(s, pid, pacing.id).notes == "Thursdays"


def test_stop_and_the_day_queries(db, pid) -> None:
    a = add(db, pid, ldn())
    b = add(db, pid, ldn(name="Magnesium", kind="supplement", started_on=date(2026, 2, 20)))
    with db.write() as s:
        stopped = t_db.stop(s, pid, a.id, date(2026, 2, 28))
    assert stopped.stopped_on == date(2026, 2, 28)
    with db.read() as s:
        assert [t.id for t in t_db.active_on(s, pid, date(2026, 2, 28))] == [a.id, b.id]
        assert [t.id for t in t_db.active_on(s, pid, date(2026, 3, 1))] == [b.id]
        assert t_db.active_on(s, pid, date(2026, 1, 9)) == []
        assert [t.id for t in t_db.overlapping(s, pid, date(2026, 1, 1), date(2026, 1, 10))] == [
            a.id
        ]
    with db.write() as s, pytest.raises(ValidationError) as exc:
        t_db.stop(s, pid, b.id, date(2026, 2, 19))
    assert exc.value.by_field() == {"stopped_on": "cannot be before the start day"}


def test_a_dose_change_stops_the_old_row_the_day_before(db, pid, rows) -> None:
    a = add(db, pid, ldn())
    with db.write() as s:
        new = t_db.change_dose(s, pid, a.id, "3 mg", date(2026, 2, 1), NOW)
    with db.read() as s:
        old = t_db.get(s, pid, a.id)
        assert old.stopped_on == date(2026, 1, 31) and old.dose == "1.5 mg"
        assert (new.started_on, new.dose, new.stopped_on, new.name) == (
            date(2026, 2, 1), "3 mg", None, "Low-dose naltrexone",
        )  # fmt: skip
        # Every day has exactly one dose.
        for day in (date(2026, 1, 31), date(2026, 2, 1)):
            assert len(t_db.active_on(s, pid, day)) == 1
    # On the start day itself it is a correction, not a new row.
    with db.write() as s:
        same = t_db.change_dose(s, pid, new.id, "4.5 mg", date(2026, 2, 1), NOW)
    assert same.id == new.id and same.dose == "4.5 mg" and rows(Treatment) == 2


def test_a_failed_dose_change_writes_nothing(db, pid, rows) -> None:
    a = add(db, pid, ldn())
    with pytest.raises(ValidationError) as exc, db.write() as s:
        t_db.change_dose(s, pid, a.id, "", date(2026, 1, 1), NOW)
    assert exc.value.by_field() == {
        "dose": "write the new dose", "changed_on": "cannot be before the start day",
    }  # fmt: skip

    # An error after the first row was changed rolls the whole transaction back.
    def change_then_fail() -> None:
        with db.write() as s:
            t_db.change_dose(s, pid, a.id, "3 mg", date(2026, 2, 1), NOW)
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        change_then_fail()
    with db.read() as s:
        assert t_db.get(s, pid, a.id).stopped_on is None
    assert rows(Treatment) == 1


def test_delete_and_other_profiles_rows_are_not_found(db, clock, make_profile, pid) -> None:
    a = add(db, pid, ldn())
    other = make_profile(db, clock, name="Bob")
    with db.write() as s, pytest.raises(NotFoundError):
        t_db.delete(s, other, a.id)
    with db.write() as s:
        t_db.delete(s, pid, a.id)
    with db.read() as s, pytest.raises(NotFoundError):
        t_db.get(s, pid, a.id)


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"name": "   "}, "name", "give it a name"),
        ({"name": "x" * 121}, "name", "at most 120 characters"),
        ({"kind": "potion"}, "kind", "choose medicine, supplement or therapy"),
        ({"dose": "d" * 121}, "dose", "at most 120 characters"),
        ({"notes": "n" * 2001}, "notes", "at most 2000 characters"),
        ({"started_on": TODAY + timedelta(days=400)}, "started_on", "more than a year ahead"),
        ({"stopped_on": date(2026, 1, 9)}, "stopped_on", "cannot be before the start day"),
    ],
)
def test_each_mistake_names_its_field_and_nothing_is_written(db, pid, rows, fields, field, reason):
    with pytest.raises(ValidationError) as exc, db.write() as s:
        t_db.add(s, pid, ldn(**fields), TODAY, NOW)
    assert list(exc.value.by_field()) == [field]
    assert reason in exc.value.by_field()[field]
    assert rows(Treatment) == 0


def test_taken_days_frame_for_the_trigger_factors(db, pid) -> None:
    a = add(db, pid, ldn(started_on=date(2026, 3, 1)))
    with db.write() as s:
        t_db.change_dose(s, pid, a.id, "3 mg", date(2026, 3, 4), NOW)
        t_db.add(s, pid, ldn(name="CBT", kind="therapy", started_on=date(2026, 2, 1),
                             stopped_on=date(2026, 3, 2)), TODAY, NOW)  # fmt: skip
    with db.read() as s:
        frame = t_db.taken_frame(s, pid, date(2026, 3, 1), date(2026, 3, 5))
    got = sorted((r["name"], r["day"].day) for r in frame.iter_rows(named=True))
    # The dose change is one name, with no day counted twice.
    assert got == [("CBT", 1), ("CBT", 2)] + [("Low-dose naltrexone", d) for d in range(1, 6)]


def test_treatments_in_period_for_the_clinician_report(db, pid) -> None:
    from pacekeeper.clock import FixedClock
    from pacekeeper.db import checkins as checkins_db
    from pacekeeper.db import profiles as profiles_db
    from pacekeeper.domain import parse_checkin
    from pacekeeper.frames.resolve import profile_days
    from pacekeeper.reports.clinician.treatment_period import treatments_in_period

    start = date(2026, 1, 20)
    rng = np.random.default_rng(4)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        trackers = profiles_db.trackers(p)
        for n in range(90):
            day = date(2025, 12, 1) + timedelta(days=n)
            level = 7.0 if day < start else 4.0  # three points less fatigue from the start
            value = int(np.clip(round(level + rng.normal(0, 0.7)), 0, 10))
            data = parse_checkin({"day": day.isoformat(), "fatigue": str(value)}, trackers, TODAY)
            checkins_db.save_checkin(s, p, data, NOW)
    add(db, pid, ldn(started_on=start))
    add(db, pid, ldn(name="Vitamin D", kind="supplement", dose="1000 IU",
                     started_on=date(2025, 11, 1)))  # fmt: skip
    add(db, pid, ldn(name="Later", started_on=date(2026, 2, 15)))
    with db.read() as s:
        days = profile_days(s, profiles_db.get_profile(s, pid), FixedClock(NOW))
        got = treatments_in_period(s, pid, date(2026, 1, 1), date(2026, 1, 31), days)
    assert [(t.name, t.dose, t.started_on, t.stopped_on) for t in got] == [
        ("Vitamin D", "1000 IU", date(2025, 11, 1), None),
        ("Low-dose naltrexone", "1.5 mg", start, None),
    ]
    assert got[0].symptom_effect is None
    effect = got[1].symptom_effect
    assert effect is not None and effect.enough and effect.clear
    assert effect.low < -3.0 < effect.high  # symptom burden is fatigue on 0-10 here
    assert -3.8 < effect.effect < -2.2
    # "Later" started 26 days after: inside the after window, so flagged.
    assert [w for _, w in effect.confounders] == ["Later started"]


def test_changes_name_starts_dose_changes_and_stops(db, pid) -> None:
    a = add(db, pid, ldn())
    with db.write() as s:
        t_db.change_dose(s, pid, a.id, "3 mg", date(2026, 2, 1), NOW)
        t_db.add(s, pid, ldn(name="CBT", kind="therapy", dose=None, started_on=date(2026, 1, 20),
                             stopped_on=date(2026, 2, 10)), TODAY, NOW)  # fmt: skip
        got = [(c.day, c.what, c.words) for c in t_db.changes(t_db.list_for(s, pid))]
    assert got == [
        (date(2026, 1, 10), "start", "Low-dose naltrexone started"),
        (date(2026, 1, 20), "start", "CBT started"),
        (date(2026, 2, 1), "dose", "Low-dose naltrexone dose changed to 3 mg"),
        (date(2026, 2, 11), "stop", "CBT stopped"),  # the first day without it
    ]
