"""Check-in trackers: the built-in set and the rules for custom ones.

Scales are 0-10 by default with anchors in words at both ends, because numbers alone mean little
on a foggy day. Whether a higher value is worse matters to the engine's symptom burden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from pacekeeper.domain import validate as v
from pacekeeper.errors import FieldError

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Names a check-in form or command already uses for itself; a tracker may not take them.
RESERVED_KEYS = frozenset({"day", "note", "recorded_at", "client_id", "csrf_token", "profile"})


class TrackerKind(StrEnum):
    SCALE = "scale"  # whole numbers from min to max, with word anchors
    YES_NO = "yes_no"  # stored as 0 or 1
    NUMBER = "number"  # any number in range, with a unit (hours slept, cups of coffee)


@dataclass(frozen=True)
class TrackerDef:
    key: str
    label: str
    kind: TrackerKind = TrackerKind.SCALE
    min_value: float = 0
    max_value: float = 10
    low_anchor: str = ""
    high_anchor: str = ""
    higher_is_worse: bool = True
    is_symptom: bool = True  # counts toward the symptom burden
    unit: str = ""
    enabled: bool = True
    position: int = 0
    builtin: bool = False

    def scale_points(self) -> list[int]:
        return list(range(int(self.min_value), int(self.max_value) + 1))


def _builtin(position: int, key: str, label: str, low: str, high: str, **kw: object) -> TrackerDef:
    base = TrackerDef(key, label, low_anchor=low, high_anchor=high, position=position, builtin=True)
    return replace(base, **kw)  # type: ignore[arg-type]


BUILTIN_TRACKERS: tuple[TrackerDef, ...] = (
    _builtin(0, "fatigue", "Fatigue", "none", "worst imaginable"),
    _builtin(1, "pain", "Pain", "no pain", "worst imaginable"),
    _builtin(2, "brain_fog", "Brain fog", "clear head", "can't think at all"),
    _builtin(
        3,
        "sleep_quality",
        "Sleep quality",
        "very poor",
        "very good",
        higher_is_worse=False,
        is_symptom=False,
    ),
    _builtin(
        4, "unrefreshing_sleep", "Unrefreshing sleep", "woke refreshed", "not refreshed at all"
    ),
    _builtin(5, "back_soreness", "Back soreness and stiffness", "none", "severe"),
    _builtin(6, "mood", "Mood", "very low", "very good", higher_is_worse=False, is_symptom=False),
    _builtin(
        7,
        "crash",
        "Crash / PEM today",
        "no",
        "yes",
        kind=TrackerKind.YES_NO,
        min_value=0,
        max_value=1,
    ),
)

BUILTIN_KEYS = frozenset(t.key for t in BUILTIN_TRACKERS)


def slug_key(label: str, taken: set[str]) -> str:
    """A tracker key made from its label, unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:32] or "tracker"
    if not base[0].isalpha():
        base = "t_" + base
    key, n = base, 2
    while key in taken or key in RESERVED_KEYS:
        key = f"{base}_{n}"
        n += 1
    return key


def parse_custom_tracker(raw: dict[str, object], taken: set[str]) -> TrackerDef:
    """Validate a new custom tracker from a form or the CLI; raises ValidationError."""
    from pacekeeper.errors import ValidationError

    errors: list[FieldError] = []
    label = v.text(errors, "label", raw.get("label"), 60, required=True)
    kind_raw = v.choice(errors, "kind", raw.get("kind") or "scale", [k.value for k in TrackerKind])
    kind = TrackerKind(kind_raw) if kind_raw else TrackerKind.SCALE
    if kind is TrackerKind.YES_NO:
        lo, hi = 0.0, 1.0
    else:
        lo_raw, hi_raw = raw.get("min_value"), raw.get("max_value")
        blank = (None, "")  # a left-out bound takes the default; a 0 is a real bound
        lo_p = v.number(errors, "min_value", 0 if lo_raw in blank else lo_raw, -1e6, 1e6)
        hi_p = v.number(errors, "max_value", 10 if hi_raw in blank else hi_raw, -1e6, 1e6)
        lo, hi = lo_p or 0.0, hi_p if hi_p is not None else 10.0
        if lo_p is not None and hi_p is not None and lo >= hi:
            errors.append(FieldError("max_value", "must be larger than the lowest value"))
        if kind is TrackerKind.SCALE and (
            hi - lo > 20 or not lo.is_integer() or not hi.is_integer()
        ):
            errors.append(FieldError("max_value", "a scale has at most 21 whole-number points"))
    low = v.text(errors, "low_anchor", raw.get("low_anchor"), 40) or ""
    high = v.text(errors, "high_anchor", raw.get("high_anchor"), 40) or ""
    unit = v.text(errors, "unit", raw.get("unit"), 16) or ""
    worse = v.boolean(errors, "higher_is_worse", raw.get("higher_is_worse"))
    symptom = v.boolean(errors, "is_symptom", raw.get("is_symptom"))
    if errors:
        raise ValidationError(errors)
    assert label is not None
    return TrackerDef(
        key=slug_key(label, taken),
        label=label,
        kind=kind,
        min_value=lo,
        max_value=hi,
        low_anchor=low,
        high_anchor=high,
        higher_is_worse=True if worse is None else worse,
        is_symptom=(kind is not TrackerKind.NUMBER) if symptom is None else symptom,
        unit=unit,
    )


def parse_value(errors: list[FieldError], tracker: TrackerDef, raw: object) -> float | None:
    """One check-in answer for `tracker`; None when it was left out (every tracker is optional)."""
    if tracker.kind is TrackerKind.YES_NO:
        b = v.boolean(errors, tracker.key, raw)
        return None if b is None else float(b)
    if tracker.kind is TrackerKind.SCALE:
        i = v.integer(errors, tracker.key, raw, int(tracker.min_value), int(tracker.max_value))
        return None if i is None else float(i)
    return v.number(errors, tracker.key, raw, tracker.min_value, tracker.max_value)
