"""The Learn pages in a real browser on a phone-sized screen: they fit 320 px, every tap target
is at least 48 px (six bottom-bar items included), and axe finds no serious problems."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.page_checks import serious_axe_problems, small_targets

PATHS = ["/learn", "/learn/all", "/learn/goals", "/learn/rule-of-two"]
LEARN_TARGETS = "button, .button, nav.bottom a, .chapter-list a, summary"


@pytest.mark.parametrize("width", [320, 360])
def test_learn_pages_fit_and_have_big_targets(live_server, browser: Browser, width) -> None:
    live_server.add_profile(name="Phone", conditions="fibromyalgia")
    context = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True)
    page = context.new_page()
    for path in PATHS:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert small_targets(page, LEARN_TARGETS) == [], path
    # The goal flow by taps: make the step a goal, then answer yes for today.
    page.goto(live_server.url + "/learn")
    page.get_by_role("button", name="Make this my step").tap()
    expect(page.get_by_text("This step is one of")).to_be_visible()
    yes = page.get_by_role("button", name="Yes")
    expect(yes).to_have_attribute("aria-pressed", "false")
    yes.tap()
    expect(page.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems_on_learn(live_server, browser: Browser, scheme) -> None:
    live_server.add_profile(name="Phone", conditions="fibromyalgia")
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
