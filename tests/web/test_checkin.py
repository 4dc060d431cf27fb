from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient

from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from tests.web.helpers import csrf_of

TODAY = date(2026, 3, 15)  # the clock fixture: 2026-03-15T10:00Z, Europe/Oslo profile


def stored(db: Database, pid: int, day: date = TODAY) -> checkins_db.StoredCheckIn | None:
    with db.read() as s:
        return checkins_db.get_checkin(s, profiles_db.get_profile(s, pid), day)


def test_first_visit_goes_to_welcome_and_creates_a_profile(client: TestClient, db: Database):
    assert client.get("/").headers["location"] == "/welcome"
    token = csrf_of(client, "/welcome")
    bad = client.post("/welcome", data={"csrf_token": token, "name": "", "time_zone": "Mars/Base"})
    assert bad.status_code == 422
    assert "name: " not in bad.text  # shown beside the field, not as a raw dump
    assert "is required" in bad.text and "is not a time zone name" in bad.text
    with db.read() as s:
        assert profiles_db.list_profiles(s) == []

    ok = client.post(
        "/welcome",
        data={"csrf_token": token, "name": "Ann", "conditions": ["me_cfs", "fibromyalgia"],
              "time_zone": "Europe/Oslo", "day_boundary": "04:00"},
    )  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == "/checkin"
    with db.read() as s:
        (p,) = profiles_db.list_profiles(s)
        assert p.conditions == ["me_cfs", "fibromyalgia"]


def test_checkin_page_shows_every_tracker_with_word_anchors(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/checkin")
    assert page.status_code == 200
    for label in ("Fatigue", "Pain", "Brain fog", "Sleep quality", "Unrefreshing sleep",
                  "Back soreness and stiffness", "Mood", "Crash / PEM today"):  # fmt: skip
        assert label in page.text
    assert "10 = worst imaginable" in page.text
    assert 'name="fatigue" value="10"' in page.text
    assert "Sun 15 Mar" in page.text


def test_saving_a_checkin_stores_it(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client)
    resp = client.post(
        "/checkin",
        data={"csrf_token": token, "day": "2026-03-15", "fatigue": "6", "pain": "3",
              "crash": "1", "note": "Tired after the dentist"},
    )  # fmt: skip
    assert resp.status_code == 303
    assert resp.headers["location"] == "/today?saved=2026-03-15"
    got = stored(db, pid)
    assert got is not None
    assert got.values == {"fatigue": 6.0, "pain": 3.0, "crash": 1.0}
    assert got.note == "Tired after the dentist"
    today = client.get("/today")
    assert "Tired after the dentist" in today.text


def test_out_of_range_value_is_shown_next_to_its_field_and_nothing_is_written(
    client, db, clock, make_profile
):
    pid = make_profile(db, clock)
    token = csrf_of(client)
    resp = client.post(
        "/checkin", data={"csrf_token": token, "day": "2026-03-15", "fatigue": "14", "pain": "2"}
    )
    assert resp.status_code == 422
    assert 'id="err-fatigue" role="alert">must be from 0 to 10; 14 is out of range' in resp.text
    assert 'id="tracker-fatigue" aria-invalid="true"' in resp.text
    assert 'name="pain" value="2" checked' in resp.text  # what was typed is kept
    assert stored(db, pid) is None


def test_future_day_and_unknown_tracker_are_refused(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client)
    resp = client.post(
        "/checkin", data={"csrf_token": token, "day": "2026-03-16", "fatigue": "4", "energy": "5"}
    )
    assert resp.status_code == 422
    assert "is in the future" in resp.text
    assert "is not one of this profile&#39;s trackers" in resp.text
    assert stored(db, pid, date(2026, 3, 16)) is None


def test_post_without_csrf_token_is_refused(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    client.get("/checkin")
    resp = client.post("/checkin", data={"day": "2026-03-15", "fatigue": "4"})
    assert resp.status_code == 403
    resp = client.post("/checkin", data={"csrf_token": "0" * 64, "day": "2026-03-15"})
    assert resp.status_code == 403
    assert stored(db, pid) is None


def test_same_as_last_time_takes_two_taps(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client)
    client.post("/checkin", data={"csrf_token": token, "day": "2026-03-14", "fatigue": "5",
                                  "mood": "7", "crash": "0"})  # fmt: skip
    page = client.get("/checkin")
    assert "Same as Sat 14 Mar" in page.text
    # Tap 1: the link fills in the last answers.
    filled = client.get("/checkin?day=2026-03-15&copy=last")
    assert "Filled in from Sat 14 Mar" in filled.text
    assert 'name="fatigue" value="5" checked' in filled.text
    assert 'name="mood" value="7" checked' in filled.text
    # Tap 2: Save posts exactly what is shown.
    form = {"csrf_token": token, "day": "2026-03-15", "fatigue": "5", "mood": "7", "crash": "0"}
    assert client.post("/checkin", data=form).status_code == 303
    got = stored(db, pid)
    assert got is not None and got.values == {"fatigue": 5.0, "mood": 7.0, "crash": 0.0}


def test_offline_resend_is_not_doubled_and_old_answers_never_win(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client)
    headers = {"X-CSRF-Token": token}
    first = {"day": "2026-03-15", "fatigue": "7", "client_id": "2b1f3c4d-0000-4000-8000-000000000001",
             "recorded_at": "2026-03-15T09:00:00+01:00"}  # fmt: skip
    r1 = client.post("/api/checkins", data=first, headers=headers)
    assert r1.status_code == 201 and r1.json() == {"status": "created", "day": "2026-03-15"}
    r2 = client.post("/api/checkins", data=first, headers=headers)
    assert r2.status_code == 200 and r2.json()["status"] == "duplicate"

    newer = {**first, "fatigue": "3", "client_id": "2b1f3c4d-0000-4000-8000-000000000002",
             "recorded_at": "2026-03-15T10:30:00+01:00"}  # fmt: skip
    assert client.post("/api/checkins", data=newer, headers=headers).json()["status"] == "updated"
    older = {**first, "fatigue": "9", "client_id": "2b1f3c4d-0000-4000-8000-000000000003",
             "recorded_at": "2026-03-15T08:00:00+01:00"}  # fmt: skip
    assert client.post("/api/checkins", data=older, headers=headers).json()["status"] == "stale"

    got = stored(db, pid)
    assert got is not None and got.values == {"fatigue": 3.0}
    assert got.recorded_at == datetime(2026, 3, 15, 9, 30, tzinfo=UTC)
    assert got.utc_offset_minutes == 60
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert len(checkins_db.checkins_between(s, p, TODAY, TODAY)) == 1


def test_api_reports_field_errors_as_json(client, db, clock, make_profile):
    make_profile(db, clock)
    token = csrf_of(client)
    resp = client.post(
        "/api/checkins", data={"day": "yesterday", "pain": "-1"}, headers={"X-CSRF-Token": token}
    )
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert "must be a date like" in errors["day"]
    assert "out of range" in errors["pain"]
    assert client.post("/api/checkins", data={"day": "2026-03-15"}).status_code == 403
