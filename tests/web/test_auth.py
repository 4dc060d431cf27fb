from __future__ import annotations

from fastapi.testclient import TestClient

from pacekeeper.db import accounts as accounts_db
from tests.web.helpers import LOCAL, csrf_of

PASS = "correct horse battery"


def test_without_accounts_only_this_computer_gets_in(app, db, clock, make_profile):
    make_profile(db, clock)
    with TestClient(app, follow_redirects=False, client=LOCAL) as local:
        assert local.get("/today").status_code == 200
    with TestClient(app, follow_redirects=False, client=("192.168.1.20", 5000)) as phone:
        resp = phone.get("/today")
        assert resp.status_code == 303 and resp.headers["location"].startswith("/login")


def test_account_created_in_settings_then_required_everywhere(app, client, db, clock, make_profile):
    make_profile(db, clock)
    token = csrf_of(client, "/settings")
    short = client.post("/settings/account", data={"csrf_token": token, "username": "ann",
                                                   "passphrase": "short", "repeat": "short"})  # fmt: skip
    assert short.status_code == 422 and "must be at least 12 characters" in short.text
    differ = client.post("/settings/account", data={"csrf_token": token, "username": "ann",
                                                    "passphrase": PASS, "repeat": PASS + "x"})  # fmt: skip
    assert differ.status_code == 422 and "the two passphrases are not the same" in differ.text
    with db.read() as s:
        assert not accounts_db.has_accounts(s)

    made = client.post("/settings/account", data={"csrf_token": token, "username": "ann",
                                                  "passphrase": PASS, "repeat": PASS})  # fmt: skip
    assert made.status_code == 303
    set_cookie = made.headers["set-cookie"]
    assert "pk_session=" in set_cookie and "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    assert client.get("/today").status_code == 200  # the creator stays signed in

    with TestClient(app, follow_redirects=False, client=LOCAL) as other:
        assert other.get("/today").headers["location"] == "/login?next=/today"
        login_token = csrf_of(other, "/login")
        wrong = other.post("/login", data={"csrf_token": login_token, "username": "ann",
                                           "passphrase": "nope nope nope", "next": "/today"})  # fmt: skip
        assert wrong.status_code == 401 and "don&#39;t match" in wrong.text
        right = other.post("/login", data={"csrf_token": login_token, "username": "ann",
                                           "passphrase": PASS, "next": "/today"})  # fmt: skip
        assert right.status_code == 303 and right.headers["location"] == "/today"
        assert other.get("/today").status_code == 200
        out = other.post("/logout", data={"csrf_token": csrf_of(other, "/today")})
        assert out.status_code == 303
        assert other.get("/today").status_code == 303


def test_login_refuses_open_redirects_and_missing_csrf(app, db, clock, make_profile):
    make_profile(db, clock)
    with db.write() as s:
        accounts_db.create_account(s, "ann", PASS, clock.now())
    with TestClient(app, follow_redirects=False, client=LOCAL) as c:
        assert c.post("/login", data={"username": "ann", "passphrase": PASS}).status_code == 403
        token = csrf_of(c, "/login")
        resp = c.post("/login", data={"csrf_token": token, "username": "ann", "passphrase": PASS,
                                      "next": "//evil.example/x"})  # fmt: skip
        assert resp.headers["location"] == "/"


def test_api_needs_sign_in_once_accounts_exist(app, db, clock, make_profile):
    make_profile(db, clock)
    with db.write() as s:
        accounts_db.create_account(s, "ann", PASS, clock.now())
    with TestClient(app, follow_redirects=False, client=LOCAL) as c:
        assert c.post("/api/checkins", data={"day": "2026-03-15"}).status_code == 401
