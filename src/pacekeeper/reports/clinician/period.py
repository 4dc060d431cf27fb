"""The days a report covers: a preset number of days ending yesterday (the usual way), or a
span the person chooses. Today is never included: it is not over yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pacekeeper.errors import FieldError, ValidationError

PERIODS = (30, 90, 180, 365)
DEFAULT_DAYS = 90
MAX_DAYS = 731  # two years, a leap day included


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def check_days(days: int) -> int:
    if days not in PERIODS:
        allowed = ", ".join(str(p) for p in PERIODS)
        raise ValidationError([FieldError("days", f"must be one of {allowed} (got {days})")])
    return days


def preset_period(today: date, days: int = DEFAULT_DAYS) -> Period:
    """`days` complete days ending yesterday."""
    check_days(days)
    return Period(today - timedelta(days=days), today - timedelta(days=1))


def custom_period(first: date, last: date, today: date) -> Period:
    """A chosen span: it ends by yesterday, starts on or before its end, and is at most two
    years long. Every reason it fails is named."""
    errors: list[FieldError] = []
    yesterday = today - timedelta(days=1)
    if last > yesterday:
        errors.append(FieldError("last", f"must be yesterday ({yesterday}) or earlier"))
    if first > last:
        errors.append(FieldError("first", f"must be on or before the last day ({last})"))
    elif (last - first).days + 1 > MAX_DAYS:
        errors.append(FieldError("first", f"at most {MAX_DAYS} days (two years) before the end"))
    if errors:
        raise ValidationError(errors)
    return Period(first, last)


def parse_day(raw: object, field: str) -> date:
    """A YYYY-MM-DD date from a form or the command line."""
    text = str(raw or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        shown = text[:20] or "nothing"
        raise ValidationError.single(field, f"a date like 2026-03-01 (got {shown})") from None
