"""The parts of the report a person may include or leave out, in the order they are printed.

A section left out is not computed where that saves time, and nothing of it is printed: not its
heading, not its numbers, not a sentence about it in the summary.
"""

from __future__ import annotations

from collections.abc import Iterable

from pacekeeper.errors import ValidationError

# key -> the words on the share page's checkbox
SECTIONS: dict[str, str] = {
    "summary": "In short: a few sentences",
    "pem_delay": "Delay from effort to symptoms (PEM)",
    "envelope": "Energy envelope",
    "heart_rate_ceiling": "Heart-rate ceiling",
    "activity_symptoms": "Symptoms, activity and crashes",
    "morning_rhr_hrv": "Morning resting heart rate and HRV",
    "sleep": "Sleep",
    "progression": "Progression (rule of two)",
    "treatments": "Treatments",
    "questionnaires": "Questionnaire scores",
}
ALL_SECTIONS: frozenset[str] = frozenset(SECTIONS)


def check_sections(chosen: Iterable[str]) -> frozenset[str]:
    """The chosen section keys; unknown keys and an empty choice are refused."""
    wanted = frozenset(chosen)
    unknown = sorted(wanted - ALL_SECTIONS)
    if unknown:
        allowed = ", ".join(SECTIONS)
        raise ValidationError.single(
            "sections", f"no section called {', '.join(unknown)} (choose from {allowed})"
        )
    if not wanted:
        raise ValidationError.single("sections", "choose at least one part of the report")
    return wanted


def ordered(chosen: Iterable[str]) -> list[str]:
    """The chosen keys in the report's own order (for storing and showing)."""
    wanted = set(chosen)
    return [key for key in SECTIONS if key in wanted]
