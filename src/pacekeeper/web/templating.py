"""Jinja2 set-up and the few filters the templates need."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def day_label(d: date) -> str:
    """'Tue 24 Nov' – short, unambiguous, no year unless it is needed."""
    return f"{d:%a} {d.day} {d:%b}"


def clock_label(dt: datetime) -> str:
    return f"{dt:%H:%M}"


def minutes_label(m: float) -> str:
    m = round(m)
    if m < 60:
        return f"{m} min"
    h, rest = divmod(m, 60)
    return f"{h} h {rest} min" if rest else f"{h} h"


templates.env.filters["day_label"] = day_label
templates.env.filters["clock_label"] = clock_label
templates.env.filters["minutes_label"] = minutes_label
templates.env.globals["asset_version"] = "1"
