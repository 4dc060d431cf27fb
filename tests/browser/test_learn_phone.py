"""The Learn pages in a real browser on a phone-sized screen: they fit 320 px, every tap target
is at least 48 px (six bottom-bar items included), and axe finds no serious problems."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import parse_profile
from tests.browser.conftest import AXE, LiveServer

PATHS = ["/learn", "/learn/all", "/learn/goals", "/learn/rule-of-two"]
SMALL_TARGETS = """() => [...document.querySelectorAll(
      'button, .button, nav.bottom a, .chapter-list a, summary')]
    .filter(el => el.offsetParent !== null)
    .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
    .filter(([, r]) => r.height < 47.5 || r.width < 47.5)
    .map(([n, r]) => `${n}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def make_profile(server: LiveServer) -> int:
    data = parse_profile(
        {"name": "Phone", "conditions": "fibromyalgia", "time_zone": "Europe/Oslo"},
        server.clock.now().date(),
    )
    with server.db.write() as s:
        return profiles_db.create_profile(s, data, server.clock.now()).id


@pytest.mark.parametrize("width", [320, 360])
def test_learn_pages_fit_and_have_big_targets(live_server, browser: Browser, width) -> None:
    make_profile(live_server)
    context = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True)
    page = context.new_page()
    for path in PATHS:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert page.evaluate(SMALL_TARGETS) == [], path
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
    make_profile(live_server)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    bad: list[str] = []
    for path in PATHS:
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad += [
            f"{path}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    context.close()
    assert bad == [], "\n".join(bad)
