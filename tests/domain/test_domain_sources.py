from __future__ import annotations

from pacekeeper.domain.sources import choose_source, source_rank


def test_worn_devices_outrank_services_and_phones():
    assert (
        source_rank("Ann’s Apple Watch")
        > source_rank("Garmin Connect")
        > source_rank("Ann’s iPhone")
    )
    assert source_rank("Garmin (FIT)") == source_rank("Polar H10") == 3
    assert source_rank("CSV my-app.csv") == 1  # unknown: between services and phones


def test_choice_prefers_rank_then_the_larger_total():
    assert choose_source({"Ann’s iPhone": 9000, "Ann’s Apple Watch": 7000}) == "Ann’s Apple Watch"
    assert choose_source({"Fitbit": 6100, "Fitbit (daily)": 6400}) == "Fitbit (daily)"
    assert choose_source({}) is None
