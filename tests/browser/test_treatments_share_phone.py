"""Treatments and sharing on a phone-sized screen, in a real browser: the pages fit, every tap
target is at least 48 px, axe finds no serious problems, a treatment is added by taps, and a
share link made on the phone opens for a clinician with no cookie until it is stopped."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from pacekeeper.db import treatments as t_db
from tests.browser.page_checks import serious_axe_problems, small_targets

PATHS = ["/treatments", "/treatments/new", "/share"]


@pytest.mark.parametrize("width", [320, 360])
def test_pages_fit_and_have_big_targets(live_server, browser: Browser, width) -> None:
    live_server.add_profile(name="Ida")
    context = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True)
    page = context.new_page()
    for path in PATHS:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert small_targets(page) == [], path
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems(live_server, browser: Browser, scheme) -> None:
    live_server.add_profile(name="Ida")
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    bad: list[str] = []
    for path in PATHS:
        page.goto(live_server.url + path)
        bad += serious_axe_problems(page, path)
    context.close()
    assert bad == [], "\n".join(bad)


def test_a_treatment_is_added_by_taps(live_server, browser: Browser) -> None:
    pid = live_server.add_profile(name="Ida")
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/treatments/new")
    page.fill("#name", "Magnesium")
    page.locator("label.choice", has=page.locator("input[value='supplement']")).tap()
    page.fill("#dose", "200 mg")
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_text("Magnesium").first).to_be_visible()
    with live_server.db.read() as s:
        (saved,) = t_db.list_for(s, pid)
    assert (saved.name, saved.kind, saved.dose) == ("Magnesium", "supplement", "200 mg")
    assert saved.started_on == live_server.clock.now().date()  # today unless changed
    context.close()


def test_a_link_made_on_the_phone_opens_for_a_clinician_until_stopped(
    live_server, browser: Browser
) -> None:
    live_server.add_profile(name="Ida")
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = phone.new_page()
    page.goto(live_server.url + "/share")
    page.get_by_role("button", name="Make a read-only link").tap()
    url = page.locator("#share-url").input_value()
    assert re.fullmatch(re.escape(live_server.url) + r"/shared/[A-Za-z0-9_-]{43}", url)

    clinician = browser.new_context()  # another browser: no cookie, no account
    seen = clinician.new_page()
    response = seen.goto(url)
    assert response is not None and response.status == 200
    expect(seen.get_by_role("heading", name=re.compile("Ida"))).to_be_visible()
    assert clinician.cookies() == []

    page.goto(live_server.url + "/share")
    page.get_by_role("link", name="Stop this link").first.tap()
    page.get_by_role("button", name="Yes, stop it").tap()  # the confirmation page
    expect(page).to_have_url(live_server.url + "/share#links")
    gone = seen.goto(url)
    assert gone is not None and gone.status == 404
    expect(seen.get_by_text("This link does not work")).to_be_visible()
    assert "Ida" not in seen.content()
    phone.close()
    clinician.close()
