"""The daily frame for a command's argument: export files read directly, or a stored profile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy.orm import Session

from pacekeeper.clock import Clock
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.engine import Database
from pacekeeper.db.tables import Profile
from pacekeeper.errors import ImportFileError
from pacekeeper.frames.build import Inputs, daily_frame
from pacekeeper.frames.from_files import inputs_from_paths
from pacekeeper.frames.from_profile import hr_ceiling, inputs_for_profile
from pacekeeper.importers.base import ImportReport


@dataclass
class Resolved:
    frame: pl.DataFrame  # up to and including yesterday
    today_load: float  # load logged or measured so far today (0 when unknown)
    label: str  # what was read: the profile's name or the files
    reports: list[ImportReport] = field(default_factory=list)


@dataclass(frozen=True)
class ProfileDays:
    """A stored profile read once for the engine: the days up to yesterday, today's row so far,
    and the inputs both were built from (analyses such as triggers need the raw logs)."""

    past: pl.DataFrame
    today: dict[str, Any]  # today's features; empty when today has no data yet
    inputs: Inputs

    def today_value(self, name: str) -> float | None:
        value = self.today.get(name)
        return None if value is None else float(value)

    @property
    def used(self) -> float:
        """Load logged or measured so far today (0 when none)."""
        return self.today_value("load") or 0.0


def profile_days(s: Session, p: Profile, clock: Clock, ceiling: float | None = None) -> ProfileDays:
    """Read a profile once and build its daily frame (`ceiling`: the HR ceiling to count minutes
    above; default the profile's own or the documented default)."""
    today = profiles_db.today_for(p, clock)
    inputs = inputs_for_profile(s, p)
    limit = ceiling if ceiling is not None else hr_ceiling(p, today)
    frame = daily_frame(
        inputs,
        boundary=profiles_db.profile_boundary(p),
        hr_ceiling=limit,
        last=today - timedelta(days=1),
    )
    # A today with data extends the frame one day past yesterday: split it off.
    row = frame.filter(pl.col("day") == today)
    return ProfileDays(
        past=frame.filter(pl.col("day") < today),
        today=row.row(0, named=True) if row.height else {},
        inputs=inputs,
    )


def resolve(
    refs: Sequence[str],
    *,
    db: Callable[[], Database],
    clock: Clock,
    tz: ZoneInfo,
    boundary: time,
    ceiling: float | None,
) -> Resolved:
    """Paths that exist are read as exports; otherwise the one argument names a profile (no
    argument: your profile). Raises ImportFileError / NotFoundError with a clear message."""
    paths = [Path(r) for r in refs]
    if paths and all(p.exists() for p in paths):
        inputs, reports = inputs_from_paths(paths, tz=tz, boundary=boundary)
        frame = daily_frame(inputs, boundary=boundary, hr_ceiling=ceiling)
        return Resolved(frame, 0.0, ", ".join(refs), reports)
    missing = [r for r in refs if not Path(r).exists() and ("/" in r or Path(r).suffix)]
    if missing or len(refs) > 1:
        where = (missing or [r for r in refs if not Path(r).exists()])[0]
        raise ImportFileError(where, "no such file or folder")
    ref = refs[0] if refs else None
    with db().read() as s:
        p = profiles_db.find_profile(s, ref)
        days = profile_days(s, p, clock, ceiling)
        return Resolved(days.past, days.used, p.name)
