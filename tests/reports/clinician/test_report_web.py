"""The report from the browser: choose a period, a background job makes it, then open the page
or download the PDF. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from pacekeeper.db import profiles as profiles_db
from tests.web.helpers import LOCAL, csrf_of


def _wait(client: TestClient, url: str) -> str:
    for _ in range(300):
        page = client.get(url).text
        if "Your report is ready" in page or 'role="alert"' in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the report job did not finish")


def test_the_period_page_offers_big_choices_and_90_days(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/report")
    assert page.status_code == 200
    for days in (30, 90, 180, 365):
        assert f'name="days" value="{days}"' in page.text
    assert re.search(r'value="90" checked', page.text)
    assert 'href="/report"' in client.get("/insights").text


def test_a_report_is_made_in_the_background_then_opened_and_downloaded(
    client, db, clock, make_profile
):
    pid = make_profile(db, clock, name="Ada")
    token = csrf_of(client, "/report")
    resp = client.post("/report", data={"csrf_token": token, "days": "30"})
    assert resp.status_code == 303
    job_url = resp.headers["location"]
    assert re.fullmatch(r"/report/[0-9a-f]{32}", job_url)
    page = _wait(client, job_url)
    assert f'href="{job_url}/view"' in page and f'href="{job_url}/pdf"' in page

    view = client.get(f"{job_url}/view")
    assert view.status_code == 200
    assert "Pacing report: Ada" in view.text
    assert view.headers["content-security-policy"].startswith("default-src 'none'")

    pdf = client.get(f"{job_url}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    with db.read() as s:
        today = profiles_db.today_for(profiles_db.get_profile(s, pid), clock)
    assert 'filename="pacekeeper-report-ada-' in pdf.headers["content-disposition"]
    assert str(today - timedelta(days=1)) in pdf.headers["content-disposition"]


def test_a_period_not_offered_is_refused_on_the_page(client, db, clock, make_profile):
    make_profile(db, clock)
    token = csrf_of(client, "/report")
    resp = client.post("/report", data={"csrf_token": token, "days": "7"})
    assert resp.status_code == 400
    assert "days: must be one of 30, 90, 180, 365 days" in resp.text


def test_another_browser_cannot_see_or_download_the_report(
    app: FastAPI, client, db, clock, make_profile
):
    make_profile(db, clock)
    token = csrf_of(client, "/report")
    job_url = client.post("/report", data={"csrf_token": token, "days": "30"}).headers["location"]
    _wait(client, job_url)
    with TestClient(app, client=LOCAL) as other:
        for path in (job_url, f"{job_url}/view", f"{job_url}/pdf"):
            assert other.get(path).status_code == 404
    assert client.get("/report/" + "0" * 32 + "/pdf").status_code == 404
