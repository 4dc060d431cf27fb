from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from tests.web.helpers import csrf_of

DAY_START = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)  # 04:00 in Oslo (UTC+1 in March)


def activities(db, pid):
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        return [entries_db.activity_data(a) for a in entries_db.activities_between(
            s, p, DAY_START, DAY_START + timedelta(days=1))]  # fmt: skip


def test_today_without_checkin_invites_one(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/today")
    assert page.status_code == 200
    assert "Today, Sun 15 Mar" in page.text
    assert "Check in now" in page.text
    assert client.get("/").headers["location"] == "/checkin"


def test_log_activity_with_loads_in_local_time(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/today")
    resp = client.post(
        "/today/activity",
        data={"csrf_token": token, "what": "Shower", "start": "09:30", "minutes": "15",
              "physical": "2", "cognitive": "0", "emotional": "1", "social": "0",
              "posture": "upright"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert resp.status_code == 200
    assert "Shower" in resp.text and "physical moderate" in resp.text
    (a,) = activities(db, pid)
    assert a.started_at == datetime(2026, 3, 15, 8, 30, tzinfo=UTC)
    assert a.started_at.utcoffset() == timedelta(hours=1)  # shown in the offset it was logged in
    assert (a.physical, a.emotional, a.posture.value) == (2, 1, "upright")
    assert client.get("/").headers["location"] == "/checkin"  # logging is not a check-in


def test_log_activity_errors_name_the_field_and_write_nothing(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/today")
    resp = client.post(
        "/today/activity",
        data={"csrf_token": token, "what": "", "start": "25:99", "minutes": "0", "physical": "5"},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 422
    assert 'id="err-activity-what" role="alert">is required' in resp.text
    assert 'id="err-activity-start" role="alert">must be a time like 04:00' in resp.text
    assert 'id="err-activity-minutes" role="alert">must be from 1 to 1440' in resp.text
    assert 'id="err-activity-physical" role="alert">must be from 0 to 3' in resp.text
    assert activities(db, pid) == []


def test_start_time_later_than_now_is_refused(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/today")
    resp = client.post(
        "/today/activity",
        data={"csrf_token": token, "what": "Walk", "start": "15:00", "minutes": "10"},
    )
    assert resp.status_code == 422
    assert "is later than now" in resp.text
    assert "<!doctype html>" in resp.text  # without htmx: the whole page, errors in place
    assert activities(db, pid) == []


def test_rest_logging_and_removing_entries(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/today")
    client.post("/today/rest", data={"csrf_token": token, "kind": "nap", "start": "08:00",
                                     "minutes": "40"})  # fmt: skip
    page = client.get("/today")
    assert "Nap" in page.text and "40 min of rest" in page.text
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        (rest,) = entries_db.rests_between(s, p, DAY_START, DAY_START + timedelta(days=1))
    resp = client.post(f"/today/rest/{rest.id}/delete", data={"csrf_token": token})
    assert resp.status_code == 303
    assert "Nothing logged yet" in client.get("/today").text
    bad = client.post("/today/rest", data={"csrf_token": token, "kind": "couch", "start": "08:00",
                                           "minutes": "10"})  # fmt: skip
    assert bad.status_code == 422 and "must be one of lying_rest, nap, meditation" in bad.text
