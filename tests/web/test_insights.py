"""The insights page on the demo history (generated with a 1.5-day delay) and on a new profile."""

from __future__ import annotations

from pacekeeper.demo import install_demo


def test_a_new_profile_is_told_what_is_needed(client, db, clock, make_profile):
    make_profile(db, clock)
    page = client.get("/insights")
    assert page.status_code == 200
    assert "Not enough check-ins yet" in page.text
    assert "No crash found" in page.text


def test_the_demo_history_shows_its_delay_envelope_and_picture(client, db, clock):
    install_demo(db, clock, days=120, seed=7)
    page = client.get("/insights")
    assert page.status_code == 200
    text = page.text
    assert "<svg" in text and "symptom rise" in text
    assert "Your symptoms tend to peak" in text
    assert "load points" in text or "Rest today" in text
    assert "found in your history" in text
    assert 'href="/insights"' in client.get("/today").text
