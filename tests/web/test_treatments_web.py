"""The treatments pages on SQLite and PostgreSQL: add with CSRF, mistakes shown beside their
field, stop, dose change, edit, delete only after a confirmation, and the before/after picture
and sentences once there are enough check-ins around the start."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import treatments as t_db
from pacekeeper.domain import parse_checkin
from tests.web.helpers import csrf_of

TODAY = date(2026, 3, 15)  # the clock fixture's day in Oslo


def add(client, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client, "/treatments/new")
    form = {"csrf_token": token, "name": "Low-dose naltrexone", "kind": "medicine",
            "dose": "1.5 mg", "started_on": "2026-01-10", "notes": "", **fields}  # fmt: skip
    return client.post("/treatments", data=form)


def only(db, pid: int) -> list[t_db.TreatmentView]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return t_db.list_for(s, pid)


def test_add_then_list_and_detail(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    empty = client.get("/treatments")
    assert empty.status_code == 200 and "Nothing recorded yet" in empty.text
    assert 'href="/treatments"' in client.get("/today").text
    form = client.get("/treatments/new").text
    assert 'value="2026-03-15"' in form  # the start defaults to today
    resp = add(client)
    assert resp.status_code == 303
    (t,) = only(db, pid)
    assert resp.headers["location"] == f"/treatments/{t.id}"
    assert (t.name, t.kind, t.dose, t.started_on) == ("Low-dose naltrexone", "medicine", "1.5 mg",
                                                      date(2026, 1, 10))  # fmt: skip
    listing = client.get("/treatments").text
    assert "Taking now" in listing and "Low-dose naltrexone, 1.5 mg" in listing
    page = client.get(f"/treatments/{t.id}").text
    assert "I stopped today" in page and "Change the dose" in page
    assert "No check-ins or heart data around this day yet" in page


def test_a_post_without_the_csrf_token_is_refused(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    csrf_of(client, "/treatments/new")
    resp = client.post("/treatments", data={"name": "X", "kind": "medicine"})
    assert resp.status_code == 403 and "expired" in resp.text
    assert only(db, pid) == []


def test_mistakes_show_beside_their_fields_and_keep_what_was_typed(client, db, clock,
                                                                   make_profile) -> None:  # fmt: skip
    pid = make_profile(db, clock)
    resp = add(client, name="  ", kind="potion", started_on="2027-06-01", dose="tiny")
    assert resp.status_code == 400
    assert 'id="err-name" role="alert">give it a name' in resp.text
    assert "choose medicine, supplement or therapy" in resp.text
    assert "more than a year ahead" in resp.text
    assert 'value="tiny"' in resp.text and 'aria-invalid="true"' in resp.text
    bad_date = add(client, started_on="31/01/2026")
    assert bad_date.status_code == 400 and "must be a date like" in bad_date.text
    assert only(db, pid) == []


def test_stop_today_or_on_a_day_and_a_stop_before_the_start_is_refused(client, db, clock,
                                                                       make_profile) -> None:  # fmt: skip
    pid = make_profile(db, clock)
    add(client)
    (t,) = only(db, pid)
    token = csrf_of(client, f"/treatments/{t.id}")
    early = client.post(f"/treatments/{t.id}/stop", data={"csrf_token": token,
                                                          "stopped_on": "2026-01-01"})  # fmt: skip
    assert early.status_code == 400 and "cannot be before the start day" in early.text
    assert only(db, pid)[0].stopped_on is None
    ok = client.post(f"/treatments/{t.id}/stop", data={"csrf_token": token,
                                                       "stopped_on": TODAY.isoformat()})  # fmt: skip
    assert ok.status_code == 303
    assert only(db, pid)[0].stopped_on == TODAY
    # Stopped today: still listed as taken today, and past from tomorrow.
    assert "Taking now" in client.get("/treatments").text


def test_dose_change_makes_a_new_row_and_shows_it(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    add(client)
    (t,) = only(db, pid)
    token = csrf_of(client, f"/treatments/{t.id}")
    blank = client.post(f"/treatments/{t.id}/dose", data={"csrf_token": token, "dose": " ",
                                                          "changed_on": "2026-02-01"})  # fmt: skip
    assert blank.status_code == 400 and "write the new dose" in blank.text
    resp = client.post(f"/treatments/{t.id}/dose", data={"csrf_token": token, "dose": "3 mg",
                                                         "changed_on": "2026-02-01"})  # fmt: skip
    new, old = only(db, pid)
    assert resp.status_code == 303 and resp.headers["location"] == f"/treatments/{new.id}"
    assert (old.stopped_on, new.started_on, new.dose) == (
        date(2026, 1, 31),
        date(2026, 2, 1),
        "3 mg",
    )
    page = client.get(f"/treatments/{new.id}").text
    assert "After the dose change" in page
    assert "Past" in client.get("/treatments").text


def test_edit(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    add(client)
    (t,) = only(db, pid)
    form = client.get(f"/treatments/{t.id}/edit").text
    assert 'value="Low-dose naltrexone"' in form and 'value="2026-01-10"' in form
    token = csrf_of(client, f"/treatments/{t.id}/edit")
    resp = client.post(f"/treatments/{t.id}/edit", data={
        "csrf_token": token, "name": "LDN", "kind": "medicine", "dose": "4.5 mg",
        "started_on": "2026-01-10", "stopped_on": "2026-01-05", "notes": "at night"})  # fmt: skip
    assert resp.status_code == 400 and "cannot be before the start day" in resp.text
    resp = client.post(f"/treatments/{t.id}/edit", data={
        "csrf_token": token, "name": "LDN", "kind": "medicine", "dose": "4.5 mg",
        "started_on": "2026-01-10", "stopped_on": "", "notes": "at night"})  # fmt: skip
    assert resp.status_code == 303
    assert only(db, pid)[0].name == "LDN" and only(db, pid)[0].notes == "at night"


def test_delete_asks_first(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    add(client)
    (t,) = only(db, pid)
    confirm = client.get(f"/treatments/{t.id}/delete")
    assert (
        confirm.status_code == 200
        and "Keep it" in confirm.text
        and "Yes, delete it" in confirm.text
    )
    assert len(only(db, pid)) == 1  # looking at the question deletes nothing
    token = csrf_of(client, f"/treatments/{t.id}/delete")
    resp = client.post(f"/treatments/{t.id}/delete", data={"csrf_token": token})
    assert resp.status_code == 303 and only(db, pid) == []
    assert "Deleted." in client.get(resp.headers["location"]).text
    assert client.get(f"/treatments/{t.id}").status_code == 404


def test_another_profiles_treatment_is_not_found(client, db, clock, make_profile) -> None:
    make_profile(db, clock)
    other = make_profile(db, clock, name="Bob")
    with db.write() as s:
        t = t_db.add(s, other, t_db.TreatmentInput("CBT", "therapy", None, TODAY), TODAY,
                     clock.now())  # fmt: skip
    assert client.get(f"/treatments/{t.id}").status_code == 404


def test_the_before_after_picture_and_sentence(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    start = date(2026, 1, 20)
    rng = np.random.default_rng(2)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        trackers = profiles_db.trackers(p)
        for n in range(100):
            day = date(2025, 12, 1) + timedelta(days=n)
            level = 7.0 if day < start else 3.5
            value = int(np.clip(round(level + rng.normal(0, 0.6)), 0, 10))
            raw = {"day": day.isoformat(), "fatigue": str(value)}
            checkins_db.save_checkin(s, p, parse_checkin(raw, trackers, TODAY), clock.now())
    add(client, started_on=start.isoformat())
    (t,) = only(db, pid)
    page = client.get(f"/treatments/{t.id}").text
    assert "After starting" in page
    sentence = re.search(r"Symptom burden: ([0-9.]+) points lower than the earlier", page)
    assert sentence and 2.5 < float(sentence.group(1)) < 4.5
    assert "which is better" in page and "A plain before/after" in page
    assert page.count("<svg") >= 2 and "stroke-dasharray" in page and "<polygon" in page


def test_a_treatment_shows_up_as_a_possible_trigger_on_insights(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    rng = np.random.default_rng(8)
    first = TODAY - timedelta(days=300)
    fatigue = 3.0 + rng.normal(0, 0.3, 300)
    blocks = list(range(10, 290, 12))  # three days of a stimulant every twelve days
    for b in blocks:
        if rng.random() < 0.8:
            fatigue[b + 3 : b + 6] = 8.0  # a flare the day after the last dose
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        trackers = profiles_db.trackers(p)
        for i in range(300):
            raw = {
                "day": (first + timedelta(days=i)).isoformat(),
                "fatigue": str(round(fatigue[i])),
            }
            checkins_db.save_checkin(s, p, parse_checkin(raw, trackers, TODAY), clock.now())
        for b in blocks:
            start = first + timedelta(days=b)
            data = t_db.TreatmentInput("Stimulant", "medicine", "10 mg", start,
                                       start + timedelta(days=2))  # fmt: skip
            t_db.add(s, pid, data, TODAY, clock.now())
    text = client.get("/insights").text
    found = re.search(r"On (\d+) of (\d+) days with Stimulant, a flare started", text)
    assert found, text[text.find("Possible triggers") :][:800]
    assert int(found.group(2)) == 3 * len(blocks)
