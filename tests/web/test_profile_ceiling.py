"""The ceiling card on the profile page: where the number comes from, the CPET value, an
accepted suggestion, the crisis line and the PEM screen."""

from __future__ import annotations

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from tests.web.helpers import csrf_of


def test_the_default_ceiling_shows_how_it_was_made(client, db, clock, make_profile):
    make_profile(db, clock, resting_hr="60", birth_year="1976")
    text = client.get("/profile").text
    assert 'id="ceiling-figure">75 <span class="unit">bpm' in text
    assert "resting HR 60 + 15 = 75" in text and "0.55 x (220 - 50) = 94" in text
    assert "a place to start, not accurate" in text


def test_a_cpet_value_becomes_the_ceiling_and_a_later_edit_still_wins(
    client, db, clock, make_profile
):
    pid = make_profile(db, clock, resting_hr="60", birth_year="1976")
    token = csrf_of(client, "/profile")
    resp = client.post("/profile/planner", data={"csrf_token": token, "cpet_vt1_hr": "98",
                                                 "crisis_line": "Call 116 123"})  # fmt: skip
    assert resp.status_code == 303
    text = client.get("/profile").text
    assert 'id="ceiling-figure">98' in text and "From your CPET" in text
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert (p.hr_ceiling, p.hr_ceiling_method) == (98, "cpet")
        assert progression_db.settings(s, p) == {"cpet_vt1_hr": 98, "crisis_line": "Call 116 123"}
    client.post("/profile/planner", data={"csrf_token": token, "accept_ceiling": "93"})
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert (p.hr_ceiling, p.hr_ceiling_method) == (93, "manual")
    assert 'id="ceiling-figure">93' in client.get("/profile").text


def test_a_bad_value_names_the_field_and_changes_nothing(client, db, clock, make_profile):
    pid = make_profile(db, clock, resting_hr="60")
    token = csrf_of(client, "/profile")
    resp = client.post("/profile/planner", data={"csrf_token": token, "cpet_vt1_hr": "400"})
    assert resp.status_code == 422
    assert 'id="err-pl-cpet_vt1_hr" role="alert">must be from 50 to 220' in resp.text
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert p.hr_ceiling == 75 and progression_db.settings(s, p) == {}


def test_heart_rate_medication_asks_for_a_clinician(client, db, clock, make_profile):
    make_profile(db, clock, resting_hr="60", hr_affecting_medication="yes")
    assert "ask a clinician to set this" in client.get("/profile").text


def dsq(freq: list[str], sev: list[str]) -> dict[str, str]:
    out = {f"dsq_f{i}": f for i, f in enumerate(freq, start=1)}
    return out | {f"dsq_s{i}": x for i, x in enumerate(sev, start=1)}


def test_the_pem_screen_opens_the_rule_of_two_only_when_negative(client, db, clock, make_profile):
    pid = make_profile(db, clock, conditions="fibromyalgia")
    token = csrf_of(client, "/profile")
    assert "PEM screen: not answered" in client.get("/profile").text
    low = dsq(["1", "0", "1", "0", "0"], ["3", "0", "1", "0", "0"])
    assert client.post("/profile/planner", data={"csrf_token": token, **low}).status_code == 303
    assert "PEM screen: no PEM" in client.get("/profile").text
    assert "One small movement" in client.get("/today").text
    pem = dsq(["1", "2", "1", "0", "0"], ["3", "2", "1", "0", "0"])
    client.post("/profile/planner", data={"csrf_token": token, **pem})
    assert "PEM screen: you get PEM" in client.get("/profile").text
    assert "One small movement" not in client.get("/today").text
    with db.read() as s:
        stored = progression_db.settings(s, profiles_db.get_profile(s, pid))
    assert stored["pem_screen"] == "positive"
    assert stored["dsq_pem"]["frequency"] == [1, 2, 1, 0, 0]
    bad = client.post("/profile/planner", data={"csrf_token": token, **dsq(["9"] * 5, ["0"] * 5)})
    assert (
        bad.status_code == 422 and 'id="err-pl-dsq_f1" role="alert">must be from 0 to 4' in bad.text
    )
