"""A paced session in a real browser on a 360 px phone, with a fake clock and a fake strap."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.sessions import parse_measurement
from tests.browser.page_checks import serious_axe_problems, small_targets
from tests.browser.test_phone import wait_until
from tests.sessions.rr_payloads import notifications, real_beats

PHONE = {
    "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
    "timezone_id": "Europe/Oslo",
}  # fmt: skip
TODAY = date(2026, 3, 15)
PAYLOADS = json.loads((Path(__file__).parents[1] / "sessions" / "payloads.json").read_text())


@pytest.fixture
def phone(browser: Browser) -> BrowserContext:
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    yield context
    context.close()


def test_the_served_js_parser_agrees_with_the_spec_payloads(live_server, phone):
    live_server.add_profile(hr_ceiling="100")
    page = phone.new_page()
    page.goto(live_server.url + "/session")
    got = page.evaluate(
        """async (cases) => {
             const hr = await import('/static/js/hr.js');
             const ok = cases.ok.map((c) => hr.parseHeartRateMeasurement(c.bytes));
             const bad = cases.bad.map((c) => {
               try { hr.parseHeartRateMeasurement(c.bytes, 'strap'); return 'no error'; }
               catch (e) { return (e instanceof hr.HeartRatePayloadError) ? e.message : 'crash: ' + e; }
             });
             return {ok, bad};
           }""",
        PAYLOADS,
    )
    for case, m in zip(PAYLOADS["ok"], got["ok"], strict=True):
        assert (m["bpm"], m["contact"], m["energyKj"], m["rr1024"]) == (
            case["bpm"], case["contact"], case["energy_kj"], case["rr_1024"],
        ), case["name"]  # fmt: skip
    assert got["bad"] == [f"strap: {c['error']}" for c in PAYLOADS["bad"]]


def test_the_js_and_python_parsers_agree_on_real_beat_payloads(live_server, phone):
    live_server.add_profile(hr_ceiling="100")
    payloads = [list(p) for p, _ in notifications(real_beats())[:2000]]
    page = phone.new_page()
    page.goto(live_server.url + "/session")
    got = page.evaluate(
        """async (payloads) => {
             const hr = await import('/static/js/hr.js');
             return payloads.map((b) => { const m = hr.parseHeartRateMeasurement(b);
                                          return [m.bpm, m.contact, m.rr1024]; });
           }""",
        payloads,
    )
    want = []
    for p in payloads:
        m = parse_measurement(bytes(p))
        want.append([m.bpm, m.contact.value, list(m.rr_1024)])
    assert got == want


def state(page: Page) -> str:
    return page.locator("#state").inner_text()


def test_paced_session_runs_on_a_fake_clock_and_logs_one_activity(live_server, phone):
    pid = live_server.add_profile(hr_ceiling="100")
    page = phone.new_page()
    page.clock.install(time=datetime(2026, 3, 15, 9, 0, tzinfo=UTC))
    # A 30-minute sitting burst: a move prompt at 20 min, a micro-break at 25, rest from 31.
    page.goto(live_server.url + "/session?kind=sitting&burst=30&rounds=1")
    expect(page.locator("#state")).to_have_text("Ready")
    page.get_by_role("button", name="Start").tap()
    expect(page.locator("#state")).to_have_text("Active")
    expect(page.locator("#time-left")).to_have_text("25:00")

    # A strap reading over the ceiling is flagged on that very reading, not minutes later.
    page.evaluate("window.pacekeeperSession.feedHeartRate([0x16, 120, 0x00, 0x04])")
    alert = page.locator("#hr-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("above your ceiling of 100")
    expect(page.locator("#hr-value")).to_have_text("120")
    page.clock.run_for(3000)
    page.evaluate("window.pacekeeperSession.feedHeartRate([0x06, 88])")
    expect(alert).to_be_hidden()

    page.clock.run_for("20:02")
    expect(page.locator("#prompt")).to_have_text("Move a little: feet, shoulders, neck.")
    assert state(page) == "Active"
    page.clock.run_for("05:00")  # 25:05
    expect(page.locator("#state")).to_have_text("Micro-break")
    expect(page.locator("#prompt")).to_contain_text("Micro-break: stand up, stretch")
    page.clock.run_for("01:00")  # 26:05
    expect(page.locator("#state")).to_have_text("Active")
    page.clock.run_for("05:00")  # 31:05
    expect(page.locator("#state")).to_have_text("Rest now")
    expect(page.locator("#session")).to_have_attribute("data-step", "rest")
    expect(page.locator("#time-label")).to_contain_text("of rest")

    # Closing the page loses nothing: the session is offered again on return.
    page.reload()
    expect(page.locator("#resume-offer")).to_be_visible()
    page.get_by_role("button", name="Carry on").tap()
    expect(page.locator("#state")).to_have_text("Rest now")

    page.clock.run_for("31:00")  # past the end of the rest
    expect(page.locator("#state")).to_have_text("Done")
    done = page.locator("#done")
    expect(done).to_be_visible()
    expect(page.locator("#done-summary")).to_contain_text("31 min active")
    page.locator("#done label.choice", has=page.locator("input[name=emotional][value='1']")).tap()
    page.get_by_role("button", name="Log it").tap()
    expect(page).to_have_url(live_server.url + "/today")
    assert page.evaluate("localStorage.getItem('pacekeeper.session')") is None

    with live_server.db.read() as s:
        p = profiles_db.get_profile(s, pid)
        start = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)
        (row,) = entries_db.activities_between(s, p, start, start + timedelta(days=1))
        a = entries_db.activity_data(row)
    assert a.what == "Paced session (sitting task)" and a.minutes == 31
    assert (a.physical, a.cognitive, a.emotional, a.social) == (0, 2, 1, 0)
    # The fake clock starts at 09:00 UTC and runs on by itself until the tap on Start.
    assert a.started_at.replace(second=0) == datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
    assert a.started_at.utcoffset() == timedelta(hours=1)  # the phone's Oslo offset is kept
    assert "Heart rate max 120 bpm; 3 s above ceiling (ceiling 100)." in a.note


def test_session_offline_finish_waits_in_the_phone_queue(live_server, phone):
    pid = live_server.add_profile(hr_ceiling="100")
    page = phone.new_page()
    page.clock.install(time=datetime(2026, 3, 15, 9, 0, tzinfo=UTC))
    page.goto(live_server.url + "/session?burst=10&rounds=1")
    page.get_by_role("button", name="Start").tap()
    page.clock.run_for("03:00")
    page.get_by_role("button", name="Stop").tap()
    expect(page.locator("#done-summary")).to_contain_text("3 min active")
    phone.set_offline(True)
    page.get_by_role("button", name="Log it").tap()
    expect(page.locator("#done-status")).to_contain_text("Saved on this phone")
    queued = json.loads(page.evaluate("localStorage.getItem('pacekeeper.pendingCheckins')"))
    assert queued[0]["url"].endswith("/session/done") and queued[0]["fields"]["minutes"] == "3"
    phone.set_offline(False)  # the browser fires `online`; app.js sends the queue
    page.evaluate("window.pacekeeper.flush()")
    wait_until(page, "window.pacekeeper.pending() === 0")
    with live_server.db.read() as s:
        p = profiles_db.get_profile(s, pid)
        start = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)
        (row,) = entries_db.activities_between(s, p, start, start + timedelta(days=1))
    assert row.minutes == 3 and row.physical == 2  # moving about: physical load by default


def test_session_page_fits_the_phone_with_48px_targets(live_server, phone):
    live_server.add_profile(hr_ceiling="100")
    page = phone.new_page()
    page.goto(live_server.url + "/session")
    page.locator("summary", has_text="Change the plan").tap()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = small_targets(page, "button, .button, .choice span, summary")
    assert small == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems_on_the_session_page(live_server, browser, scheme):
    live_server.add_profile(hr_ceiling="100")
    context = browser.new_context(**PHONE, color_scheme=scheme, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.clock.install(time=datetime(2026, 3, 15, 9, 0, tzinfo=UTC))
    page.goto(live_server.url + "/session")
    page.get_by_role("button", name="Start").tap()
    page.evaluate("window.pacekeeperSession.feedHeartRate([0x06, 130])")  # the alert state too
    bad = serious_axe_problems(page)
    context.close()
    assert bad == [], "\n".join(bad)
