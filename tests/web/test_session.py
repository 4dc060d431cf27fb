"""The paced-session page and logging a finished session as one activity."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.domain.samples import SampleKind
from pacekeeper.store import SampleData
from tests.web.helpers import csrf_of

DAY_START = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)  # 04:00 in Oslo
PLAN = re.compile(r'<script type="application/json" id="session-plan">(.*?)</script>', re.S)
CLIENT_ID = "6f1c7d0e-2a53-4c1e-9a57-0d3b1f2e4a11"


def plan_of(html: str) -> dict:
    match = PLAN.search(html)
    assert match, "no plan in the page"
    return json.loads(match.group(1))


def activities(db, pid):
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        return [entries_db.activity_data(a) for a in entries_db.activities_between(
            s, p, DAY_START, DAY_START + timedelta(days=1))]  # fmt: skip


def done_fields(token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token, "kind": "sitting", "plan": "2 × 12 min, rests 12 min",
        "started_at": "2026-03-15T10:10:00+01:00", "minutes": "24", "physical": "0",
        "cognitive": "2", "emotional": "1", "social": "0", "hr_max": "104",
        "hr_above_s": "75", "ceiling": "95", "client_id": CLIENT_ID, **extra,
    }  # fmt: skip


def test_session_page_renders_the_plan_and_ceiling(client, db, clock, make_profile):
    make_profile(db, clock, resting_hr="70", birth_year="1980")
    page = client.get("/session")
    assert page.status_code == 200
    plan = plan_of(page.text)
    assert plan["kind"] == "active" and plan["burst_min"] == 12 and plan["rounds"] == 2
    assert [s["kind"] for s in plan["steps"]] == ["burst", "rest", "burst", "rest"]
    assert 'data-ceiling="85"' in page.text  # min(70 + 15, 0.55 x (220 - 46))
    assert "Not in Safari, on iPhone or in Firefox" in page.text
    assert '<script type="module" src="/static/js/session.js' in page.text


def test_the_person_can_choose_kind_length_and_rounds(client, db, clock, make_profile):
    make_profile(db, clock)
    plan = plan_of(client.get("/session?kind=sitting&burst=50&rounds=1").text)
    assert plan["kind"] == "sitting" and plan["burst_min"] == 50
    assert [s["kind"] for s in plan["steps"]] == ["burst", "micro_break", "burst", "rest"]
    bad = client.get("/session?burst=500")
    assert bad.status_code == 400 and "burst: must be from 5 to 120" in bad.text


def test_slow_recovery_in_stored_heart_rate_shortens_the_burst(client, db, clock, make_profile):
    pid = make_profile(db, clock, hr_ceiling="100")
    rows = []
    for day in range(3):  # three efforts, each dropping only 8 bpm in the minute after its peak
        t0 = clock.now() - timedelta(days=day + 1)
        for i, bpm in enumerate([90, 110, 120, 118, 112, 110]):
            rows.append(SampleData(SampleKind.HEART_RATE, t0 + timedelta(seconds=30 * i),
                                   float(bpm), "test"))  # fmt: skip
    with db.write() as s:
        samples_db.add_samples(s, profiles_db.get_profile(s, pid), rows)
    plan = plan_of(client.get("/session").text)
    assert (plan["burst_min"], plan["rest_min"]) == (10, 15)
    assert "drops about 8 bpm" in plan["reason"]


def test_finished_session_is_logged_once_as_an_activity(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/session")
    headers = {"Accept": "application/json"}
    first = client.post("/session/done", data=done_fields(token), headers=headers)
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = client.post("/session/done", data=done_fields(token), headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    (a,) = activities(db, pid)
    assert a.what == "Paced session (sitting task)"
    assert a.minutes == 24 and a.posture.value == "sitting" and a.source == "session"
    assert (a.physical, a.cognitive, a.emotional, a.social) == (0, 2, 1, 0)
    assert a.started_at == datetime(2026, 3, 15, 9, 10, tzinfo=UTC)
    assert a.note == (
        "Paced session: 2 × 12 min, rests 12 min. "
        "Heart rate max 104 bpm; 1 min above ceiling (ceiling 95)."
    )
    assert "Paced session (sitting task)" in client.get("/today").text


def test_without_javascript_the_form_posts_and_returns_to_today(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/session")
    resp = client.post("/session/done", data=done_fields(token, hr_max="", client_id=""))
    assert resp.status_code == 303 and resp.headers["location"] == "/today"
    (a,) = activities(db, pid)
    assert a.note == "Paced session: 2 × 12 min, rests 12 min."


def test_bad_fields_are_named_and_nothing_is_stored(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/session")
    resp = client.post(
        "/session/done",
        data=done_fields(token, minutes="0", started_at="2026-03-15T18:00:00+01:00", kind="x"),
        headers={"Accept": "application/json"},
    )
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert errors["started_at"] == "is later than now"
    assert "kind" in errors
    assert activities(db, pid) == []


def test_logging_needs_the_csrf_token(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    csrf_of(client, "/session")
    resp = client.post("/session/done", data=done_fields("0" * 64))
    assert resp.status_code == 403
    assert activities(db, pid) == []


def test_today_links_to_the_session(client, db, clock, make_profile):
    make_profile(db, clock)
    assert 'href="/session">Start a paced session</a>' in client.get("/today").text
