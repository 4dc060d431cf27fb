"""Inputs for one stored profile: its check-ins, activities, rests and wearable samples."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.tables import Activity, CheckIn, CheckInValue, Profile, Rest, Tracker
from pacekeeper.domain.localday import local_day
from pacekeeper.domain.profile import default_hr_ceiling
from pacekeeper.frames.build import Inputs
from pacekeeper.frames.samples import profile_samples

UPRIGHT = ("upright", "standing", "walking")


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
    acts = s.scalars(select(Activity).where(Activity.profile_id == p.id)).all()
    if acts:
        out.activities = pl.DataFrame(
            [
                (
                    local_day(a.started_at, tz, boundary),
                    float(a.minutes),
                    float(a.physical),
                    float(a.cognitive),
                    float(a.emotional),
                    float(a.social),
                    "walking" if a.posture in UPRIGHT else a.posture,
                    a.what,
                )
                for a in acts
            ],
            schema=out.activities.schema,
            orient="row",
        )
    rests = s.scalars(select(Rest).where(Rest.profile_id == p.id)).all()
    if rests:
        out.rests = pl.DataFrame(
            [(local_day(r.started_at, tz, boundary), float(r.minutes)) for r in rests],
            schema=out.rests.schema,
            orient="row",
        )
    out.samples = profile_samples(s, p)
    return out


__all__ = ["hr_ceiling", "inputs_for_profile"]
