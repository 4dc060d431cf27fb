"""Kinds of wearable samples, each with its one unit. Importers convert to these units."""

from __future__ import annotations

from enum import StrEnum


class SampleKind(StrEnum):
    HEART_RATE = "heart_rate"
    RESTING_HEART_RATE = "resting_heart_rate"
    HRV_SDNN = "hrv_sdnn"
    HRV_RMSSD = "hrv_rmssd"
    STEPS = "steps"
    DISTANCE = "distance"
    ACTIVE_ENERGY = "active_energy"
    ACTIVE_MINUTES = "active_minutes"
    SLEEP_IN_BED = "sleep_in_bed"
    SLEEP_AWAKE = "sleep_awake"
    SLEEP_ASLEEP = "sleep_asleep"  # asleep, stage unknown
    SLEEP_LIGHT = "sleep_light"
    SLEEP_DEEP = "sleep_deep"
    SLEEP_REM = "sleep_rem"
    STRESS = "stress"
    BODY_BATTERY = "body_battery"
    RESPIRATION_RATE = "respiration_rate"
    SPO2 = "spo2"
    HR_ZONE_MINUTES = "hr_zone_minutes"  # minutes a day in one heart-rate zone (extra: zone)

    @property
    def unit(self) -> str:
        return SAMPLE_UNITS[self]

    @property
    def is_interval(self) -> bool:
        """Sleep stages and counts cover a span (start to end); the rest are instants."""
        return self in INTERVAL_KINDS


SAMPLE_UNITS: dict[SampleKind, str] = {
    SampleKind.HEART_RATE: "bpm",
    SampleKind.RESTING_HEART_RATE: "bpm",
    SampleKind.HRV_SDNN: "ms",
    SampleKind.HRV_RMSSD: "ms",
    SampleKind.STEPS: "count",
    SampleKind.DISTANCE: "m",
    SampleKind.ACTIVE_ENERGY: "kcal",
    SampleKind.ACTIVE_MINUTES: "min",
    SampleKind.SLEEP_IN_BED: "min",
    SampleKind.SLEEP_AWAKE: "min",
    SampleKind.SLEEP_ASLEEP: "min",
    SampleKind.SLEEP_LIGHT: "min",
    SampleKind.SLEEP_DEEP: "min",
    SampleKind.SLEEP_REM: "min",
    SampleKind.STRESS: "score",
    SampleKind.BODY_BATTERY: "score",
    SampleKind.RESPIRATION_RATE: "breaths/min",
    SampleKind.SPO2: "%",
    SampleKind.HR_ZONE_MINUTES: "min",
}

INTERVAL_KINDS = frozenset(
    {
        SampleKind.STEPS,
        SampleKind.DISTANCE,
        SampleKind.ACTIVE_ENERGY,
        SampleKind.ACTIVE_MINUTES,
        SampleKind.HR_ZONE_MINUTES,
        SampleKind.SLEEP_IN_BED,
        SampleKind.SLEEP_AWAKE,
        SampleKind.SLEEP_ASLEEP,
        SampleKind.SLEEP_LIGHT,
        SampleKind.SLEEP_DEEP,
        SampleKind.SLEEP_REM,
    }
)
