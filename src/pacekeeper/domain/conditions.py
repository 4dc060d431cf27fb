"""The conditions a profile can have. Several may apply at once."""

from __future__ import annotations

from enum import StrEnum


class Condition(StrEnum):
    ME_CFS = "me_cfs"
    LONG_COVID = "long_covid"
    FIBROMYALGIA = "fibromyalgia"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CONDITION_LABELS[self]


CONDITION_LABELS: dict[Condition, str] = {
    Condition.ME_CFS: "ME/CFS",
    Condition.LONG_COVID: "Long COVID",
    Condition.FIBROMYALGIA: "Fibromyalgia",
    Condition.OTHER: "Other",
}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    INTERSEX = "intersex"
    UNSAID = "unsaid"


class CeilingMethod(StrEnum):
    """How the heart-rate ceiling was set, in order of how much it can be trusted."""

    CPET = "cpet"  # heart rate at the first ventilatory threshold of a CPET (Workwell)
    CLINICIAN = "clinician"
    MANUAL = "manual"
    DEFAULT = "default"  # lower of resting HR + 15 and 0.55 x (220 - age); see science.md

    @property
    def label(self) -> str:
        return {
            CeilingMethod.CPET: "From a CPET (first ventilatory threshold)",
            CeilingMethod.CLINICIAN: "Set by a clinician",
            CeilingMethod.MANUAL: "Set by me",
            CeilingMethod.DEFAULT: "Default estimate (a place to start, not accurate)",
        }[self]
