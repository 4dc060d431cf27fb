from __future__ import annotations

import re
import time

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from tests.web.helpers import LOCAL, csrf_of


def wait_for(client, url: str) -> str:
    for _ in range(100):
        page = client.get(url).text
        if "Import finished" in page or 'role="alert"' in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the import job did not finish")


def test_upload_runs_as_a_job_and_shows_its_report(client, db, clock, make_profile):
    from datetime import date

    pid = make_profile(db, clock)
    token = csrf_of(client, "/import")
    resp = client.post(
        "/import",
        data={"csrf_token": token},
        files=[("files", ("daily.csv", b"date,fatigue,pain\n2026-03-10,5,2\n2026-03-11,6,x\n", "text/csv")),
               ("files", ("notes.pdf", b"%PDF-1.4 not an export", "application/pdf"))],
    )  # fmt: skip
    assert resp.status_code == 303
    job_url = resp.headers["location"]
    assert re.fullmatch(r"/import/[0-9a-f]{32}", job_url)
    page = wait_for(client, job_url)
    assert "answers: 3 added" in page
    assert "line 3: pain: must be a whole number" in page
    assert "notes.pdf" in page and "is not a format Pacekeeper reads" in page
    with db.read() as s:
        got = checkins_db.get_checkin(s, profiles_db.get_profile(s, pid), date(2026, 3, 10))
    assert got is not None and got.values == {"fatigue": 5, "pain": 2}


def test_another_browser_cannot_see_the_job(app, client, db, clock, make_profile):
    from fastapi.testclient import TestClient

    make_profile(db, clock)
    token = csrf_of(client, "/import")
    resp = client.post("/import", data={"csrf_token": token},
                       files=[("files", ("a.csv", b"date,fatigue\n2026-03-10,5\n", "text/csv"))])  # fmt: skip
    with TestClient(app, client=LOCAL) as other:
        assert other.get(resp.headers["location"]).status_code == 404
