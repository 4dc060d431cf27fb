"""The one place that reads the wall clock: always aware, always UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pacekeeper.clock import Clock, FixedClock, SystemClock


def test_the_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert now.utcoffset() == timedelta(0)


def test_a_fixed_clock_stands_still_in_utc_until_moved() -> None:
    oslo = timezone(timedelta(hours=1))
    clock = FixedClock(datetime(2026, 3, 15, 11, 0, tzinfo=oslo))
    assert clock.now() == clock.now() == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    clock.set(datetime(2026, 3, 16, 1, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert clock.now() == datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_a_fixed_clock_refuses_naive_instants() -> None:
    naive = datetime(2026, 3, 15, 10, 0)  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(naive)
    clock = FixedClock(datetime(2026, 3, 15, 10, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(naive)
    assert clock.now() == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)  # unchanged


def test_both_clocks_are_clocks() -> None:
    clocks: list[Clock] = [SystemClock(), FixedClock(datetime(2026, 1, 1, tzinfo=UTC))]
    assert all(c.now().tzinfo is UTC for c in clocks)


def test_the_shared_clock_fixture(clock: FixedClock) -> None:
    assert clock.now() == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
