"""Six months of GENERATED history for the demo profile. Not a real person; labelled as such.

The story it tells is the one Pacekeeper is built for: a person with moderate ME/CFS whose
symptoms follow their exertion with a delay. Each day's load (minutes x physical, cognitive,
emotional and social ratings) above their envelope raises symptom burden over the next days
through a gamma kernel peaking about 1.5 days later (science.md: onset mostly 0-2 days, heavy
tail); good days tempt "boom" days, booms are followed by crashes, crashes by rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import gamma, pi, sin

import numpy as np

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.conditions import CeilingMethod, Condition, Sex
from pacekeeper.domain.entries import ActivityData, CheckInData, Posture, RestData, RestKind
from pacekeeper.domain.localday import zone
from pacekeeper.domain.profile import ProfileData, default_hr_ceiling
from pacekeeper.domain.samples import SampleKind

DEMO_NAME = "Demo (generated data)"
SOURCE = "Demo watch"
RESTING_HR = 64
ENVELOPE = 230.0  # load points a day this person tolerates
KERNEL_SHAPE, KERNEL_SCALE = 2.5, 1.0  # gamma kernel: mode (shape-1) x scale = 1.5 days
SENSITIVITY = 2.6  # burden added per envelope-worth of excess load, spread over the kernel
LAGS = 10
At = Callable[[date, float], datetime]  # local day and hour -> aware instant


@dataclass(frozen=True)
class DemoHistory:
    profile: ProfileData
    checkins: list[CheckInData] = field(default_factory=list)
    activities: list[ActivityData] = field(default_factory=list)
    rests: list[RestData] = field(default_factory=list)
    samples: list[SampleData] = field(default_factory=list)
    crash_days: list[date] = field(default_factory=list)
    boom_days: list[date] = field(default_factory=list)


# (what, minutes range, physical, cognitive, emotional, social, posture)
ROUTINE = [
    ("Wash and dress", (12, 20), 2, 0, 0, 0, Posture.UPRIGHT),
    ("Breakfast", (10, 15), 1, 0, 0, 0, Posture.SITTING),
    ("Screen work", (25, 50), 0, 2, 0, 0, Posture.SITTING),
    ("Cooking", (15, 30), 1, 1, 0, 0, Posture.UPRIGHT),
    ("Reading", (20, 40), 0, 1, 0, 0, Posture.LYING),
]
SOMETIMES = [
    ("Phone call", (15, 30), 0, 1, 1, 2, Posture.SITTING, 0.35),
    ("Short walk", (10, 20), 2, 0, 0, 0, Posture.UPRIGHT, 0.3),
    ("Housework", (15, 25), 2, 0, 0, 0, Posture.UPRIGHT, 0.25),
]
BOOM = [
    ("Shopping", (40, 70), 2, 2, 1, 1, Posture.UPRIGHT),
    ("Visitors", (90, 150), 0, 1, 2, 3, Posture.SITTING),
    ("Long walk", (35, 60), 3, 0, 0, 0, Posture.UPRIGHT),
    ("Housework", (45, 80), 3, 0, 0, 0, Posture.UPRIGHT),
]
APPOINTMENT = ("Appointment", (70, 110), 2, 2, 2, 2, Posture.UPRIGHT)
CRASH_DAY = [
    ("Wash", (8, 12), 1, 0, 0, 0, Posture.UPRIGHT),
    ("Screen", (10, 20), 0, 1, 0, 0, Posture.LYING),
]


def _kernel() -> np.ndarray:
    lags = np.arange(LAGS) + 0.5
    k = lags ** (KERNEL_SHAPE - 1) * np.exp(-lags / KERNEL_SCALE)
    k /= gamma(KERNEL_SHAPE) * KERNEL_SCALE**KERNEL_SHAPE
    return np.asarray(k / k.sum())


def _load(a: ActivityData) -> float:
    return a.minutes * (a.physical + 0.7 * a.cognitive + 0.7 * a.emotional + 0.6 * a.social)


def generate_history(
    *, end_day: date, days: int = 182, seed: int = 7, time_zone: str = "Europe/London"
) -> DemoHistory:
    """A deterministic history (for a seed) of `days` local days ending on `end_day`."""
    rng = np.random.default_rng(seed)
    tz = zone(time_zone)
    first = end_day - timedelta(days=days - 1)
    profile = ProfileData(
        name=DEMO_NAME, conditions=(Condition.ME_CFS,), birth_year=1984, sex=Sex.FEMALE,
        resting_hr=RESTING_HR, hr_ceiling=default_hr_ceiling(RESTING_HR, 1984, end_day),
        hr_ceiling_method=CeilingMethod.DEFAULT, time_zone=time_zone, is_generated=True,
    )  # fmt: skip
    ceiling = profile.hr_ceiling or 100
    kernel = _kernel()
    excess = np.zeros(days)
    history = DemoHistory(profile)
    in_crash = False
    good_streak = 0

    def at(day: date, hour: float) -> datetime:
        return datetime.combine(day, time(0), tzinfo=tz) + timedelta(hours=hour)

    for i in range(days):
        day = first + timedelta(days=i)
        base = 4.2 + 0.6 * sin(2 * pi * i / 120) - 0.5 * i / days  # slow drift, gently improving
        past = sum(kernel[j] * excess[i - j] for j in range(1, min(LAGS, i + 1)))
        expected = base + SENSITIVITY * past

        # What the day holds: rest in a crash; a boom after good days; otherwise the routine.
        boom = not in_crash and good_streak >= 2 and rng.random() < 0.4
        appointment = not in_crash and rng.random() < 0.06
        plan: list[tuple[str, tuple[int, int], int, int, int, int, Posture]] = []
        if in_crash:
            plan = list(CRASH_DAY)
        else:
            plan = list(ROUTINE)
            plan += [s[:7] for s in SOMETIMES if rng.random() < s[7]]
            if boom:
                picks = rng.choice(len(BOOM), size=2, replace=False)
                plan += [BOOM[int(k)] for k in picks]
            if appointment:
                plan.append(APPOINTMENT)
        clock = 9.5 + rng.uniform(0, 1.5) + (1.0 if in_crash else 0.0)  # late mornings
        day_activities: list[ActivityData] = []
        for what, (lo, hi), ph, cog, emo, soc, posture in plan:
            minutes = int(rng.integers(lo, hi + 1))
            start = at(day, clock)
            day_activities.append(
                ActivityData(what, start, minutes, ph, cog, emo, soc, posture, source="demo")
            )
            clock += minutes / 60 + rng.uniform(0.4, 1.4)
            if clock > 21.5:
                break
        load = sum(_load(a) for a in day_activities)
        excess[i] = max(load - ENVELOPE, 0.0) / ENVELOPE + 0.15 * load / ENVELOPE

        burden = float(expected + SENSITIVITY * kernel[0] * excess[i] + rng.normal(0, 0.35))
        burden = min(max(burden, 0.5), 9.5)
        starts = burden >= 6.3
        in_crash = starts or (in_crash and burden >= 5.4)
        good_streak = good_streak + 1 if burden < base + 0.6 and not in_crash else 0
        if in_crash:
            history.crash_days.append(day)
            burden = min(burden + 0.8, 9.8)
        if boom:
            history.boom_days.append(day)
        history.activities.extend(day_activities)

        # Rests: several lying rests, a nap on harder days, meditation now and then.
        n_rests = int(rng.integers(2, 4)) + (2 if in_crash else 0) + (1 if boom else 0)
        for _ in range(n_rests):
            kind = (
                RestKind.NAP if rng.random() < (0.45 if in_crash else 0.2) else RestKind.LYING_REST
            )
            if rng.random() < 0.1:
                kind = RestKind.MEDITATION
            hour = float(rng.uniform(11, 20))
            minutes = (
                int(rng.integers(15, 45)) if kind is not RestKind.NAP else int(rng.integers(30, 90))
            )
            history.rests.append(RestData(kind, at(day, hour), minutes, source="demo"))

        client_id = f"{seed % 2**32:08x}-0000-4000-8000-{i:012x}"
        _checkin(history, rng, day, at, burden, in_crash, boom, appointment, client_id)
        _samples(history, rng, day, at, burden - base, in_crash, day_activities, ceiling, boom)
    return history


def _scale(value: float) -> int:
    return int(min(max(round(value), 0), 10))


def _checkin(
    h: DemoHistory,
    rng: np.random.Generator,
    day: date,
    at: At,
    burden: float,
    crash: bool,
    boom: bool,
    appointment: bool,
    client_id: str,
) -> None:
    if rng.random() < (0.2 if crash else 0.07):
        return  # a missed check-in stays missing
    n = rng.normal
    sleep_quality = _scale(10 - 0.8 * burden + n(0, 0.9))
    values = {
        "fatigue": _scale(burden + n(0, 0.6)),
        "pain": _scale(0.6 * burden + 0.6 + n(0, 0.8)),
        "brain_fog": _scale(0.85 * burden - 0.2 + n(0, 0.8)),
        "sleep_quality": sleep_quality,
        "unrefreshing_sleep": _scale(0.7 * burden + 1.2 + n(0, 0.8)),
        "back_soreness": _scale(0.45 * burden + 1.5 + n(0, 0.9)),
        "mood": _scale(8.6 - 0.6 * burden + n(0, 0.9)),
        "crash": 1 if crash else 0,
    }
    note = ""
    if appointment:
        note = str(rng.choice(["Dentist", "GP appointment", "Physio check-up"]))
    elif boom:
        note = str(rng.choice(["Felt good, did a lot", "Family visit", "Big shop"]))
    elif crash and rng.random() < 0.3:
        note = "Crashed. Stayed in bed."
    elif sleep_quality <= 2 and rng.random() < 0.5:
        note = "Bad night"
    recorded = at(day, float(rng.uniform(20.5, 23.5)))
    h.checkins.append(
        CheckInData(
            day,
            {k: float(v) for k, v in values.items()},
            note,
            recorded,
            client_id,
            "demo",
        )
    )


def _samples(
    h: DemoHistory,
    rng: np.random.Generator,
    day: date,
    at: At,
    strain: float,
    crash: bool,
    acts: list[ActivityData],
    ceiling: int,
    boom: bool,
) -> None:
    n = rng.normal
    # Morning resting HR up and HRV down when the body is strained (Workwell: +10 bpm = rest).
    strained = max(strain, 0.0)
    rhr = RESTING_HR + 1.4 * strained + (5 if crash else 0) + n(0, 1.5)
    rmssd = max(12.0, 38 - 2.5 * strained - (7 if crash else 0) + n(0, 3.5))
    morning = at(day, 8.0)
    h.samples.append(SampleData(SampleKind.RESTING_HEART_RATE, morning, round(rhr), SOURCE))
    h.samples.append(SampleData(SampleKind.HRV_RMSSD, morning, round(rmssd, 1), SOURCE))
    # Last night's sleep in cycles, starting after midnight.
    t = 0.5 + float(rng.uniform(0, 1.0))
    end = 8.0 + float(rng.uniform(0, 1.5))
    cycle = 0
    while t < end - 0.3:
        for kind, minutes in (
            (SampleKind.SLEEP_LIGHT, rng.integers(35, 55)),
            (SampleKind.SLEEP_DEEP, rng.integers(10, 30) if cycle < 3 else rng.integers(0, 8)),
            (SampleKind.SLEEP_REM, rng.integers(10, 25) + 4 * cycle),
            (
                SampleKind.SLEEP_AWAKE,
                rng.integers(2, 25) if rng.random() < 0.5 + 0.3 * crash else 0,
            ),
        ):
            if minutes <= 0 or t >= end:
                continue
            m = float(min(minutes, (end - t) * 60))
            h.samples.append(SampleData(kind, at(day, t), m, SOURCE, at(day, t + m / 60)))
            t += m / 60
        cycle += 1
    # Steps with each upright activity, and heart rate every 15 minutes while awake.
    for a in acts:
        if a.posture is Posture.UPRIGHT:
            steps = a.minutes * (8 + 18 * a.physical) * float(rng.uniform(0.7, 1.3))
            h.samples.append(SampleData(SampleKind.STEPS, a.started_at, round(steps), SOURCE,
                                        a.ended_at))  # fmt: skip
    for q in range(int(9.5 * 4), int(22.5 * 4)):
        instant = at(day, q / 4)
        hr = RESTING_HR + 8 + (4 if crash else 0) + n(0, 3)
        for a in acts:
            if a.started_at <= instant < a.ended_at:
                hr += 9 * a.physical + 3 * a.emotional + (7 if a.posture is Posture.UPRIGHT else 0)
                if boom and a.physical >= 2:
                    hr = max(hr, ceiling + float(rng.uniform(2, 15)))
        h.samples.append(SampleData(SampleKind.HEART_RATE, instant, float(round(hr)), SOURCE))
