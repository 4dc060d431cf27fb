"""Paced sessions: the planned timeline of bursts and rests, and live heart rate from a strap."""

from pacekeeper.sessions.heart_rate import (
    HeartRateMeasurement,
    HeartRatePayloadError,
    LoggedMeasurement,
    SensorContact,
    heart_rate_samples,
    parse_measurement,
    read_payload_log,
)
from pacekeeper.sessions.plan import (
    Prompt,
    SessionKind,
    SessionPlan,
    Step,
    burst_for_recovery,
    plan_session,
)
from pacekeeper.sessions.recovery import Recovery, heart_rate_recovery

__all__ = [
    "HeartRateMeasurement",
    "HeartRatePayloadError",
    "LoggedMeasurement",
    "Prompt",
    "Recovery",
    "SensorContact",
    "SessionKind",
    "SessionPlan",
    "Step",
    "burst_for_recovery",
    "heart_rate_recovery",
    "heart_rate_samples",
    "parse_measurement",
    "plan_session",
    "read_payload_log",
]
