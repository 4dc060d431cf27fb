"""Local-day rules. A person's "day" runs from their day boundary (default 04:00) to the next.

Many people with ME/CFS sleep late; a check-in at 01:30 belongs to the evening before, not to a
new day. Instants are stored in UTC with the source's UTC offset kept beside them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

if TYPE_CHECKING:  # Polars is loaded where frames are used, not by every importer of this
    import polars as pl

DEFAULT_DAY_BOUNDARY = time(4, 0)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called `name`; raises KeyError if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise KeyError(name) from exc


def is_time_zone(name: str) -> bool:
    try:
        zone(name)
    except KeyError:
        return False
    return True


def time_zone_names() -> list[str]:
    return sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))


def require_aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a naive datetime reached code that needs a UTC offset")
    return instant


def local_day(instant: datetime, tz: ZoneInfo, boundary: time = DEFAULT_DAY_BOUNDARY) -> date:
    """The person's day that `instant` falls in."""
    local = require_aware(instant).astimezone(tz)
    shift = timedelta(hours=boundary.hour, minutes=boundary.minute)
    return (local.replace(tzinfo=None) - shift).date()


def local_day_expr(
    column: str, tz: ZoneInfo, boundary: time = DEFAULT_DAY_BOUNDARY, *, later_hours: int = 0
) -> pl.Expr:
    """`local_day` over a Polars column of UTC instants, as the column "day". `later_hours`
    reads each instant that much later (a day's total stamped at its day's start)."""
    import polars as pl

    local = pl.col(column).dt.convert_time_zone(tz.key).dt.replace_time_zone(None)
    shift = pl.duration(hours=boundary.hour - later_hours, minutes=boundary.minute)
    return (local - shift).dt.date().alias("day")


def day_start(day: date, tz: ZoneInfo, boundary: time = DEFAULT_DAY_BOUNDARY) -> datetime:
    """The UTC instant at which `day` begins for the person."""
    return datetime.combine(day, boundary, tzinfo=tz).astimezone(UTC)


def day_bounds(
    day: date, tz: ZoneInfo, boundary: time = DEFAULT_DAY_BOUNDARY
) -> tuple[datetime, datetime]:
    """[start, end) of the person's day in UTC; 23 or 25 hours long across DST changes."""
    return day_start(day, tz, boundary), day_start(day + timedelta(days=1), tz, boundary)


def utc_offset_minutes(instant: datetime) -> int:
    offset = require_aware(instant).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def with_offset(instant_utc: datetime, offset_minutes: int) -> datetime:
    """The stored UTC instant shown in the offset it was recorded with."""
    from datetime import timezone

    return require_aware(instant_utc).astimezone(timezone(timedelta(minutes=offset_minutes)))


def minutes_to_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def time_to_minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def instant_on_day(
    day: date, at: time, tz: ZoneInfo, boundary: time = DEFAULT_DAY_BOUNDARY
) -> datetime:
    """The aware instant for clock time `at` within the person's `day`.

    With a 04:00 boundary, 01:30 on "Monday" is early Tuesday morning by the calendar.
    """
    calendar_day = day if at >= boundary else day + timedelta(days=1)
    return datetime.combine(calendar_day, at, tzinfo=tz)


def later(instant: datetime, delta: timedelta) -> datetime:
    """`instant + delta` in real elapsed time, shown in the instant's own zone.

    Python adds a timedelta to a zone-aware datetime on the wall clock, so 01:30 + 1 h across a
    clock change is not 60 real minutes later. Going through UTC is.
    """
    tz = require_aware(instant).tzinfo
    return (instant.astimezone(UTC) + delta).astimezone(tz)
