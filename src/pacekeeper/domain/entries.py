"""What a person records: the daily check-in, activities and rests."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pacekeeper.domain import validate as v
from pacekeeper.domain.localday import later
from pacekeeper.domain.trackers import RESERVED_KEYS, TrackerDef, parse_value
from pacekeeper.errors import FieldError, ValidationError

MAX_NOTE = 2000
MAX_MINUTES = 24 * 60
UUID_PATTERN = re.compile(r"^[0-9a-fA-F-]{8,64}$")


class Posture(StrEnum):
    LYING = "lying"
    SITTING = "sitting"
    UPRIGHT = "upright"  # standing or walking: orthostatic load counts too


class RestKind(StrEnum):
    LYING_REST = "lying_rest"
    NAP = "nap"
    MEDITATION = "meditation"

    @property
    def label(self) -> str:
        return {"lying_rest": "Lying rest", "nap": "Nap", "meditation": "Meditation"}[self.value]


LOAD_WORDS = ("none", "light", "moderate", "heavy")
LOAD_KINDS = ("physical", "cognitive", "emotional", "social")


@dataclass(frozen=True)
class CheckInData:
    day: date
    values: Mapping[str, float]  # tracker key -> value; a left-out tracker is simply absent
    note: str = ""
    recorded_at: datetime | None = None  # aware; when the person pressed Save, on their device
    client_id: str | None = None  # set by the phone so a resent offline check-in is not doubled
    source: str = "web"


@dataclass(frozen=True)
class ActivityData:
    what: str
    started_at: datetime  # aware
    minutes: int
    physical: int = 0
    cognitive: int = 0
    emotional: int = 0
    social: int = 0
    posture: Posture = Posture.SITTING
    note: str = ""
    source: str = "web"
    client_id: str | None = None

    @property
    def ended_at(self) -> datetime:
        return later(self.started_at, timedelta(minutes=self.minutes))


@dataclass(frozen=True)
class RestData:
    kind: RestKind
    started_at: datetime  # aware
    minutes: int
    note: str = ""
    source: str = "web"
    client_id: str | None = None


@dataclass
class _Collector:
    errors: list[FieldError] = field(default_factory=list)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _client_id(errors: list[FieldError], raw: object) -> str | None:
    cid = v.text(errors, "client_id", raw, 64)
    if cid is not None and not UUID_PATTERN.match(cid):
        errors.append(FieldError("client_id", "must be a UUID"))
        return None
    return cid


def parse_checkin(
    raw: Mapping[str, Any],
    trackers: Sequence[TrackerDef],
    today: date,
    *,
    source: str = "web",
) -> CheckInData:
    """Validate a check-in against the profile's trackers; raises ValidationError.

    `raw` holds tracker keys plus `day`, `note`, `recorded_at` and `client_id`. A key that is not
    one of the profile's trackers is refused, so a typo is never silently dropped.
    """
    c = _Collector()
    day = v.iso_date(c.errors, "day", raw.get("day"), required=True)
    if day is not None and day > today:
        c.errors.append(FieldError("day", f"{day} is in the future; today is {today}"))
    if day is not None and day.year < 1900:
        c.errors.append(FieldError("day", "is too far in the past"))
    note = v.text(c.errors, "note", raw.get("note"), MAX_NOTE) or ""
    recorded_at = v.aware_datetime(c.errors, "recorded_at", raw.get("recorded_at"))
    client_id = _client_id(c.errors, raw.get("client_id"))

    by_key = {t.key: t for t in trackers}
    for key in raw:
        if key not in RESERVED_KEYS and key not in by_key:
            c.errors.append(FieldError(key, "is not one of this profile's trackers"))
    values: dict[str, float] = {}
    for t in trackers:
        if t.key in raw:
            value = parse_value(c.errors, t, raw[t.key])
            if value is not None:
                values[t.key] = value
    c.raise_if_any()
    assert day is not None
    return CheckInData(day, values, note, recorded_at, client_id, source)


def _loads(c: _Collector, raw: Mapping[str, Any]) -> dict[str, int]:
    out = {}
    for k in LOAD_KINDS:
        out[k] = v.integer(c.errors, k, raw.get(k), 0, 3) or 0
    return out


def parse_activity(raw: Mapping[str, Any], *, source: str = "web") -> ActivityData:
    c = _Collector()
    what = v.text(c.errors, "what", raw.get("what"), 80, required=True)
    start = v.aware_datetime(c.errors, "started_at", raw.get("started_at"), required=True)
    minutes = v.integer(c.errors, "minutes", raw.get("minutes"), 1, MAX_MINUTES, required=True)
    loads = _loads(c, raw)
    posture = v.choice(
        c.errors, "posture", raw.get("posture") or "sitting", [p.value for p in Posture]
    )
    note = v.text(c.errors, "note", raw.get("note"), MAX_NOTE) or ""
    client_id = _client_id(c.errors, raw.get("client_id"))
    c.raise_if_any()
    assert what is not None and start is not None and minutes is not None
    return ActivityData(
        what,
        start,
        minutes,
        posture=Posture(posture or "sitting"),
        note=note,
        source=source,
        client_id=client_id,
        **loads,
    )


def parse_rest(raw: Mapping[str, Any], *, source: str = "web") -> RestData:
    c = _Collector()
    kind = v.choice(c.errors, "kind", raw.get("kind"), [k.value for k in RestKind], required=True)
    start = v.aware_datetime(c.errors, "started_at", raw.get("started_at"), required=True)
    minutes = v.integer(c.errors, "minutes", raw.get("minutes"), 1, MAX_MINUTES, required=True)
    note = v.text(c.errors, "note", raw.get("note"), MAX_NOTE) or ""
    client_id = _client_id(c.errors, raw.get("client_id"))
    c.raise_if_any()
    assert kind is not None and start is not None and minutes is not None
    return RestData(RestKind(kind), start, minutes, note, source, client_id)
