"""A person's profile: conditions, heart-rate facts, time zone and day boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from pacekeeper.domain import validate as v
from pacekeeper.domain.conditions import CeilingMethod, Condition, Sex
from pacekeeper.domain.localday import DEFAULT_DAY_BOUNDARY, is_time_zone
from pacekeeper.errors import FieldError, ValidationError

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class ProfileData:
    """Everything a person sets about themselves; the database adds id and timestamps."""

    name: str
    conditions: tuple[Condition, ...] = ()
    birth_year: int | None = None
    sex: Sex | None = None
    resting_hr: int | None = None
    hr_ceiling: int | None = None
    hr_ceiling_method: CeilingMethod | None = None
    hr_affecting_medication: bool = False  # beta-blockers, ivabradine, POTS: HR is a poor signal
    time_zone: str = "UTC"
    day_boundary: time = DEFAULT_DAY_BOUNDARY
    theme: str = "system"
    is_generated: bool = False  # demo data, labelled as generated wherever it shows
    extra: dict[str, Any] = field(default_factory=dict)


def default_hr_ceiling(resting_hr: int | None, birth_year: int | None, today: date) -> int | None:
    """Pacekeeper's documented default ceiling: the lower of resting HR + 15 bpm and
    0.55 x (220 - age). A place to start, not an accurate threshold (science.md, "Pacing and heart
    rate": University of the Pacific group 2020; Workwell Foundation)."""
    candidates = []
    if resting_hr is not None:
        candidates.append(resting_hr + 15)
    if birth_year is not None:
        age = today.year - birth_year
        candidates.append(round(0.55 * (220 - age)))
    return min(candidates) if candidates else None


def parse_profile(raw: dict[str, Any], today: date) -> ProfileData:
    """Validate profile fields from a form, the CLI or a backup; raises ValidationError."""
    errors: list[FieldError] = []
    name = v.text(errors, "name", raw.get("name"), 80, required=True)

    conditions_raw = raw.get("conditions") or []
    if isinstance(conditions_raw, str):
        conditions_raw = [c for c in conditions_raw.replace(";", ",").split(",") if c.strip()]
    conditions: list[Condition] = []
    for c in conditions_raw:
        try:
            cond = Condition(str(c).strip())
        except ValueError:
            allowed = ", ".join(x.value for x in Condition)
            errors.append(FieldError("conditions", f"must be among {allowed}; not {c!r}"))
            continue
        if cond not in conditions:
            conditions.append(cond)

    birth_year = v.integer(errors, "birth_year", raw.get("birth_year"), 1900, today.year)
    sex_raw = v.choice(errors, "sex", raw.get("sex"), [s.value for s in Sex])
    resting_hr = v.integer(errors, "resting_hr", raw.get("resting_hr"), 25, 150)
    hr_ceiling = v.integer(errors, "hr_ceiling", raw.get("hr_ceiling"), 50, 220)
    method_raw = v.choice(
        errors, "hr_ceiling_method", raw.get("hr_ceiling_method"), [m.value for m in CeilingMethod]
    )
    medication = v.boolean(errors, "hr_affecting_medication", raw.get("hr_affecting_medication"))
    tz = v.text(errors, "time_zone", raw.get("time_zone") or "UTC", 64)
    if tz is not None and not is_time_zone(tz):
        errors.append(FieldError("time_zone", f"{tz!r} is not a time zone name like Europe/Oslo"))
    boundary = v.clock_time(errors, "day_boundary", raw.get("day_boundary"))
    if boundary is not None and boundary.hour > 12:
        errors.append(FieldError("day_boundary", "must be between 00:00 and 12:00"))
    theme = v.choice(errors, "theme", raw.get("theme") or "system", list(THEMES))
    generated = v.boolean(errors, "is_generated", raw.get("is_generated"))

    if resting_hr is not None and hr_ceiling is not None and hr_ceiling <= resting_hr:
        errors.append(FieldError("hr_ceiling", "must be above the resting heart rate"))

    if errors:
        raise ValidationError(errors)
    assert name is not None and tz is not None
    method = CeilingMethod(method_raw) if method_raw else None
    if hr_ceiling is None:
        hr_ceiling = default_hr_ceiling(resting_hr, birth_year, today)
        method = CeilingMethod.DEFAULT if hr_ceiling is not None else None
    elif method is None:
        method = CeilingMethod.MANUAL
    return ProfileData(
        name=name,
        conditions=tuple(conditions),
        birth_year=birth_year,
        sex=Sex(sex_raw) if sex_raw else None,
        resting_hr=resting_hr,
        hr_ceiling=hr_ceiling,
        hr_ceiling_method=method,
        hr_affecting_medication=bool(medication),
        time_zone=tz,
        day_boundary=boundary or DEFAULT_DAY_BOUNDARY,
        theme=theme or "system",
        is_generated=bool(generated),
    )
