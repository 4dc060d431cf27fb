"""The period and sections from command-line words (`pacekeeper report --from/--to`,
`--sections` or `--without`), checked by the same rules as the share page."""

from __future__ import annotations

from datetime import date, timedelta

from pacekeeper.errors import ValidationError
from pacekeeper.reports.clinician.period import (
    DEFAULT_DAYS,
    Period,
    custom_period,
    parse_day,
    preset_period,
)
from pacekeeper.reports.clinician.sections import ALL_SECTIONS, check_sections


def _keys(raw: str) -> set[str]:
    return {k.strip().replace("-", "_") for k in raw.split(",") if k.strip()}


def choose(
    today: date,
    *,
    days: int | None = None,
    first: str | None = None,
    last: str | None = None,
    sections: str | None = None,
    without: str | None = None,
) -> tuple[Period, frozenset[str]]:
    """A preset (`days` up to yesterday) or a from/to period, and the chosen sections."""
    if first is not None and days is not None:
        raise ValidationError.single("days", "give --days or --from, not both")
    if last is not None and first is None:
        raise ValidationError.single("to", "--to needs --from")
    if first is not None:
        end = parse_day(last, "to") if last is not None else today - timedelta(days=1)
        period = custom_period(parse_day(first, "from"), end, today)
    else:
        period = preset_period(today, days or DEFAULT_DAYS)
    if sections is not None and without is not None:
        raise ValidationError.single("sections", "give --sections or --without, not both")
    if sections is not None:
        return period, check_sections(_keys(sections))
    if without is not None:
        left_out = _keys(without)
        check_sections(left_out)  # names every unknown key
        return period, check_sections(ALL_SECTIONS - left_out)
    return period, ALL_SECTIONS
