"""What every instrument shares: items with their answer options, a result, and answer checks.

Answers are a mapping of item key -> the chosen option's value (an int). Each instrument's
module holds its own items, licence and scoring rule; this module only checks answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pacekeeper.errors import FieldError, ValidationError

Answers = Mapping[str, int | None]
Score = float | int | bool | str | None


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    options: tuple[Option, ...]
    group: str = ""  # a heading shown above the item (a body region, a time frame)
    optional: bool = False  # the manual scores without it (RAND-36: answered items only)

    def allows(self, value: int) -> bool:
        return any(o.value == value for o in self.options)

    def label_of(self, value: int) -> str:
        return next((o.label for o in self.options if o.value == value), str(value))


@dataclass(frozen=True)
class Result:
    """Scores by name (subscales, totals, criteria) and the meaning in plain words."""

    scores: dict[str, Score]
    meaning: str
    flags: tuple[str, ...] = field(default=())  # short notes such as "criteria met"


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    intro: str
    items: tuple[Item, ...]
    licence: str
    source: str
    score: Callable[[Answers], Result]
    every_days_default: int

    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)


def options(*labels: str, start: int = 0) -> tuple[Option, ...]:
    return tuple(Option(start + i, label) for i, label in enumerate(labels))


YES_NO = (Option(0, "No"), Option(1, "Yes"))


def check_answers(instrument_key: str, items: Sequence[Item], answers: Answers) -> dict[str, int]:
    """The answers, checked: every required item answered, every value one of its options,
    no unknown keys. Raises ValidationError naming each item at fault."""
    errors: list[FieldError] = []
    known = {it.key for it in items}
    for key in answers:
        if key not in known:
            errors.append(FieldError(key, f"{instrument_key} has no item {key!r}"))
    out: dict[str, int] = {}
    for it in items:
        value = answers.get(it.key)
        if value is None:
            if not it.optional:
                errors.append(FieldError(it.key, f"{instrument_key} item {it.key}: not answered"))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not it.allows(value):
            allowed = ", ".join(str(o.value) for o in it.options)
            errors.append(
                FieldError(
                    it.key, f"{instrument_key} item {it.key}: {value!r} is not one of {allowed}"
                )
            )
            continue
        out[it.key] = value
    if errors:
        raise ValidationError(errors)
    return out
