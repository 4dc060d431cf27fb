"""The today page's planner: the budget with its light and reasons, with and without data; red
flags replace the plan with "seek care now"; the rule-of-two card follows the condition rules."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.demo import install_demo
from pacekeeper.domain.entries import parse_checkin
from tests.web.helpers import csrf_of

TODAY = date(2026, 3, 15)


def add_checkins(db, clock, pid, days: dict[date, dict[str, str]]) -> None:
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        for day, raw in days.items():
            data = parse_checkin({"day": day.isoformat(), **raw}, profiles_db.trackers(p), TODAY)
            checkins_db.save_checkin(s, p, data, clock.now())


def test_a_new_profile_gets_no_number_but_a_calm_rest_shape(client, db, clock, make_profile):
    make_profile(db, clock)
    text = client.get("/today").text
    assert 'id="budget-figure">No budget yet' in text
    assert "light-amber" in text and "Rest 30 min" in text
    assert "How sure: not sure yet" in text
    assert "Check in now" in text and 'href="/insights"' in text
    assert "Seek care now" not in text


def test_the_demo_history_shows_a_budget_with_reasons_and_sources(client, db, clock):
    install_demo(db, clock, days=120, seed=7)
    text = client.get("/today").text
    figure = re.search(r'id="budget-figure">(\d+) <span class="unit">load points left', text)
    assert figure is not None
    assert re.search(r"light-(green|amber|red)", text)
    assert "Budget from your envelope" in text and "Source: Energy envelope" in text
    assert "Shape of the day" in text


def test_a_red_flag_in_todays_note_replaces_the_plan_with_seek_care(
    client, db, clock, make_profile
):
    pid = make_profile(db, clock, conditions="fibromyalgia")
    add_checkins(db, clock, pid, {TODAY: {"fatigue": "5", "note": "chest pain on the stairs"}})
    text = client.get("/today").text
    assert "Seek care now" in text and "chest pain or pressure" in text
    assert "budget-figure" not in text and "Shape of the day" not in text
    assert "Do up to" not in text and "One small movement" not in text
    assert '<option value="Short walk">' not in text  # not even the activity name list
    assert "crisis line" not in text  # no self-harm flag: no crisis text


def test_self_harm_shows_the_persons_crisis_line(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        progression_db.update_settings(s, p, {"crisis_line": "Call 116 123"}, clock.now())
    add_checkins(db, clock, pid, {TODAY: {"note": "thinking about suicide"}})
    text = client.get("/today").text
    assert "Seek care now" in text and "Call 116 123" in text


def test_saving_a_check_in_with_a_red_flag_shows_seek_care_not_a_redirect(
    client, db, clock, make_profile
):
    make_profile(db, clock)
    token = csrf_of(client, "/checkin")
    resp = client.post(
        "/checkin",
        data={"csrf_token": token, "day": TODAY.isoformat(), "fatigue": "6",
              "note": "I fainted this morning"},
    )  # fmt: skip
    assert resp.status_code == 200
    assert "Seek care now" in resp.text and "fainting" in resp.text
    assert "If you might harm yourself" not in resp.text
    calm = client.post(
        "/checkin",
        data={"csrf_token": token, "day": TODAY.isoformat(), "fatigue": "6", "note": "tired"},
    )
    assert calm.status_code == 303 and calm.headers["location"].startswith("/today?saved=")


def test_me_cfs_is_never_offered_an_increase(client, db, clock, make_profile):
    pid = make_profile(db, clock, conditions="me_cfs")
    start = TODAY - timedelta(days=30)
    add_checkins(db, clock, pid, {start + timedelta(days=i): {"fatigue": "3"} for i in range(30)})
    text = client.get("/today").text
    assert "One small movement" not in text and "Take the step" not in text
    assert "/today/movement" not in text
    # Even a movement stored by hand gets no step up.
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        progression_db.start_movement(s, p, "Stretching", 10, start, clock.now())
    text = client.get("/today").text
    assert "Take the step" not in text and "Try" not in text


def test_fibromyalgia_after_a_negative_screen_runs_the_rule_of_two(client, db, clock, make_profile):
    pid = make_profile(db, clock, conditions="fibromyalgia")
    assert "One small movement" not in client.get("/today").text  # screen not answered yet
    with db.write() as s:
        p = profiles_db.get_profile(s, pid)
        progression_db.update_settings(s, p, {"pem_screen": "negative"}, clock.now())
    token = csrf_of(client, "/today")
    assert "One small movement" in client.get("/today").text
    resp = client.post("/today/movement",
                       data={"csrf_token": token, "name": "Stretching", "minutes": "10"})  # fmt: skip
    assert resp.status_code == 303
    text = client.get("/today").text
    assert "Stretching: 10 min" in text and "Take the step: 11.0 min" in text
    client.post("/today/movement/done", data={"csrf_token": token})
    client.post("/today/movement/level", data={"csrf_token": token, "minutes": "11"})
    text = client.get("/today").text
    assert "Stretching: 11 min" in text and "Watching 48 hours" in text
    assert "1 day in a row" in text and "Take the step" not in text
    bad = client.post("/today/movement/level", data={"csrf_token": token, "minutes": "0"})
    assert bad.status_code == 422 and "must be from 1 to 600" in bad.text
