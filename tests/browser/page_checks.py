"""Checks every page test makes in the browser: tap targets of at least 48 px, and no serious
or critical problem found by axe."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import AXE

# What a finger taps on our pages; the page tests narrow or widen this where they need to.
TAPPABLE = (
    "button, .button, .choice span, nav.bottom a, .segmented a, summary, select, textarea,"
    " input:not([type=hidden]):not([type=radio]):not([type=checkbox])"
)
_SMALL = """(selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.offsetParent !== null)
    .map(el => [el.textContent.trim().slice(0, 30) || el.name || el.tagName,
                el.getBoundingClientRect()])
    .filter(([, r]) => r.height < 47.5 || r.width < 47.5)
    .map(([n, r]) => `${n}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def small_targets(page: Page, selector: str = TAPPABLE) -> list[str]:
    """The visible targets under 48 x 48 px, as 'label: WxH'."""
    found: list[str] = page.evaluate(_SMALL, selector)
    return found


def serious_axe_problems(page: Page, where: str = "") -> list[str]:
    """axe's serious and critical findings on the page as it is now (the context must be made
    with bypass_csp=True: axe is injected test tooling, not part of the app)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    prefix = f"{where}: " if where else ""
    return [
        f"{prefix}{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
