"""Sharing the report (/share and the public /shared/{token}) on SQLite and PostgreSQL: a link is
shown once and opens without sign-in or cookie; revoked, expired and unknown links all get the
same page with nothing of the report; sections left out are not in the page or the PDF."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from pacekeeper import security
from pacekeeper.db import accounts as accounts_db
from pacekeeper.db import shares as shares_db
from pacekeeper.db.tables import ShareLink
from pacekeeper.web.routes import shared
from pacekeeper.web.routes.clinician import REPORT_CSP
from tests.web.helpers import LOCAL, csrf_of

ELSEWHERE = ("203.0.113.9", 4000)  # a clinician's computer: not this one
ALL = ["summary", "pem_delay", "envelope", "heart_rate_ceiling", "activity_symptoms",
       "morning_rhr_hrv", "sleep", "progression", "treatments", "questionnaires"]  # fmt: skip
FIRST, LAST = date(2026, 2, 1), date(2026, 3, 14)  # the test clock's today is 15 Mar 2026


def _link(db, clock, pid: int, sections=("summary", "sleep"), days: int = 7) -> tuple[int, str]:
    with db.write() as s:
        link, token = shares_db.create(
            s, pid, first_day=FIRST, last_day=LAST, sections=list(sections), now=clock.now(),
            expires_days=days, label="Dr Okafor",
        )  # fmt: skip
    return link.id, token


def _pdf_text(pdf: bytes, tmp: Path) -> str:
    (tmp / "shared.pdf").write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", str(tmp / "shared.pdf"), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def test_the_share_page_starts_with_everything_chosen(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/share").text
    for key in ALL:
        assert f'name="sections" value="{key}" checked' in page
    assert 'name="period" value="90" checked' in page
    assert 'name="expires" value="14" checked' in page
    assert 'value="file"' in page and 'value="link"' in page
    assert 'href="/share"' in client.get("/report").text


def test_a_link_is_shown_once_and_opens_elsewhere_without_sign_in(
    app: FastAPI, client, db, clock, make_profile
):
    pid = make_profile(db, clock, name="Ada")
    form = {"csrf_token": csrf_of(client, "/share"), "period": "custom", "first": "2026-02-01",
            "last": "2026-03-14", "sections": ["summary", "heart_rate_ceiling", "treatments"],
            "expires": "7", "label": "Dr Rao, 12 March", "action": "link"}  # fmt: skip
    made = client.post("/share", data=form)
    assert made.status_code == 200
    url = re.search(r'id="share-url" type="text" readonly value="([^"]+)"', made.text)
    assert url, made.text
    token = url.group(1).rsplit("/shared/", 1)[1]
    assert "Anyone with this link can read the report until <strong>Sun 22 Mar 2026, 11:00" in (
        made.text
    )  # 7 days on, in the profile's zone (Europe/Oslo)
    assert 'data-copy="share-url"' in made.text
    assert "works only on this computer" not in made.text
    with db.read() as s:
        row = s.scalars(select(ShareLink)).one()
    assert row.token_hash == security.token_hash(token) and token not in str(row.sections)
    assert row.sections == ["summary", "heart_rate_ceiling", "treatments"]
    assert token not in client.get("/share").text  # never shown again

    with db.write() as s:  # accounts now exist: every app page needs sign-in
        accounts_db.create_account(s, "ann", "correct horse battery", clock.now())
    with TestClient(app, follow_redirects=False, client=ELSEWHERE) as clinician:
        page = clinician.get(f"/shared/{token}")
        assert page.status_code == 200, page.text
        assert "Pacing report: Ada" in page.text and "1 Feb 2026 to 14 Mar 2026" in page.text
        assert "set-cookie" not in page.headers and not clinician.cookies
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["x-robots-tag"].startswith("noindex")
        assert page.headers["content-security-policy"] == REPORT_CSP
        assert 'id="ceiling"' in page.text and "Treatments taken" in page.text
        assert "chose to leave some sections out" in page.text
        for absent in ('id="sleep"', 'id="pem"', 'id="crashes"', "Crash episodes", "Sleep",
                       "Energy envelope", "Questionnaire scores", "data:image/svg"):  # fmt: skip
            assert absent not in page.text, absent
        assert clinician.get("/share").status_code == 303  # the app itself still needs sign-in
    with db.read() as s:
        (seen,) = shares_db.links(s, pid)
    assert seen.views == 1 and seen.last_viewed_at == clock.now()


def test_revoked_expired_and_unknown_links_get_the_same_empty_page(
    app: FastAPI, client, db, clock, make_profile
):
    pid = make_profile(db, clock, name="Ada")
    revoked_id, revoked = _link(db, clock, pid, days=30)
    _, expiring = _link(db, clock, pid, days=1)
    with TestClient(app, follow_redirects=False, client=ELSEWHERE) as other:
        assert other.get(f"/shared/{revoked}").status_code == 200  # now kept in memory too
        unknown = other.get("/shared/" + security.new_token())
        assert unknown.status_code == 404
        for word in ("Ada", "Feb", "Mar", "report"):
            assert word not in unknown.text

        confirm = client.get(f"/share/{revoked_id}/revoke")
        assert confirm.status_code == 200 and "Yes, stop it" in confirm.text
        refused = client.post(f"/share/{revoked_id}/revoke", data={})
        assert refused.status_code == 403
        assert other.get(f"/shared/{revoked}").status_code == 200  # no CSRF, no revoke
        token = csrf_of(client, f"/share/{revoked_id}/revoke")
        done = client.post(f"/share/{revoked_id}/revoke", data={"csrf_token": token})
        assert done.status_code == 303 and done.headers["location"] == "/share#links"

        gone = other.get(f"/shared/{revoked}")
        assert gone.status_code == 404 and gone.text == unknown.text
        assert other.get(f"/shared/{revoked}/pdf").text == unknown.text
        assert other.get(f"/shared/{expiring}").status_code == 200
        clock.set(clock.now() + timedelta(days=1))
        late = other.get(f"/shared/{expiring}")
        assert late.status_code == 404 and late.text == unknown.text
        assert late.headers["cache-control"] == "no-store" and "set-cookie" not in late.headers
    listing = client.get("/share").text
    assert "Stopped " in listing and "Expired " in listing


def test_the_pdf_and_the_file_honour_the_choices(
    app: FastAPI, client, db, clock, make_profile, tmp_path: Path
):
    pid = make_profile(db, clock, name="Ada")
    _, token = _link(db, clock, pid, sections=("heart_rate_ceiling", "progression"))
    with TestClient(app, follow_redirects=False, client=ELSEWHERE) as other:
        pdf = other.get(f"/shared/{token}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-security-policy"] == REPORT_CSP
    text = _pdf_text(pdf.content, tmp_path)
    assert "Heart-rate ceiling" in text and "Progression (rule of two)" in text
    assert "Sleep" not in text and "In short" not in text and "Treatments" not in text

    form = {"csrf_token": csrf_of(client, "/share"), "period": "30",
            "sections": ["sleep", "questionnaires"], "expires": "14", "action": "file"}  # fmt: skip
    file = client.post("/share", data=form)
    assert file.status_code == 200 and file.headers["content-type"] == "application/pdf"
    assert 'filename="pacekeeper-report-ada-2026-03-14.pdf"' in file.headers["content-disposition"]
    text = _pdf_text(file.content, tmp_path)
    assert "Sleep" in text and "Questionnaire scores" in text
    assert "Heart-rate ceiling" not in text and "Progression" not in text
    assert "13 Feb 2026 to 14 Mar 2026" in text
    with db.read() as s:
        assert len(shares_db.links(s, pid)) == 1  # the file made no link


def test_bad_choices_are_named_and_nothing_is_made(client, db, clock, make_profile):
    pid = make_profile(db, clock)
    token = csrf_of(client, "/share")
    late = client.post("/share", data={"csrf_token": token, "period": "custom",
                                       "first": "2026-03-01", "last": "2026-03-15",
                                       "sections": ["sleep"], "action": "link"})  # fmt: skip
    assert late.status_code == 400 and "must be yesterday (2026-03-14) or earlier" in late.text
    assert 'name="sections" value="sleep" checked' in late.text  # the choices are kept
    assert 'name="sections" value="summary" checked' not in late.text
    nothing = client.post("/share", data={"csrf_token": token, "period": "90", "action": "link"})
    assert nothing.status_code == 400 and "choose at least one part" in nothing.text
    long = client.post("/share", data={"csrf_token": token, "period": "custom",
                                       "first": "2023-01-01", "last": "2026-03-01",
                                       "sections": ["sleep"], "action": "file"})  # fmt: skip
    assert long.status_code == 400 and "two years" in long.text
    with db.read() as s:
        assert shares_db.links(s, pid) == []


def test_the_share_pages_need_sign_in_but_only_shared_links_are_public(
    app: FastAPI, db, clock, make_profile
):
    pid = make_profile(db, clock)
    link_id, token = _link(db, clock, pid)
    with db.write() as s:
        accounts_db.create_account(s, "ann", "correct horse battery", clock.now())
    with TestClient(app, follow_redirects=False, client=LOCAL) as stranger:
        for path in ("/share", f"/share/{link_id}/revoke", "/report"):
            resp = stranger.get(path)
            assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
        assert stranger.get(f"/shared/{token}").status_code == 200
        assert stranger.get("/shared/nothing-here").status_code == 404
        assert stranger.get("/sharedx").status_code == 404


def test_one_profile_cannot_list_or_revoke_anothers_links(client, db, clock, make_profile):
    ada = make_profile(db, clock, name="Ada")
    bo = make_profile(db, clock, name="Bo")
    link_id, token = _link(db, clock, ada)
    client.cookies.set("pk_profile", str(bo))
    assert "Dr Okafor" not in client.get("/share").text
    assert client.get(f"/share/{link_id}/revoke").status_code == 404
    csrf = csrf_of(client, "/share")
    assert client.post(f"/share/{link_id}/revoke", data={"csrf_token": csrf}).status_code == 404
    with db.read() as s:
        assert shares_db.find_open(s, token, clock.now()) is not None
    client.cookies.set("pk_profile", str(ada))
    assert "Dr Okafor" in client.get("/share").text


def test_failed_lookups_are_slowed_per_address(app: FastAPI, db, clock, make_profile, monkeypatch):
    pid = make_profile(db, clock)
    _, token = _link(db, clock, pid)
    monkeypatch.setattr(shared, "MAX_FAILS", 3)
    with TestClient(app, follow_redirects=False, client=ELSEWHERE) as guesser:
        for _ in range(3):
            assert guesser.get("/shared/" + security.new_token()).status_code == 404
        stopped = guesser.get(f"/shared/{token}")
        assert stopped.status_code == 429 and "Too many tries" in stopped.text
    with TestClient(app, follow_redirects=False, client=("198.51.100.7", 4000)) as clinician:
        assert clinician.get(f"/shared/{token}").status_code == 200


def test_a_link_made_at_a_loopback_address_warns_it_works_only_here(
    app: FastAPI, db, clock, make_profile
):
    make_profile(db, clock)
    with TestClient(app, follow_redirects=False, client=LOCAL,
                    base_url="http://127.0.0.1:8000") as here:  # fmt: skip
        form = {"csrf_token": csrf_of(here, "/share"), "period": "30", "sections": ["sleep"],
                "expires": "1", "action": "link"}  # fmt: skip
        made = here.post("/share", data=form)
    assert made.status_code == 200
    assert 'value="http://127.0.0.1:8000/shared/' in made.text
    assert "This address works only on this computer" in made.text
