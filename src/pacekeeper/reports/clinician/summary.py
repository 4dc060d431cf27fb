"""The report's opening: a few plain sentences a clinician can read in half a minute."""

from __future__ import annotations

import polars as pl

from pacekeeper.reports.clinician.gather import ReportData

CHANGE = 0.5  # symptom points between the halves of the period that count as a change


def _mean(frame: pl.DataFrame, column: str) -> float | None:
    values = frame[column].drop_nulls()
    return float(values.mean()) if not values.is_empty() else None  # type: ignore[arg-type]


def _symptom_direction(data: ReportData) -> str | None:
    half = data.frame.height // 2
    early, late = _mean(data.frame.head(half), "symptom"), _mean(data.frame.tail(half), "symptom")
    overall = _mean(data.frame, "symptom")
    if overall is None:
        return None
    text = f"Average symptom burden {overall:.1f} out of 10"
    if early is None or late is None:
        return text + "."
    if late <= early - CHANGE:
        return text + f", lower in the second half ({early:.1f} then {late:.1f})."
    if late >= early + CHANGE:
        return text + f", higher in the second half ({early:.1f} then {late:.1f})."
    return text + ", about the same in both halves of the period."


def summary_lines(data: ReportData) -> list[str]:
    """A sentence for each chosen section that has one; a section left out says nothing here."""
    chosen, out = data.sections, []
    if "activity_symptoms" in chosen:
        episodes = len(data.episodes)
        out.append(
            f"{data.checked_in_days} of {data.days} days have a check-in; "
            f"{episodes} crash episode{'s' if episodes != 1 else ''} "
            f"({data.crash_days} crash day{'s' if data.crash_days != 1 else ''}) in the period."
        )
        direction = _symptom_direction(data)
        if direction:
            out.append(direction)
    pem = data.picture.summary if data.picture is not None else None
    if "pem_delay" in chosen:
        if pem is None:
            out.append("Too few check-ins yet to estimate the delay from exertion to symptoms.")
        elif pem.load_effect:
            out.append(pem.words()[0])
    trend = data.envelope_trend
    if "envelope" in chosen and len(trend) >= 2:
        a, b = trend[0].safe_load, trend[-1].safe_load
        way = "rose" if b > a * 1.1 else "fell" if b < a * 0.9 else "stayed about level"
        out.append(
            f"The estimated safe daily load {way} over the period ({a:.0f} to {b:.0f} points)."
        )
    rhr_dev = _mean(data.frame, "rhr_dev") if data.frame.height else None
    if "morning_rhr_hrv" in chosen and rhr_dev is not None:
        out.append(f"Morning resting heart rate averaged {rhr_dev:+.0f} bpm against baseline.")
    return out
