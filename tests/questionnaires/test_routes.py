"""The questionnaire pages on SQLite and PostgreSQL: a form with one-tap options and CSRF, saving
with the manual's score and its meaning, past scores, and reminders shown as "due"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db import questionnaires as q_db
from pacekeeper.planner import PemScreen
from tests.web.helpers import csrf_of

DSQ_POSITIVE = {**{f"f{n}": "0" for n in range(1, 6)}, **{f"s{n}": "0" for n in range(1, 6)},
                "f2": "3", "s2": "2"}  # fmt: skip


def test_list_shows_every_instrument_and_the_trackers_only_note(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/questionnaires")
    assert page.status_code == 200
    for name in ("DSQ-PEM", "RAND-36", "Fatigue Severity Scale", "ACR 2016", "IOM 2015"):
        assert name in page.text
    assert "FUNCAP27/55" in page.text and "Past scores" not in page.text
    assert ": due" not in page.text
    assert 'href="/questionnaires"' in client.get("/profile").text


def test_form_has_big_options_and_csrf(client, db, clock, make_profile) -> None:
    make_profile(db, clock)
    page = client.get("/questionnaires/fss")
    assert page.status_code == 200
    assert page.text.count('type="radio" name="q1"') == 7
    assert 'class="choice"' in page.text and 'name="csrf_token"' in page.text
    assert "Krupp" in page.text  # source and licence beside the form
    assert client.get("/questionnaires/sf-36").status_code == 404


def test_submit_saves_scores_and_shows_the_meaning(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    token = csrf_of(client, "/questionnaires/dsq-pem")
    resp = client.post("/questionnaires/dsq-pem", data={"csrf_token": token, **DSQ_POSITIVE})
    assert resp.status_code == 303
    with db.read() as s:
        (saved,) = q_db.responses(s, pid)
    assert resp.headers["location"] == f"/questionnaires/dsq-pem/responses/{saved.id}"
    assert saved.scores["step1_met"] is True and saved.answers["f2"] == 3
    assert saved.taken_at == clock.now()
    page = client.get(resp.headers["location"])
    assert "PEM screen positive" in page.text and "Saved for 2026-03-15" in page.text
    listing = client.get("/questionnaires")
    assert "Past scores" in listing.text and "step1 met yes" in listing.text


def test_missing_answers_are_shown_beside_the_question(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    token = csrf_of(client, "/questionnaires/fss")
    form = {"csrf_token": token, **{f"q{n}": "5" for n in range(1, 9)}}  # q9 left blank
    resp = client.post("/questionnaires/fss", data=form)
    assert resp.status_code == 400
    assert 'id="err-q9" role="alert"' in resp.text and "FSS item q9: not answered" in resp.text
    assert 'name="q1" value="5" checked' in resp.text  # the answers given are kept
    with db.read() as s:
        assert q_db.responses(s, pid) == []


def test_post_without_csrf_is_refused(client, db, clock, make_profile) -> None:
    make_profile(db, clock)
    client.get("/questionnaires")
    resp = client.post("/questionnaires/iom-2015", data={"reduction": "1"})
    assert resp.status_code == 403


def test_schedule_makes_it_due_until_filled_in(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    token = csrf_of(client, "/questionnaires/iom-2015")
    resp = client.post("/questionnaires/iom-2015/schedule",
                       data={"csrf_token": token, "every_days": "30"})  # fmt: skip
    assert (resp.status_code, resp.headers["location"]) == (303, "/questionnaires")
    assert "IOM 2015 ME/CFS checklist: due" in client.get("/questionnaires").text
    answers = {"reduction": "1", "pem": "1", "sleep": "1", "cognitive": "0", "orthostatic": "1"}
    client.post("/questionnaires/iom-2015", data={"csrf_token": token, **answers})
    page = client.get("/questionnaires").text
    assert ": due" not in page and "next on 2026-04-14" in page
    with db.read() as s:
        assert q_db.schedules(s, pid) == {"iom-2015": 30}
    client.post("/questionnaires/iom-2015/schedule", data={"csrf_token": token, "every_days": ""})
    with db.read() as s:
        assert q_db.schedules(s, pid) == {}


def test_due_counts_days_from_the_last_local_day(db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    taken = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March 00:30 in Oslo (+60 min)
    with db.write() as s:
        q_db.set_schedule(s, pid, "fss", 14)
        q_db.save_response(s, pid, "fss", {"q1": 4}, {"mean": 4.0}, taken, 60)
    with db.read() as s:
        (d,) = q_db.due(s, pid, clock.now().date())
    assert d.last_day == date(2026, 3, 2)
    assert d.due_on == d.last_day + timedelta(days=14)
    assert d.is_due(d.due_on) and not d.is_due(d.due_on - timedelta(days=1))


def test_every_form_renders_and_a_partial_rand36_shows_unscored_scales(
    client, db, clock, make_profile
) -> None:
    make_profile(db, clock)
    for key in ("dsq-pem", "fss", "rand-36", "acr-2016", "iom-2015"):
        page = client.get(f"/questionnaires/{key}")
        assert page.status_code == 200, key
        assert "Save and see my score" in page.text
    token = csrf_of(client, "/questionnaires/rand-36")
    resp = client.post(
        "/questionnaires/rand-36", data={"csrf_token": token, "q23": "1", "q27": "2"}
    )
    page = client.get(resp.headers["location"]).text
    assert '<th scope="row">Energy fatigue</th><td>90.0</td>' in page
    assert '<th scope="row">Pain</th><td>no score</td>' in page


def test_a_saved_dsq_pem_becomes_the_planners_pem_screen(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    token = csrf_of(client, "/questionnaires/dsq-pem")
    client.post("/questionnaires/dsq-pem", data={"csrf_token": token, **DSQ_POSITIVE})
    with db.read() as s:
        values = progression_db.settings(s, profiles_db.get_profile(s, pid))
    assert values["pem_screen"] == PemScreen.POSITIVE.value
    assert values["dsq_pem"]["frequency"][1] == 3
