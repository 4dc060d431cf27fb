"""Everything the clinician report shows for one period, gathered into plain data.

The PEM model and the envelope are fitted on the whole history up to yesterday (more days make
surer estimates); the charts and counts cover the chosen period only. Only the sections the
person chose are gathered: a report without the envelope skips its eight model fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl
from sqlalchemy.orm import Session

from pacekeeper.clock import Clock
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db.tables import Profile
from pacekeeper.engine.crashes import Episode
from pacekeeper.engine.envelope import Envelope, energy_envelope
from pacekeeper.engine.picture import Picture, picture
from pacekeeper.frames.from_profile import profile_ceiling
from pacekeeper.frames.resolve import profile_days
from pacekeeper.planner.ceiling import Ceiling
from pacekeeper.planner.progression import Step
from pacekeeper.reports.clinician.period import (
    DEFAULT_DAYS,
    PERIODS,
    Period,
    check_days,
    preset_period,
)
from pacekeeper.reports.clinician.scores import InstrumentScores, questionnaire_scores
from pacekeeper.reports.clinician.sections import ALL_SECTIONS, check_sections
from pacekeeper.reports.clinician.treatments import ReportTreatment, report_treatments

__all__ = ["DEFAULT_DAYS", "PERIODS", "EnvelopePoint", "Progression", "ReportData", "check_days",
           "gather"]  # fmt: skip
# Sections drawn from the daily frame and the fitted picture; without them neither is built.
NEEDS_HISTORY = frozenset(
    {"summary", "pem_delay", "envelope", "activity_symptoms", "morning_rhr_hrv", "sleep"}
)
TREND_POINTS = 8  # envelope estimates across the period: enough to show a direction


@dataclass(frozen=True)
class EnvelopePoint:
    day: date  # the day the envelope was for, from the history before it
    safe_load: float
    low: float
    high: float


@dataclass(frozen=True)
class Progression:
    name: str
    started_on: date
    steps: list[Step]
    days_done: int  # days in the period the movement was done


@dataclass(frozen=True)
class ReportData:
    name: str
    first: date
    last: date  # yesterday by default: the last complete day
    days: int
    frame: pl.DataFrame  # the period's daily rows (engine/features columns)
    picture: Picture | None  # fitted on the whole history; None when no section needs it
    episodes: list[Episode]  # crash episodes overlapping the period
    envelope_trend: list[EnvelopePoint]
    ceiling: Ceiling | None  # None when the ceiling section was left out
    progression: Progression | None
    sections: frozenset[str] = ALL_SECTIONS
    questionnaires: list[InstrumentScores] = field(default_factory=list)
    treatments: list[ReportTreatment] = field(default_factory=list)

    @property
    def left_out(self) -> bool:
        """Whether the person left some sections out (the header says so, naming none)."""
        return self.sections != ALL_SECTIONS

    @property
    def checked_in_days(self) -> int:
        return int(self.frame["checked_in"].fill_null(False).sum()) if self.frame.height else 0

    @property
    def crash_days(self) -> int:
        return int(self.frame["crash"].fill_null(False).sum()) if self.frame.height else 0


def envelope_trend(history: pl.DataFrame, first: date, last: date) -> list[EnvelopePoint]:
    """The envelope as it stood on evenly spaced days of the period, each from the days before."""
    span = (last - first).days
    step = max(1, span // (TREND_POINTS - 1))
    out: list[EnvelopePoint] = []
    for k in range(TREND_POINTS):
        day = min(first + timedelta(days=k * step), last)
        env: Envelope | None = energy_envelope(history.filter(pl.col("day") < day))
        if env is not None and (not out or out[-1].day != day):
            out.append(EnvelopePoint(day, env.safe_load, env.low, env.high))
    return out


def _progression(s: Session, p: Profile, first: date, last: date) -> Progression | None:
    movement = progression_db.active_movement(s, p)
    if movement is None:
        return None
    done = progression_db.days_done(s, movement)
    return Progression(
        movement.name,
        movement.started_on,
        progression_db.steps(s, movement),
        sum(1 for d in done if first <= d <= last),
    )


def gather(
    s: Session,
    p: Profile,
    clock: Clock,
    days: int = DEFAULT_DAYS,
    *,
    period: Period | None = None,
    sections: Iterable[str] = ALL_SECTIONS,
) -> ReportData:
    """The report's data for `period`, or else the `days` complete days ending yesterday, with
    only the chosen sections computed."""
    chosen = check_sections(sections)
    today = profiles_db.today_for(p, clock)
    span = period or preset_period(today, days)
    first, last = span.first, span.last
    # Read once, for every section that needs the profile's days (treatments: the before/after).
    read = profile_days(s, p, clock) if chosen & (NEEDS_HISTORY | {"treatments"}) else None
    history = read.past if read is not None and chosen & NEEDS_HISTORY else None
    whole = picture(history) if history is not None else None
    period_rows = (
        history.filter(pl.col("day").is_between(first, last)) if history is not None else None
    )
    episodes = [e for e in whole.episodes if e.end >= first and e.onset <= last] if whole else []
    return ReportData(
        name=p.name,
        first=first,
        last=last,
        days=span.days,
        frame=period_rows if period_rows is not None else pl.DataFrame(),
        picture=whole,
        episodes=episodes,
        envelope_trend=envelope_trend(history, first, last)
        if history is not None and "envelope" in chosen
        else [],
        ceiling=profile_ceiling(s, p, today) if "heart_rate_ceiling" in chosen else None,
        progression=_progression(s, p, first, last) if "progression" in chosen else None,
        sections=chosen,
        questionnaires=questionnaire_scores(s, p.id, first, last)
        if "questionnaires" in chosen
        else [],
        treatments=report_treatments(s, p.id, first, last, read)
        if read is not None and "treatments" in chosen
        else [],
    )
