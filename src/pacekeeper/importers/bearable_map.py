"""How Bearable's rows map onto Pacekeeper: built-in trackers, custom trackers, samples, activities.

See bearable.py for the layout. Severity words are accepted where a number is missing, since
symptoms may be written as "Fatigue (Moderate)".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import TrackerDef, TrackerKind, slug_key
from pacekeeper.importers.base import DayNote, Record, Skipped
from pacekeeper.importers.context import ImportContext

SOURCE = "Bearable"
SEVERITY = {"none": 0, "mild": 1, "moderate": 2, "severe": 3, "unbearable": 4, "extreme": 4}
# Bearable symptom (normalised) -> Pacekeeper built-in tracker; 0-4 scaled to 0-10.
ONTO_BUILTIN = {
    "fatigue": "fatigue",
    "tiredness": "fatigue",
    "brain fog": "brain_fog",
    "pain": "pain",
    "unrefreshing sleep": "unrefreshing_sleep",
}
# Time of day -> clock time for an activity the export gives no time for.
CLOCK = {"am": time(9), "mid": time(13), "pm": time(17), "night": time(21)}
HEAVY = {"running", "cycling", "swimming", "gym", "hiking", "sport"}
LIGHT = {"yoga", "stretching", "meditation", "breathing", "pacing"}
MORNING = timedelta(hours=8)
SUFFIX = re.compile(r"^(.*?)\s*\((\w+)\)\s*$")
HOURS = re.compile(r"^(\d{1,2})(?::(\d{2})|h\s*(\d{1,2})\s*m?)?$")
# Some exports give a word in `detail` instead of a number (the forms a published Bearable
# dashboard reads: energy "v. low" to "v. high", sleep quality "poor" to "great", and sleep as
# "Asleep 23:30 - 07:00").
ENERGY_WORDS = {"v. low": 1, "very low": 1, "low": 2, "ok": 3, "high": 4, "v. high": 5,
                "very high": 5}  # fmt: skip
SLEEP_QUALITY_WORDS = {"poor": 0.0, "ok": 10 / 3, "good": 20 / 3, "great": 10.0}  # onto 0-10
ASLEEP = re.compile(r"asleep\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})", re.IGNORECASE)


def tracker_name(text: str) -> str:
    return " ".join(text.replace("_", " ").lower().split()).strip(" .:")


@dataclass(frozen=True)
class BearableRow:
    day: date
    time_of_day: str
    category: str  # normalised
    amount: str
    detail: str
    notes: str

    @classmethod
    def of(cls, cells: dict[str, str]) -> BearableRow | None:
        raw = cells.get("date formatted") or cells.get("date") or ""
        try:
            day = date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return None
        return cls(
            day,
            tracker_name(cells.get("time of day", "")),
            tracker_name(cells.get("category", "")),
            cells.get("rating/amount", "").strip(),
            cells.get("detail", "").strip(),
            cells.get("notes", "").strip(),
        )


@dataclass(frozen=True)
class Pending:
    """An answer to combine with the day's other entries for the same tracker."""

    key: str
    value: float
    worst: bool  # keep the day's maximum (symptoms), else the mean


@dataclass
class _Range:
    label: str
    kind: str  # "mood", "energy", "measure", "factor", "symptom"
    lo: float = math.inf
    hi: float = -math.inf


@dataclass
class Learned:
    seen: dict[str, _Range] = field(default_factory=dict)

    def see(self, row: BearableRow) -> None:
        name, kind = _custom_name(row)
        if name is None:
            return
        r = self.seen.setdefault(name, _Range(_label(row, name), kind))
        value = _scale_value(row)
        if value is not None:
            r.lo, r.hi = min(r.lo, value), max(r.hi, value)


def _label(row: BearableRow, name: str) -> str:
    base = SUFFIX.sub(r"\1", row.detail) if row.detail else row.category
    return (base or name).strip()[:60]


def _custom_name(row: BearableRow) -> tuple[str | None, str]:
    """The custom tracker a row feeds, if any, and what kind of thing it is."""
    if row.category in ("mood", "energy"):
        return row.category, row.category
    if row.category in ("symptom", "symptoms"):
        name = _symptom(row.detail)
        return (None, "") if not name or name in ONTO_BUILTIN else (name, "symptom")
    if row.category in ("factor", "factors") and row.detail:
        return f"factor {tracker_name(row.detail)}", "factor"
    if row.category in ("health measurement", "health measurements") and row.detail:
        name = tracker_name(row.detail)
        return (None, "") if name in ("resting heart rate", "hrv") else (name, "measure")
    return None, ""


def _symptom(detail: str) -> str:
    m = SUFFIX.match(detail)
    return tracker_name(m.group(1) if m else detail)


def _number(text: str) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def custom_trackers(learned: Learned, ctx: ImportContext) -> dict[str, TrackerDef]:
    out: dict[str, TrackerDef] = {}
    taken = set(ctx.trackers)
    for name, r in learned.seen.items():
        # The person's own tracker of that name, or the one an earlier import created.
        found = [ctx.tracker_by_name(n) for n in (name, f"bearable {name}")]
        mine = next((t for t in found if t is not None and not t.builtin), None)
        if mine is not None:
            out[name] = mine
            continue
        existing = found[0]
        key = slug_key(f"bearable {name}" if existing else name, taken)
        taken.add(key)
        lo = min(r.lo, 0.0) if math.isfinite(r.lo) else 0.0
        hi = max(r.hi, 1.0) if math.isfinite(r.hi) else 1.0
        if r.kind == "symptom":
            t = TrackerDef(
                key, r.label, min_value=0, max_value=4, low_anchor="none", high_anchor="unbearable"
            )
        elif r.kind == "factor":
            t = TrackerDef(key, r.label, TrackerKind.YES_NO, 0, 1, is_symptom=False)
        elif r.kind == "measure":
            t = TrackerDef(key, r.label, TrackerKind.NUMBER, lo, hi, is_symptom=False)
        else:  # mood, energy: higher is better, on the file's own scale
            lo = 1.0 if r.lo >= 1 else lo
            hi = 5.0 if r.hi <= 5 else 10.0 if r.hi <= 10 else hi
            t = TrackerDef(
                key,
                f"{name.capitalize()} (Bearable)",
                min_value=lo,
                max_value=hi,
                higher_is_worse=False,
                is_symptom=False,
            )
        out[name] = t  # fmt: skip
    return out


def row_records(
    row: BearableRow, trackers: dict[str, TrackerDef], ctx: ImportContext, unread: set[str]
) -> Iterator[Record | Pending | Skipped]:
    c = row.category
    if row.notes and c not in ("note", "notes"):
        yield DayNote(row.day, f"{row.detail or row.category}: {row.notes}")
    if c in ("note", "notes"):
        text = row.notes or row.detail
        if text:
            yield DayNote(row.day, text)
    elif c in ("symptom", "symptoms"):
        yield from _symptom_row(row, trackers)
    elif c in ("mood", "energy"):
        yield from _scale_row(row, trackers, c)
    elif c == "sleep quality":
        v = _number(row.amount)
        word = SLEEP_QUALITY_WORDS.get(row.detail.strip().lower())
        if v is None and word is not None:
            yield Pending("sleep_quality", word, worst=False)
        elif v is None or not 1 <= v <= 5:
            given = row.amount or row.detail
            yield Skipped("", f"sleep quality {given!r} is not a rating 1-5 or poor/ok/good/great")
        else:
            yield Pending("sleep_quality", (v - 1) * 2.5, worst=False)
    elif c == "sleep":
        minutes = _sleep_minutes(row.amount) if row.amount else _asleep_minutes(row.detail)
        if minutes is None:
            yield Skipped("", f"sleep {row.amount!r} is not a number of hours")
        else:
            start = ctx.day_start(row.day)
            yield SampleData(SampleKind.SLEEP_ASLEEP, start, minutes, SOURCE,
                             extra={"daily": True, "from": "Bearable"})  # fmt: skip
    elif c in ("factor", "factors"):
        if row.detail:
            t = trackers[f"factor {tracker_name(row.detail)}"]
            yield Pending(t.key, 1.0, worst=True)
    elif c in ("exercise", "activity", "activities"):
        yield from _activity(row, ctx)
    elif c in ("health measurement", "health measurements"):
        yield from _measure(row, trackers, ctx)
    elif c:
        unread.add(c)


def _symptom_row(row: BearableRow, trackers: dict[str, TrackerDef]) -> Iterator[Pending | Skipped]:
    name = _symptom(row.detail)
    m = SUFFIX.match(row.detail)
    value = _number(row.amount)
    if value is None:
        word = (m.group(2) if m else row.amount).lower()
        value = SEVERITY.get(word)
    if not name or value is None:
        yield Skipped("", f"symptom {row.detail!r}: no severity")
        return
    if not 0 <= value <= 4:
        yield Skipped("", f"symptom {row.detail!r}: {value:g} is outside Bearable's 0-4")
        return
    if name in ONTO_BUILTIN:
        yield Pending(ONTO_BUILTIN[name], value * 10 / 4, worst=True)
    else:
        yield Pending(trackers[name].key, value, worst=True)


def _scale_value(row: BearableRow) -> float | None:
    """A row's number; for energy, also its word ("v. low" .. "v. high" -> 1-5)."""
    v = _number(row.amount)
    if v is None and row.category == "energy":
        word = ENERGY_WORDS.get(row.detail.strip().lower())
        v = float(word) if word is not None else None
    return v


def _scale_row(
    row: BearableRow, trackers: dict[str, TrackerDef], name: str
) -> Iterator[Pending | Skipped]:
    v = _scale_value(row)
    if v is None:
        yield Skipped("", f"{name} {row.amount!r} is not a number")
        return
    yield Pending(trackers[name].key, v, worst=False)


def _asleep_minutes(detail: str) -> float | None:
    """ "Asleep 23:30 - 07:00" -> 450 (past midnight when the end is earlier)."""
    m = ASLEEP.search(detail)
    if not m:
        return None
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    minutes = (h2 * 60 + m2 - h1 * 60 - m1) % (24 * 60)
    return float(minutes) if minutes and h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 else None


def _sleep_minutes(text: str) -> float | None:
    v = _number(text)
    if v is not None:
        return v * 60 if 0 < v <= 24 else None
    m = HOURS.match(text.strip().lower())
    if not m:
        return None
    minutes = int(m.group(1)) * 60 + int(m.group(2) or m.group(3) or 0)
    return float(minutes) if 0 < minutes <= 24 * 60 else None


def _activity(row: BearableRow, ctx: ImportContext) -> Iterator[Record | Skipped]:
    what = row.detail or "Exercise"
    v = _number(row.amount)
    if v is not None and not 0 < v <= 1440:
        yield Skipped("", f"{what}: {row.amount!r} is not a number of minutes")
        return
    at = datetime.combine(row.day, CLOCK.get(row.time_of_day, time(12)), tzinfo=ctx.tz)
    low = tracker_name(what)
    physical = 3 if low in HEAVY else 1 if low in LIGHT else 2
    yield ActivityData(what[:80], at, round(v) if v else 30, physical=physical,
                       posture=Posture.UPRIGHT, source=SOURCE)  # fmt: skip


def _measure(
    row: BearableRow, trackers: dict[str, TrackerDef], ctx: ImportContext
) -> Iterator[Record | Pending | Skipped]:
    name = tracker_name(row.detail)
    v = _number(row.amount)
    if not name or v is None:
        yield Skipped("", f"measurement {row.detail!r}: {row.amount!r} is not a number")
        return
    if name in ("resting heart rate", "hrv"):
        kind = SampleKind.RESTING_HEART_RATE if name != "hrv" else SampleKind.HRV_RMSSD
        start = ctx.day_start(row.day, MORNING)
        yield SampleData(kind, start, v, SOURCE, extra={"daily": True, "from": "Bearable"})
        return
    yield Pending(trackers[name].key, v, worst=False)
