"""Six months of GENERATED history for the demo profile. Not a real person; labelled as such.

The story is the one Pacekeeper is built for: a person with moderate ME/CFS whose symptoms follow
exertion with a delay. Each day's load (minutes x physical, cognitive, emotional and social ratings)
feeds symptom burden over the next days through a gamma kernel whose mode is 1.5 days (science.md:
onset mostly 0-2 days, peak 1-3, a tail of several days), on top of a baseline with a slow seasonal
drift and day-to-day noise. Good days tempt "boom" days; a burden past the person's threshold on
waking starts a crash of several days, with less activity and more rest; the watch sees a higher
resting heart rate, a lower HRV and worse sleep. Everything is deterministic for a seed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from math import cos, gamma, pi
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, CheckInData, Posture, RestData, RestKind
from pacekeeper.domain.localday import zone
from pacekeeper.domain.profile import ProfileData, parse_profile
from pacekeeper.domain.samples import SampleKind

DEMO_NAME = "Demo (generated data)"
ENTRY_SOURCE = "demo"  # check-ins, activities and rests
WATCH = "Demo watch"  # wearable samples
BIRTH_YEAR = 1984
RESTING_HR = 64

# The generated person's hidden physiology: what the engine should learn back from the data.
ENVELOPE = 230.0  # load points a day tolerated without after-effects
KERNEL_SHAPE, KERNEL_SCALE = 2.5, 1.0  # gamma kernel: mode (shape - 1) x scale = 1.5 days
KERNEL_DAYS = 10
SENSITIVITY = 4.0  # burden added by one envelope's worth of excess, spread over the kernel
CRASH_ON, CRASH_OFF, CRASH_MIN_DAYS = 6.8, 5.6, 3  # morning burden that starts / sustains one
BOOM_CHANCE = 0.25  # of a boom on a day after two good days
_UUIDS = uuid.UUID("6f1d3c1e-8a52-4c7e-9d0b-5e2f7a9c4b10")


@dataclass(frozen=True)
class DemoHistory:
    """What `install_demo` stores, plus the truth behind it (crash and boom days) for tests and
    for checking what the engine learns back."""

    profile: ProfileData
    checkins: list[CheckInData] = field(default_factory=list)
    activities: list[ActivityData] = field(default_factory=list)
    rests: list[RestData] = field(default_factory=list)
    samples: list[SampleData] = field(default_factory=list)
    crash_days: list[date] = field(default_factory=list)  # the truth behind the crash tracker
    boom_days: list[date] = field(default_factory=list)


@dataclass(frozen=True)
class _Kind:
    what: str
    minutes: tuple[int, int]
    physical: int = 0
    cognitive: int = 0
    emotional: int = 0
    social: int = 0
    posture: Posture = Posture.SITTING
    hr_rise: float = 0.0  # bpm above sitting heart rate while doing it
    steps_per_min: float = 0.0
    chance: float = 1.0  # of appearing on an ordinary day


@dataclass(frozen=True)
class _Rest:
    kind: RestKind
    minutes: tuple[int, int]


UP, SIT, LIE = Posture.UPRIGHT, Posture.SITTING, Posture.LYING
BREAKFAST = _Kind("Breakfast", (15, 25), 1, posture=SIT, hr_rise=3, steps_per_min=4)
DAYTIME = [
    _Kind("Shower", (10, 18), 2, posture=UP, hr_rise=9, steps_per_min=6, chance=0.45),
    _Kind("Screen work", (25, 55), 0, 2, posture=SIT, hr_rise=2, chance=0.85),
    _Kind("Phone call with family", (15, 35), 0, 1, 1, 2, SIT, 5, 0, 0.3),
    _Kind("Short walk", (10, 20), 2, posture=UP, hr_rise=15, steps_per_min=85, chance=0.3),
    _Kind("Tidying up", (15, 25), 2, posture=UP, hr_rise=10, steps_per_min=25, chance=0.25),
    _Kind("Reading", (20, 40), 0, 1, posture=LIE, hr_rise=-3, chance=0.5),
]
EVENING = [
    _Kind("Cooking", (20, 35), 1, 1, posture=UP, hr_rise=8, steps_per_min=14, chance=0.85),
    _Kind("Watching TV", (30, 60), 0, 1, posture=LIE, hr_rise=-3, chance=0.6),
]
BOOM = [
    _Kind("Shopping", (40, 75), 2, 2, 1, 1, UP, 19, 45),
    _Kind("Family visit", (90, 150), 0, 1, 2, 3, SIT, 9, 3),
    _Kind("Long walk", (35, 60), 3, 0, 0, 0, UP, 26, 95),
    _Kind("Big clean", (45, 80), 3, 0, 0, 0, UP, 20, 30),
    _Kind("Catching up on emails", (60, 120), 0, 3, 1, 0, SIT, 4, 0),
]
APPOINTMENT = _Kind("Medical appointment", (45, 90), 1, 2, 1, 1, UP, 12, 25)
APPOINTMENT_NOTES = ["Dentist", "GP appointment", "Blood test", "Physio check-up"]
WASH = _Kind("Wash at the sink", (5, 10), 1, posture=UP, hr_rise=8, steps_per_min=6)
MEAL = _Kind("Microwave meal", (5, 12), 1, posture=UP, hr_rise=6, steps_per_min=12)
PHONE = _Kind("Phone in bed", (10, 20), 0, 1, posture=LIE, hr_rise=-3)
LIE_DOWN = _Rest(RestKind.LYING_REST, (20, 45))
NAP = _Rest(RestKind.NAP, (30, 90))
MEDITATE = _Rest(RestKind.MEDITATION, (10, 20))
CRASH_REST = _Rest(RestKind.LYING_REST, (45, 120))


def load_of(a: ActivityData) -> float:
    """The generator's own load score (minutes x weighted ratings); the engine has its own."""
    return a.minutes * (a.physical + 0.7 * a.cognitive + 0.7 * a.emotional + 0.6 * a.social)


def _kernel() -> NDArray[np.float64]:
    """Share of a day's excess felt on the evening of the same day (index 0) and on the mornings
    1, 2, ... days later: the gamma density 0.2 days after an afternoon's exertion, then 0.8,
    1.8, 2.8, ... days after it."""
    lags = np.maximum(np.arange(KERNEL_DAYS) - 0.2, 0.2)
    k = lags ** (KERNEL_SHAPE - 1) * np.exp(-lags / KERNEL_SCALE)
    k /= gamma(KERNEL_SHAPE) * KERNEL_SCALE**KERNEL_SHAPE
    return np.asarray(k / k.sum(), dtype=np.float64)


@dataclass(frozen=True)
class _Wall:
    """Wall-clock times on a local day in one zone, right across DST changes."""

    tz: ZoneInfo

    def at(self, day: date, hours: float, step: int = 1) -> datetime:
        """`hours` after local midnight of `day` on the wall clock (25.5 = 01:30 the next day),
        rounded to `step` minutes; a time skipped by DST moves on to a real instant."""
        minutes = round(hours * 60 / step) * step
        naive = datetime.combine(day, time(0)) + timedelta(minutes=minutes)
        return naive.replace(tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def later(self, t: datetime, minutes: float) -> datetime:
        """Real elapsed time (not wall-clock arithmetic, which is wrong across DST)."""
        return (t.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(self.tz)

    def hours(self, day: date, t: datetime) -> float:
        """The wall-clock hour of `t` counted from local midnight of `day` (the inverse of at)."""
        local = t.astimezone(self.tz)
        return (local.date() - day).days * 24 + local.hour + local.minute / 60


@dataclass
class _Day:
    """One day's plan and what it did, for the samples and the check-in."""

    crash: bool
    boom: bool
    after_boom: bool
    appointment: str
    wake: datetime
    bed: datetime
    ill: bool = False
    activities: list[tuple[ActivityData, _Kind]] = field(default_factory=list)
    rests: list[RestData] = field(default_factory=list)


def generate_history(
    *, end_day: date, days: int = 182, seed: int = 7, time_zone: str = "Europe/London"
) -> DemoHistory:
    """A deterministic history (for a seed) of `days` local days ending on `end_day`, included."""
    if days < 1:
        raise ValueError("days must be at least 1")
    rng = np.random.default_rng(seed)
    wall = _Wall(zone(time_zone))
    raw = {
        "name": DEMO_NAME,
        "conditions": "me_cfs",
        "birth_year": BIRTH_YEAR,
        "sex": "female",
        "resting_hr": RESTING_HR,
        "time_zone": time_zone,
        "is_generated": True,
    }
    h = DemoHistory(parse_profile(raw, end_day))  # with the documented default ceiling (79 bpm)
    kernel = _kernel()
    excess = np.zeros(days + KERNEL_DAYS)  # padded: index i + KERNEL_DAYS is day i
    first = end_day - timedelta(days=days - 1)
    noise = 0.0
    in_crash, crash_len, since_crash, good_streak = False, 0, 99, 0
    bed = wall.at(first - timedelta(days=1), float(rng.uniform(23.25, 25.25)))

    for i in range(days):
        day = first + timedelta(days=i)
        season = 0.45 * cos(2 * pi * (day.timetuple().tm_yday - 15) / 365.25)  # worst mid-Jan
        base = 4.2 + season
        noise = 0.5 * noise + float(rng.normal(0, 0.3))
        ill = not in_crash and rng.random() < 0.006  # a cold: crashes need not follow exertion
        noise += 2.5 if ill else 0.0
        lagged = float(kernel[1:] @ excess[i + KERNEL_DAYS - 1 : i : -1])  # days i-1 .. i-9
        morning = base + SENSITIVITY * lagged + noise

        # A crash is what the person wakes up into; it lasts several days, sometimes more.
        if in_crash:
            in_crash = crash_len < CRASH_MIN_DAYS or morning >= CRASH_OFF or rng.random() < 0.3
        else:
            in_crash = morning >= CRASH_ON
        crash = in_crash
        crash_len = crash_len + 1 if crash else 0
        since_crash = 0 if crash else since_crash + 1
        boom = (
            not crash
            and not ill
            and since_crash > 2
            and ((good_streak >= 2 and rng.random() < BOOM_CHANCE) or rng.random() < 0.015)
        )
        after_boom = bool(h.boom_days) and h.boom_days[-1] == day - timedelta(days=1)
        appointment = ""
        if not crash and rng.random() < 0.05:
            appointment = str(rng.choice(APPOINTMENT_NOTES))

        strain = max(morning - base, 0.0)
        wake = wall.at(day, float(rng.uniform(8.5, 10.0) + (rng.uniform(0.5, 1.5) if crash else 0)))
        sleep = _night(h, rng, wall, bed, wake, strain)
        bed_hours = float(rng.uniform(22.5, 24.5) if crash else rng.uniform(23.25, 25.25))
        bed = wall.at(day, bed_hours)
        d = _Day(crash, boom, after_boom, appointment, wake, bed, ill)
        _plan(d, rng, wall, day, since_crash)
        load = sum(load_of(a) for a, _ in d.activities)
        excess[i + KERNEL_DAYS] = max(load - ENVELOPE, 0.0) / ENVELOPE + 0.15 * load / ENVELOPE
        evening = morning + SENSITIVITY * kernel[0] * excess[i + KERNEL_DAYS]
        evening += 1.2 if crash else 0.0  # a crash is felt as more than the sum of its causes
        evening = min(max(5.0 + 1.3 * (evening - 5.0), 0.5), 9.8)  # as reported on 0-10
        good_streak = good_streak + 1 if morning < base + 0.5 and not crash else 0

        if crash:
            h.crash_days.append(day)
        if boom:
            h.boom_days.append(day)
        h.activities.extend(a for a, _ in d.activities)
        h.rests.extend(d.rests)
        _watch(h, rng, wall, d, strain)
        _checkin(h, rng, wall, d, day, evening, sleep, seed)
    return h


def _plan(d: _Day, rng: np.random.Generator, wall: _Wall, day: date, since_crash: int) -> None:
    """Lay the day's activities and rests end to end between waking and bed: no overlaps."""
    items: list[_Kind | _Rest] = []
    if d.crash:
        items = [WASH, CRASH_REST, PHONE, NAP, MEAL, CRASH_REST, PHONE, CRASH_REST, MEAL]
    else:
        careful = since_crash <= 3 or bool(d.appointment) or d.ill  # saving energy: a lighter day
        middle: list[_Kind | _Rest] = [
            k for k in DAYTIME if rng.random() < k.chance * (0.5 if careful else 1.0)
        ]
        if d.boom:
            picks = rng.choice(len(BOOM), size=2, replace=False)
            middle += [BOOM[int(k)] for k in picks]
        if d.appointment:
            middle.append(APPOINTMENT)
        middle += [LIE_DOWN, MEDITATE if rng.random() < 0.2 else LIE_DOWN]  # planned rests
        if rng.random() < (0.7 if d.after_boom else 0.25):
            middle.append(NAP)
        if d.after_boom:
            middle += [LIE_DOWN, LIE_DOWN]
        order = rng.permutation(len(middle))
        items = [BREAKFAST, *(middle[int(k)] for k in order)]
        items += [k for k in EVENING if rng.random() < k.chance]

    cursor = wall.hours(day, d.wake) + float(rng.uniform(0.4, 0.9))
    last = wall.hours(day, d.bed) - 0.5
    for item in items:
        minutes = int(rng.integers(item.minutes[0], item.minutes[1] + 1))
        start_h = round(cursor * 12) / 12  # people log times to 5 minutes
        if start_h + minutes / 60 > last:
            break
        start = wall.at(day, start_h, step=5)
        cursor = start_h + minutes / 60
        if isinstance(item, _Rest):
            d.rests.append(RestData(item.kind, start, minutes, source=ENTRY_SOURCE))
            cursor += float(rng.uniform(0.2, 0.8))
            continue
        note = d.appointment if item is APPOINTMENT else ""
        a = ActivityData(
            item.what,
            start,
            minutes,
            physical=item.physical,
            cognitive=item.cognitive,
            emotional=item.emotional,
            social=item.social,
            posture=item.posture,
            note=note,
            source=ENTRY_SOURCE,
        )
        d.activities.append((a, item))
        heavy = item.physical >= 2 or load_of(a) >= 60
        if heavy and not d.crash and rng.random() < 0.6:  # a burst, then a rest
            rest_min = int(rng.integers(LIE_DOWN.minutes[0], LIE_DOWN.minutes[1] + 1))
            rest_h = round((cursor + 1 / 12) * 12) / 12
            if rest_h + rest_min / 60 <= last:
                rest_start = wall.at(day, rest_h, step=5)
                d.rests.append(
                    RestData(RestKind.LYING_REST, rest_start, rest_min, source=ENTRY_SOURCE)
                )
                cursor = rest_h + rest_min / 60
        cursor += float(rng.uniform(0.8, 2.0) if d.crash else rng.uniform(0.3, 1.2))


@dataclass(frozen=True)
class _Sleep:
    asleep: float
    awake: float
    deep: float


def _utc(t: datetime) -> datetime:
    """Aware datetimes that share a tzinfo subtract and compare by wall clock, which is wrong
    across DST; all arithmetic here is done in UTC."""
    return t.astimezone(UTC)


def _night(
    h: DemoHistory,
    rng: np.random.Generator,
    wall: _Wall,
    bed: datetime,
    wake: datetime,
    strain: float,
) -> _Sleep:
    """Last night's sleep stages in ~90-minute cycles; a strained body sleeps worse."""
    total = (_utc(wake) - _utc(bed)).total_seconds() / 60
    onset = int(rng.integers(5, 20 + int(10 * strain)))  # lying awake before falling asleep
    spans: list[tuple[SampleKind, int]] = [(SampleKind.SLEEP_AWAKE, onset)]
    cycle = 0
    while sum(m for _, m in spans) < total:
        deep = rng.integers(12, 30) if cycle < 3 else rng.integers(0, 8)
        spans += [
            (SampleKind.SLEEP_LIGHT, int(rng.integers(30, 55))),
            (SampleKind.SLEEP_DEEP, int(deep * max(0.4, 1 - 0.12 * strain))),
            (SampleKind.SLEEP_REM, int(rng.integers(10, 25)) + 4 * cycle),
        ]
        if rng.random() < min(0.35 + 0.12 * strain, 0.9):
            spans.append((SampleKind.SLEEP_AWAKE, int(rng.integers(3, 15 + int(6 * strain)))))
        cycle += 1
    used = 0.0
    minutes = dict.fromkeys(
        (SampleKind.SLEEP_AWAKE, SampleKind.SLEEP_DEEP, SampleKind.SLEEP_LIGHT), 0.0
    )
    for kind, m in spans:
        m_used = float(min(m, total - used))
        if m_used <= 0:
            continue
        start = wall.later(bed, used)
        h.samples.append(SampleData(kind, start, m_used, WATCH, wall.later(start, m_used)))
        minutes[kind] = minutes.get(kind, 0.0) + m_used
        used += m_used
    awake = minutes[SampleKind.SLEEP_AWAKE]
    return _Sleep(total - awake, awake, minutes[SampleKind.SLEEP_DEEP])


def _watch(
    h: DemoHistory,
    rng: np.random.Generator,
    wall: _Wall,
    d: _Day,
    strain: float,
) -> None:
    """Morning resting HR and HRV; heart rate every 15 minutes and steps every hour while awake."""
    rhr = RESTING_HR + 1.3 * strain + (5.5 if d.crash else 0.0) + float(rng.normal(0, 1.5))
    rmssd = 38 - 2.5 * strain - (7 if d.crash else 0) + float(rng.normal(0, 3.5))
    h.samples.append(SampleData(SampleKind.RESTING_HEART_RATE, d.wake, float(round(rhr)), WATCH))
    h.samples.append(SampleData(SampleKind.HRV_RMSSD, d.wake, round(max(rmssd, 12.0), 1), WATCH))

    def span(start: datetime, minutes: int) -> tuple[datetime, datetime]:
        return _utc(start), _utc(start) + timedelta(minutes=minutes)

    acts = [(*span(a.started_at, a.minutes), k) for a, k in d.activities]
    rests = [span(r.started_at, r.minutes) for r in d.rests]
    bed = _utc(d.bed)
    idle = rhr + (3 if d.crash else 6)  # around the house, mostly sitting (lying in a crash)
    t = _utc(d.wake) + timedelta(minutes=(15 - d.wake.minute % 15) % 15)  # on the quarter hours
    while t < bed:
        hr = idle + float(rng.normal(0, 3))
        if any(s <= t < e for s, e in rests):
            hr = rhr + 1 + float(rng.normal(0, 2))
        for s, e, k in acts:
            if s <= t < e:
                hr += k.hr_rise + 2 * k.emotional + (float(rng.uniform(0, 8)) if d.boom else 0.0)
        h.samples.append(SampleData(SampleKind.HEART_RATE, wall.local(t), float(round(hr)), WATCH))
        t += timedelta(minutes=15)

    hour = _utc(d.wake) - timedelta(minutes=d.wake.minute)  # whole hours (in most zones)
    pottering = 25 if d.crash else 110  # steps an hour moving about the home
    while hour < bed:
        end = hour + timedelta(hours=1)
        busy = sum(_overlap(hour, end, s, e) for s, e in [*(a[:2] for a in acts), *rests])
        steps = float(rng.poisson(pottering * max(1 - busy / 60, 0.0)))
        for s, e, k in acts:
            steps += _overlap(hour, end, s, e) * k.steps_per_min * float(rng.uniform(0.8, 1.2))
        if steps >= 1:
            h.samples.append(
                SampleData(
                    SampleKind.STEPS, wall.local(hour), float(round(steps)), WATCH, wall.local(end)
                )
            )
        hour = end


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> float:
    """Minutes shared by [a, b) and [c, d)."""
    return max((min(b, d) - max(a, c)).total_seconds() / 60, 0.0)


def _scale(value: float) -> float:
    return float(min(max(round(value), 0), 10))


def _checkin(
    h: DemoHistory,
    rng: np.random.Generator,
    wall: _Wall,
    d: _Day,
    day: date,
    burden: float,
    sleep: _Sleep,
    seed: int,
) -> None:
    """The evening check-in; some days it is missed (more in a crash): missing, never zero."""
    if rng.random() < (0.25 if d.crash else 0.05):
        return
    n = rng.normal
    efficiency = sleep.asleep / max(sleep.asleep + sleep.awake, 1.0)
    sleep_quality = _scale(5.4 + 16 * (efficiency - 0.9) + 0.04 * (sleep.deep - 55) + n(0, 0.8))
    values = {
        "fatigue": _scale(burden + n(0, 0.6)),
        "pain": _scale(0.55 * burden + 1.0 + n(0, 0.8)),
        "brain_fog": _scale(0.85 * burden - 0.2 + n(0, 0.8)),
        "sleep_quality": sleep_quality,
        "unrefreshing_sleep": _scale(0.5 * burden + 2.4 + 0.3 * (6 - sleep_quality) + n(0, 0.7)),
        "back_soreness": _scale(0.5 * burden + 1.4 + n(0, 0.8)),
        "mood": _scale(
            8.8 - 0.6 * burden + (0.8 if d.boom else 0) - (1 if d.crash else 0) + n(0, 0.9)
        ),
        "crash": 1.0 if d.crash else 0.0,
    }
    note = ""
    if d.ill:
        note = "Caught a cold"
    elif d.appointment:
        note = d.appointment
    elif d.boom:
        visit = any(a.what == "Family visit" for a, _ in d.activities)
        note = "Family visit" if visit else "Felt good, did a lot"
    elif d.crash and rng.random() < 0.3:
        note = str(rng.choice(["Crashed. Stayed in bed.", "Everything hurts", "Too tired to talk"]))
    elif sleep_quality <= 3 and rng.random() < 0.5:
        note = "Bad night"
    recorded = wall.later(d.bed, -float(rng.uniform(20, 75)))
    client_id = str(uuid.uuid5(_UUIDS, f"{seed}/{day.isoformat()}"))
    h.checkins.append(CheckInData(day, values, note, recorded, client_id, ENTRY_SOURCE))
