"""The Learn pages on SQLite and PostgreSQL: today's chapter follows the person's conditions,
read marks and goals are saved, and goals take a yes/no tick per day."""

from __future__ import annotations

from datetime import date

from pacekeeper.db import program as program_db
from pacekeeper.domain.conditions import Condition
from pacekeeper.program import all_chapters, chapters_for
from tests.web.helpers import csrf_of

DAY = date(2026, 3, 15)  # the clock fixture's local day in Oslo


def first_for(*conditions: Condition):
    return chapters_for(all_chapters(), conditions)


def reads(db, pid):
    with db.read() as s:
        return program_db.first_reads(s, pid)


def test_learn_shows_the_first_chapter_with_big_buttons(client, db, clock, make_profile) -> None:
    make_profile(db, clock, conditions="me_cfs")
    page = client.get("/learn")
    assert page.status_code == 200
    first = first_for(Condition.ME_CFS)[0]
    assert f'<h1 id="h-chapter">{first.title}</h1>' in page.text
    assert "Done reading" in page.text and "Make this my step" in page.text
    assert first.step in page.text
    assert 'href="/learn" aria-current="page"' in page.text  # the bottom bar item


def test_done_reading_saves_the_mark_and_keeps_one_chapter_a_day(
    client, db, clock, make_profile
) -> None:
    pid = make_profile(db, clock, conditions="fibromyalgia")
    mine = first_for(Condition.FIBROMYALGIA)
    token = csrf_of(client, "/learn")
    resp = client.post(f"/learn/{mine[0].id}/read", data={"csrf_token": token, "back": "/learn"})
    assert (resp.status_code, resp.headers["location"]) == (303, "/learn")
    assert reads(db, pid) == {mine[0].id: DAY}
    page = client.get("/learn")
    assert "Done for today" in page.text and mine[0].title in page.text
    assert mine[1].title not in page.text
    listing = client.get("/learn/all")
    assert f"1 of {len(mine)} read" in listing.text
    assert listing.text.count("✓") == 1


def test_other_conditions_chapters_are_not_offered(client, db, clock, make_profile) -> None:
    make_profile(db, clock, conditions="me_cfs")
    listing = client.get("/learn/all").text
    assert "The rule of two" not in listing and "Why your plan never steps up" in listing
    assert client.get("/learn/rule-of-two").status_code == 404
    token = csrf_of(client, "/learn")
    assert client.post("/learn/rule-of-two/read", data={"csrf_token": token}).status_code == 404
    assert client.get("/learn/no-such-chapter").status_code == 404


def test_fibromyalgia_gets_the_rule_of_two(client, db, clock, make_profile) -> None:
    make_profile(db, clock, conditions="fibromyalgia")
    page = client.get("/learn/rule-of-two")
    assert page.status_code == 200
    assert "<strong>No:</strong> ME/CFS" in page.text
    assert "Sources (" in page.text


def test_make_this_my_step_and_tick_it(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock, conditions="long_covid")
    chapter = first_for(Condition.LONG_COVID)[0]
    token = csrf_of(client, "/learn")
    resp = client.post(f"/learn/{chapter.id}/goal", data={"csrf_token": token, "back": "/learn"})
    assert (resp.status_code, resp.headers["location"]) == (303, "/learn")
    with db.read() as s:
        (goal,) = program_db.goals_for_day(s, pid, DAY)
    assert goal.text == (chapter.step_tracker or chapter.step) and goal.done is None
    assert "your goals" in client.get("/learn").text  # the button gives way to a note

    resp = client.post(
        f"/learn/goals/{goal.id}/tick",
        data={"csrf_token": token, "done": "yes", "back": "https://elsewhere.example/"},
    )
    assert (resp.status_code, resp.headers["location"]) == (303, "/learn/goals")
    with db.read() as s:
        assert program_db.goals_for_day(s, pid, DAY)[0].done is True
    page = client.get("/learn/goals")
    assert 'value="yes" aria-pressed="true"' in page.text

    client.post(f"/learn/goals/{goal.id}/tick", data={"csrf_token": token, "done": "no"})
    with db.read() as s:
        assert program_db.goals_for_day(s, pid, DAY)[0].done is False

    bad = client.post(f"/learn/goals/{goal.id}/tick", data={"csrf_token": token, "done": "maybe"})
    assert bad.status_code == 400 and "done: choose yes or no" in bad.text

    client.post(f"/learn/goals/{goal.id}/remove", data={"csrf_token": token})
    with db.read() as s:
        assert program_db.goals_for_day(s, pid, DAY) == []


def test_forms_need_the_csrf_token(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock)
    resp = client.post("/learn/welcome/read", data={"csrf_token": "0" * 64})
    assert resp.status_code == 403
    assert reads(db, pid) == {}


def test_all_read_says_so(client, db, clock, make_profile) -> None:
    pid = make_profile(db, clock, conditions="fibromyalgia")
    with db.write() as s:
        for c in first_for(Condition.FIBROMYALGIA):
            program_db.mark_read(s, pid, c.id, date(2026, 1, 1), clock.now())
    page = client.get("/learn")
    assert "You have read every chapter for you" in page.text
