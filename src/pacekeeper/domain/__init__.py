"""Plain domain types and rules: no database, no web. Everything else builds on these."""

from pacekeeper.domain.conditions import CeilingMethod, Condition, Sex
from pacekeeper.domain.entries import (
    LOAD_KINDS,
    LOAD_WORDS,
    ActivityData,
    CheckInData,
    Posture,
    RestData,
    RestKind,
    parse_activity,
    parse_checkin,
    parse_rest,
)
from pacekeeper.domain.localday import day_bounds, local_day, utc_offset_minutes, zone
from pacekeeper.domain.profile import ProfileData, default_hr_ceiling, parse_profile
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import BUILTIN_TRACKERS, TrackerDef, TrackerKind

__all__ = [
    "BUILTIN_TRACKERS",
    "LOAD_KINDS",
    "LOAD_WORDS",
    "ActivityData",
    "CeilingMethod",
    "CheckInData",
    "Condition",
    "Posture",
    "ProfileData",
    "RestData",
    "RestKind",
    "SampleKind",
    "Sex",
    "TrackerDef",
    "TrackerKind",
    "day_bounds",
    "default_hr_ceiling",
    "local_day",
    "parse_activity",
    "parse_checkin",
    "parse_profile",
    "parse_rest",
    "utc_offset_minutes",
    "zone",
]
