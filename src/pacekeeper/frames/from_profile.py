"""Inputs for one stored profile: its check-ins, activities, rests and wearable samples."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import progression as progression_db
from pacekeeper.db.tables import Activity, CheckIn, CheckInValue, Profile, Rest, Tracker
from pacekeeper.domain.conditions import CeilingMethod
from pacekeeper.domain.localday import local_day_expr
from pacekeeper.domain.profile import default_hr_ceiling
from pacekeeper.frames.build import Inputs
from pacekeeper.frames.samples import profile_samples
from pacekeeper.planner.ceiling import Ceiling, choose_ceiling

UPRIGHT = ("upright", "standing", "walking")


def profile_ceiling(s: Session, p: Profile, today: date) -> Ceiling:
    """The ceiling as the profile page explains it: a CPET value counts while the profile's
    ceiling still comes from it (a later edit of the ceiling is the person's newer choice)."""
    cpet = progression_db.settings(s, p).get("cpet_vt1_hr")
    from_cpet = p.hr_ceiling_method == CeilingMethod.CPET and isinstance(cpet, int | float)
    return choose_ceiling(
        cpet_vt1_hr=int(cpet) if from_cpet and isinstance(cpet, int | float) else None,
        profile_hr=p.hr_ceiling,
        profile_method=CeilingMethod(p.hr_ceiling_method) if p.hr_ceiling_method else None,
        resting_hr=p.resting_hr,
        birth_year=p.birth_year,
        today=today,
        medication=p.hr_affecting_medication,
    )


def hr_ceiling(p: Profile, today: date) -> int | None:
    """The profile's ceiling, or the documented default when none is set (science.md)."""
    if p.hr_ceiling:
        return int(p.hr_ceiling)
    return default_hr_ceiling(p.resting_hr, p.birth_year, today)


def inputs_for_profile(s: Session, p: Profile) -> Inputs:
    tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
    answers = s.execute(
        select(CheckIn.day, Tracker.key, CheckInValue.value)
        .join(CheckInValue, CheckInValue.checkin_id == CheckIn.id)
        .join(Tracker, Tracker.id == CheckInValue.tracker_id)
        .where(CheckIn.profile_id == p.id)
    ).all()
    out = Inputs(trackers=profiles_db.trackers(p))
    if answers:
        out.checkins = pl.DataFrame(
            [tuple(r) for r in answers], schema=out.checkins.schema, orient="row"
        )
    # Plain column rows into frames, local days computed by Polars: years of logs are thousands
    # of rows, and an ORM object and a Python time-zone conversion per row cost more than
    # everything else here together.
    a = Activity
    acts = s.execute(
        select(a.started_at, a.minutes, a.physical, a.cognitive, a.emotional, a.social,
               a.posture, a.what).where(a.profile_id == p.id)
    ).all()  # fmt: skip
    if acts:
        cols = ["at", "minutes", "physical", "cognitive", "emotional", "social", "posture", "what"]
        raw = pl.DataFrame([tuple(r) for r in acts], schema=cols, orient="row")
        out.activities = raw.select(
            local_day_expr("at", tz, boundary),
            *(pl.col(c).cast(pl.Float64) for c in cols[1:6]),
            pl.when(pl.col("posture").is_in(UPRIGHT))
            .then(pl.lit("walking"))
            .otherwise(pl.col("posture"))
            .alias("posture"),
            pl.col("what").cast(pl.String),  # all empty would otherwise be typed Null
        )
    rests = s.execute(select(Rest.started_at, Rest.minutes).where(Rest.profile_id == p.id)).all()
    if rests:
        raw = pl.DataFrame([tuple(r) for r in rests], schema=["at", "minutes"], orient="row")
        out.rests = raw.select(
            local_day_expr("at", tz, boundary), pl.col("minutes").cast(pl.Float64)
        )
    out.samples = profile_samples(s, p)
    return out


__all__ = ["hr_ceiling", "inputs_for_profile", "profile_ceiling"]
