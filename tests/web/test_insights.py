"""The insights page on the demo history (generated with a 1.5-day delay) and on a new profile."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.demo import install_demo
from pacekeeper.domain import parse_checkin
from pacekeeper.web.results_cache import frames_key


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


def test_results_are_kept_until_the_data_change(client, app, db, clock):
    pid = install_demo(db, clock, days=120, seed=7)
    first = client.get("/insights").text
    assert len(app.state.results) == 1
    assert client.get("/insights").text == first  # nothing new: the kept results, same page
    assert len(app.state.results) == 1
    with db.write() as s:  # a new check-in for yesterday changes the data, so the key
        p = profiles_db.get_profile(s, pid)
        yesterday = profiles_db.today_for(p, clock) - timedelta(days=1)
        data = parse_checkin({"day": yesterday.isoformat(), "fatigue": "9", "crash": "1"},
                             profiles_db.trackers(p), yesterday)  # fmt: skip
        checkins_db.save_checkin(s, p, data, clock.now())
    client.get("/insights")
    assert len(app.state.results) == 2


def test_frames_key_sees_any_changed_value() -> None:
    a = pl.DataFrame({"day": [1, 2, 3], "value": [1.0, 2.0, 3.0]})
    assert frames_key(a) == frames_key(a.clone())
    assert frames_key(a) != frames_key(a.with_columns(pl.col("value").shift(1)))
    assert frames_key(a) != frames_key(a.with_columns(pl.col("value").cast(pl.Float32)))
    assert frames_key(a) != frames_key(a.head(2))
