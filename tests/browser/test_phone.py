"""The check-in on a phone-sized screen, in a real browser."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import parse_checkin
from tests.browser.conftest import LiveServer
from tests.browser.page_checks import serious_axe_problems, small_targets

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TODAY = date(2026, 3, 15)
SHOTS = Path("test-results")


def stored(server: LiveServer, pid: int, day: date = TODAY) -> checkins_db.StoredCheckIn | None:
    with server.db.read() as s:
        return checkins_db.get_checkin(s, profiles_db.get_profile(s, pid), day)


@pytest.fixture
def phone(browser: Browser) -> BrowserContext:
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    yield context
    context.close()


def wait_until(page: Page, expression: str, timeout_s: float = 10) -> None:
    """Poll a JS expression. (wait_for_function evaluates strings, which our CSP forbids.)"""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {expression}")
        page.wait_for_timeout(100)


def tap_value(page: Page, tracker: str, value: str) -> None:
    page.locator(
        f"#tracker-{tracker} label.choice", has=page.locator(f"input[value='{value}']")
    ).tap()


def test_checkin_completed_on_a_360px_phone_is_stored(live_server, phone):
    pid = live_server.add_profile()
    page = phone.new_page()
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/checkin")
    tap_value(page, "fatigue", "6")
    tap_value(page, "pain", "3")
    tap_value(page, "brain_fog", "5")
    tap_value(page, "crash", "0")
    page.fill("#note", "Quiet day")
    page.get_by_role("button", name="Save").tap()
    expect(page).to_have_url(live_server.url + "/today?saved=2026-03-15")
    expect(page.get_by_text("Check-in saved for Sun 15 Mar")).to_be_visible()
    got = stored(live_server, pid)
    assert got is not None
    assert got.values == {"fatigue": 6.0, "pain": 3.0, "brain_fog": 5.0, "crash": 0.0}
    assert got.note == "Quiet day"
    assert got.client_id is not None  # the phone's own id, so a resend is recognised


@pytest.mark.parametrize("path", ["/checkin", "/today", "/history", "/profile", "/settings"])
def test_pages_fit_the_phone_and_every_tap_target_is_48px(live_server, phone, path):
    live_server.add_profile()
    page = phone.new_page()
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = small_targets(page)
    assert small == [], f"tap targets under 48 px on {path}: {small}"
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), f"duplicate ids on {path}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone{path.replace('/', '-')}.png"), full_page=True)


def test_same_as_yesterday_takes_at_most_three_taps(live_server, phone):
    pid = live_server.add_profile()
    with live_server.db.write() as s:
        p = profiles_db.get_profile(s, pid)
        data = parse_checkin({"day": "2026-03-14", "fatigue": "4", "mood": "6", "crash": "0"},
                             profiles_db.trackers(p), TODAY)  # fmt: skip
        checkins_db.save_checkin(s, p, data, live_server.clock.now())
    page = phone.new_page()
    page.goto(live_server.url + "/")  # opening the app lands on the check-in
    page.get_by_role("link", name="Same as Sat 14 Mar").tap()  # tap 1
    expect(page.get_by_text("Filled in from Sat 14 Mar")).to_be_visible()
    page.get_by_role("button", name="Save").tap()  # tap 2
    expect(page).to_have_url(live_server.url + "/today?saved=2026-03-15")
    got = stored(live_server, pid)
    assert got is not None and got.values == {"fatigue": 4.0, "mood": 6.0, "crash": 0.0}


def test_offline_checkin_waits_on_the_phone_and_is_sent_once(live_server, phone):
    pid = live_server.add_profile()
    page = phone.new_page()
    page.goto(live_server.url + "/checkin")
    tap_value(page, "fatigue", "8")
    tap_value(page, "crash", "1")
    phone.set_offline(True)
    page.get_by_role("button", name="Save").tap()
    expect(page.locator("#checkin-status")).to_contain_text("Saved on this phone")
    expect(page.locator("#offline-status")).to_contain_text("1 entry saved on this phone")
    assert stored(live_server, pid) is None
    queued = json.loads(page.evaluate("localStorage.getItem('pacekeeper.pendingCheckins')"))
    assert len(queued) == 1 and queued[0]["fields"]["fatigue"] == "8"

    # Back online: the queue is sent by itself (the browser fires `online`).
    phone.set_offline(False)
    wait_until(page, "window.pacekeeper.pending() === 0")
    got = stored(live_server, pid)
    assert got is not None and got.values == {"fatigue": 8.0, "crash": 1.0}
    # Sending the same check-in again (a lost reply, a second tab) adds nothing.
    page.evaluate(
        """(item) => { localStorage.setItem('pacekeeper.pendingCheckins', JSON.stringify([item]));
                       return window.pacekeeper.flush(); }""",
        queued[0],
    )
    assert page.evaluate("window.pacekeeper.pending()") == 0
    with live_server.db.read() as s:
        p = profiles_db.get_profile(s, pid)
        assert len(checkins_db.checkins_between(s, p, TODAY, TODAY)) == 1


def test_a_bad_value_is_shown_beside_its_field_and_not_stored(live_server, phone):
    pid = live_server.add_profile()
    page = phone.new_page()
    page.goto(live_server.url + "/settings")
    page.locator("summary", has_text="Add my own tracker").tap()
    page.fill("#t-label", "Hours upright")
    page.locator("label.choice", has_text="Number").tap()
    page.fill("#t-min", "0")
    page.fill("#t-max", "24")
    page.fill("#t-unit", "h")
    page.get_by_role("button", name="Add tracker").tap()
    expect(page.get_by_text("Tracker added")).to_be_visible()

    page.goto(live_server.url + "/checkin")
    page.fill("#in-hours_upright", "30")
    page.get_by_role("button", name="Save").tap()
    error = page.locator("#err-hours_upright")
    expect(error).to_have_text("must be from 0 to 24; 30 is out of range")
    expect(page.locator("#tracker-hours_upright")).to_have_attribute("aria-invalid", "true")
    assert stored(live_server, pid) is None


def test_the_check_in_and_session_pages_open_offline_once_installed(live_server, browser):
    live_server.add_profile()
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(live_server.url + "/checkin")
    page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)", timeout=10_000)
    page.reload()  # now controlled by the service worker, which keeps a copy of the page
    page.wait_for_function("!!navigator.serviceWorker.controller", timeout=10_000)
    page.goto(live_server.url + "/session")  # visited once online: kept for offline use
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    context.set_offline(True)
    page.goto(live_server.url + "/checkin")
    expect(page.get_by_role("heading", name="How is today?")).to_be_visible()
    # A paced session can start with no connection (its scripts come from the cache).
    page.goto(live_server.url + "/session")
    expect(page.get_by_role("button", name="Start")).to_be_enabled()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/checkin", "/today", "/history", "/settings", "/profile"])
def test_axe_finds_no_serious_accessibility_problems(live_server, browser, path, scheme):
    live_server.add_profile()
    # axe is injected test tooling, so this context alone lets inline script past our CSP.
    context = browser.new_context(**PHONE, color_scheme=scheme, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(live_server.url + path)
    bad = serious_axe_problems(page)
    context.close()
    assert bad == [], "\n".join(bad)


def test_reflows_at_200_percent_zoom(live_server, browser):
    """200% zoom on a 640 px window leaves 320 CSS px: nothing may need sideways scrolling."""
    live_server.add_profile()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/checkin", "/today", "/history", "/settings"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_logging_on_today_shows_errors_in_place_and_then_logs(live_server, phone):
    live_server.add_profile()
    page = phone.new_page()
    page.goto(live_server.url + "/today")
    page.locator("summary", has_text="Log an activity").tap()
    page.fill("#what", "Shower")
    page.fill("#a-start", "09:30")
    page.fill("#a-minutes", "0")
    page.get_by_role("button", name="Log activity").tap()
    expect(page.locator("#err-activity-minutes")).to_have_text(
        "must be from 1 to 1440; 0 is out of range"
    )
    expect(page.locator("#what")).to_have_value("Shower")  # nothing typed is lost
    page.fill("#a-minutes", "15")
    page.locator("fieldset", has_text="Physical load").locator(
        "label.choice", has_text="moderate"
    ).tap()
    page.get_by_role("button", name="Log activity").tap()
    expect(page.get_by_text("Activity logged.")).to_be_visible()
    expect(page.locator("#log .entries")).to_contain_text("Shower")
    expect(page.locator("#log .entries")).to_contain_text("physical moderate")
