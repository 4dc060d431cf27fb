from __future__ import annotations

import json

from pacekeeper.db import profiles as profiles_db
from tests.web.helpers import csrf_of


def test_profile_update_and_validation(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/profile")
    form = {"csrf_token": token, "name": "Ann", "conditions": ["long_covid"], "birth_year": "1985",
            "resting_hr": "60", "hr_ceiling": "", "time_zone": "Europe/Oslo",
            "day_boundary": "05:00", "theme": "dark"}  # fmt: skip
    assert client.post("/profile", data=form).status_code == 303
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert (p.name, p.conditions, p.day_boundary_minutes) == ("Ann", ["long_covid"], 300)
        assert (p.hr_ceiling, p.hr_ceiling_method) == (75, "default")  # min(60+15, 0.55*(220-41))

    bad = client.post("/profile", data={**form, "resting_hr": "300", "hr_ceiling": "70"})
    assert bad.status_code == 422
    assert 'id="err-resting_hr" role="alert">must be from 25 to 150' in bad.text
    with db.read() as s:
        assert profiles_db.get_profile(s, pid).resting_hr == 60


def test_trackers_can_be_turned_off_and_added(client, db, clock, make_profile):
    make_profile(db, clock)
    token = csrf_of(client, "/settings")
    client.post(
        "/settings/trackers/back_soreness/toggle", data={"csrf_token": token, "enabled": "0"}
    )
    assert "Back soreness and stiffness" not in client.get("/checkin").text

    resp = client.post(
        "/settings/trackers",
        data={"csrf_token": token, "label": "Headache", "kind": "scale", "min_value": "0",
              "max_value": "10", "low_anchor": "none", "high_anchor": "severe"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert resp.status_code == 200 and "Tracker added" in resp.text
    page = client.get("/checkin")
    assert "Headache" in page.text and "10 = severe" in page.text
    save = client.post("/checkin", data={"csrf_token": token, "day": "2026-03-15", "headache": "4"})
    assert save.status_code == 303

    bad = client.post(
        "/settings/trackers",
        data={
            "csrf_token": token,
            "label": "",
            "kind": "scale",
            "min_value": "5",
            "max_value": "1",
        },
    )
    assert bad.status_code == 422
    assert "is required" in bad.text and "must be larger than the lowest value" in bad.text


def test_backup_download_is_the_full_export(client, db, clock, make_profile):
    make_profile(db, clock, name="Ann")
    token = csrf_of(client)
    client.post("/checkin", data={"csrf_token": token, "day": "2026-03-15", "fatigue": "4"})
    resp = client.get("/export.json")
    assert resp.status_code == 200
    assert 'filename="pacekeeper-backup-2026-03-15.json"' in resp.headers["content-disposition"]
    doc = json.loads(resp.text)
    assert doc["format"] == "pacekeeper-export" and doc["profile"]["name"] == "Ann"
    assert doc["checkins"][0]["values"] == {"fatigue": 4}


def test_history_page_renders_chart_and_table(client, db, clock, make_profile):
    make_profile(db, clock)
    token = csrf_of(client)
    client.post("/checkin", data={"csrf_token": token, "day": "2026-03-15", "fatigue": "6"})
    page = client.get("/history?days=90")
    assert page.status_code == 200
    assert "<svg" in page.text and 'role="img"' in page.text
    assert "Show as a table" in page.text
    partial = client.get("/history?days=30", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="chart"')
