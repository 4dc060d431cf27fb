"""Everything the today page needs from the planner, read from the store and computed by the
planner's pure functions. A red flag short-circuits the rest: no plan, no suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from pacekeeper.clock import Clock
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db.tables import Profile
from pacekeeper.domain.conditions import Condition
from pacekeeper.domain.localday import day_bounds
from pacekeeper.engine.picture import picture
from pacekeeper.frames.from_profile import profile_ceiling
from pacekeeper.frames.resolve import profile_days
from pacekeeper.planner.ceiling import Ceiling, Refinement, suggest_refinement
from pacekeeper.planner.progression import Advice, advise, streak
from pacekeeper.planner.safety import (
    ConditionRules,
    FlagKind,
    PemScreen,
    RedFlag,
    condition_rules,
    crisis_line,
    dsq_pem_screen,
    red_flags,
)
from pacekeeper.planner.today import Morning, TodayPlan, plan_today

DEFAULT_PEM_DAYS = 3.0


@dataclass
class Progress:
    rules: ConditionRules
    name: str | None = None
    advice: Advice | None = None
    streak: int = 0
    done_today: bool = False


@dataclass
class TodayView:
    flags: list[RedFlag] = field(default_factory=list)
    crisis: str | None = None  # shown when a flag is about self-harm
    plan: TodayPlan | None = None
    progress: Progress | None = None


def today_flags(s: Session, p: Profile, today: date) -> list[RedFlag]:
    """Red flags in today's check-in (answers and note) and in today's activity and rest notes."""
    checkin = checkins_db.get_checkin(s, p, today)
    tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
    start, end = day_bounds(today, tz, boundary)
    notes = [checkin.note] if checkin else []
    notes += [a.note for a in entries_db.activities_between(s, p, start, end)]
    notes += [r.note for r in entries_db.rests_between(s, p, start, end)]
    answers = checkin.values if checkin else {}
    return red_flags(answers, "\n".join(n for n in notes if n), profiles_db.trackers(p))


def crisis_for(flags: list[RedFlag], settings: dict[str, Any]) -> str | None:
    return crisis_line(settings) if any(f.kind is FlagKind.SELF_HARM for f in flags) else None


def frames_with_today(s: Session, p: Profile, clock: Clock) -> tuple[pl.DataFrame, float, Morning]:
    """The daily frame up to yesterday, today's load so far and this morning's body signals."""
    days = profile_days(s, p, clock)
    v = days.today_value
    return days.past, days.used, Morning(v("rhr"), v("rhr_dev"), v("hrv"), v("hrv_dev"))


def rules_for(p: Profile, settings: dict[str, Any]) -> ConditionRules:
    screen_raw = settings.get("pem_screen", PemScreen.UNKNOWN.value)
    screen = (
        PemScreen(screen_raw) if screen_raw in {x.value for x in PemScreen} else PemScreen.UNKNOWN
    )
    return condition_rules(
        (Condition(c) for c in p.conditions),
        screen,
        long_covid_chosen=bool(settings.get("long_covid_chosen")),
    )


def today_view(s: Session, p: Profile, clock: Clock) -> TodayView:
    today = profiles_db.today_for(p, clock)
    settings = progression_db.settings(s, p)
    flags = today_flags(s, p, today)
    if flags:
        return TodayView(flags, crisis_for(flags, settings))
    frame, used, morning = frames_with_today(s, p, clock)
    pic = picture(frame, used)
    plan = plan_today(frame, used, pic, morning)
    rules = rules_for(p, settings)
    pem_days = pic.summary.duration.value if pic.summary else DEFAULT_PEM_DAYS
    progress = Progress(rules)
    movement = progression_db.active_movement(s, p)
    if movement is not None or rules.envelope_only:
        steps = progression_db.steps(s, movement) if movement else []
        baseline = movement.baseline_minutes if movement else 0.0
        progress.advice = advise(steps, baseline, frame, today, rules, pem_days)
    if movement is not None:
        done = progression_db.days_done(s, movement)
        progress.name = movement.name
        progress.streak = streak(done, today)
        progress.done_today = today in done
    return TodayView(plan=plan, progress=progress)


@dataclass
class CeilingView:
    ceiling: Ceiling
    refinement: Refinement | None
    settings: dict[str, Any]


def pem_screen_settings(
    frequency: Sequence[int | None], severity: Sequence[int | None]
) -> dict[str, Any]:
    """The planner settings DSQ-PEM answers make (the screen gates the rule of two), whether
    given on the profile's ceiling card or as the questionnaire."""
    return {
        "pem_screen": dsq_pem_screen(frequency, severity).value,
        "dsq_pem": {"frequency": list(frequency), "severity": list(severity)},
    }


def ceiling_view(s: Session, p: Profile, clock: Clock) -> CeilingView:
    today = profiles_db.today_for(p, clock)
    settings = progression_db.settings(s, p)
    ceiling = profile_ceiling(s, p, today)
    refinement = None
    if ceiling.bpm is not None:
        past = profile_days(s, p, clock, ceiling.bpm).past
        refinement = suggest_refinement(past, ceiling.bpm)
    return CeilingView(ceiling, refinement, settings)
