"""Small parsers shared by forms, the CLI and the JSON restore.

Each takes a raw value (a form string, a CLI option or a JSON value), collects a FieldError into
`errors` when the value is unusable, and returns the parsed value or None. Callers raise one
ValidationError with every problem at once, before anything is written.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Any

from pacekeeper.errors import FieldError

Raw = Any


def _blank(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def integer(
    errors: list[FieldError], field: str, raw: Raw, lo: int, hi: int, *, required: bool = False
) -> int | None:
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    if isinstance(raw, bool):
        errors.append(FieldError(field, f"must be a whole number from {lo} to {hi}"))
        return None
    try:
        if isinstance(raw, float):
            if not raw.is_integer():
                raise ValueError
            value = int(raw)
        else:
            value = int(str(raw).strip())
    except ValueError:
        errors.append(FieldError(field, f"must be a whole number from {lo} to {hi}, not {raw!r}"))
        return None
    if not lo <= value <= hi:
        errors.append(FieldError(field, f"must be from {lo} to {hi}; {value} is out of range"))
        return None
    return value


def number(
    errors: list[FieldError], field: str, raw: Raw, lo: float, hi: float, *, required: bool = False
) -> float | None:
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    if isinstance(raw, bool):
        errors.append(FieldError(field, f"must be a number from {lo:g} to {hi:g}"))
        return None
    try:
        value = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
    except (ValueError, OverflowError):  # OverflowError: an int too large for a float
        errors.append(FieldError(field, f"must be a number from {lo:g} to {hi:g}, not {raw!r}"))
        return None
    if not math.isfinite(value) or not lo <= value <= hi:
        errors.append(FieldError(field, f"must be from {lo:g} to {hi:g}; {raw} is out of range"))
        return None
    return value


def text(
    errors: list[FieldError],
    field: str,
    raw: Raw,
    max_len: int,
    *,
    required: bool = False,
    min_len: int = 0,
) -> str | None:
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    if not isinstance(raw, str):
        errors.append(FieldError(field, "must be text"))
        return None
    value = raw.strip()
    if "\x00" in value:
        errors.append(FieldError(field, "contains a NUL character"))
        return None
    if len(value) > max_len:
        errors.append(
            FieldError(field, f"is too long ({len(value)} characters; at most {max_len})")
        )
        return None
    if len(value) < min_len:
        errors.append(FieldError(field, f"is too short (at least {min_len} characters)"))
        return None
    return value


def choice(
    errors: list[FieldError], field: str, raw: Raw, allowed: list[str], *, required: bool = False
) -> str | None:
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    value = str(raw).strip()
    if value not in allowed:
        errors.append(FieldError(field, f"must be one of {', '.join(allowed)}; not {value!r}"))
        return None
    return value


def boolean(errors: list[FieldError], field: str, raw: Raw) -> bool | None:
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in {"1", "true", "yes", "on", "y"}:
        return True
    if value in {"0", "false", "no", "off", "n"}:
        return False
    errors.append(FieldError(field, f"must be yes or no, not {raw!r}"))
    return None


def iso_date(
    errors: list[FieldError], field: str, raw: Raw, *, required: bool = False
) -> date | None:
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.append(FieldError(field, f"must be a date like 2026-03-31, not {raw!r}"))
        return None


def clock_time(
    errors: list[FieldError], field: str, raw: Raw, *, required: bool = False
) -> time | None:
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    try:
        value = time.fromisoformat(str(raw).strip())
    except ValueError:
        errors.append(FieldError(field, f"must be a time like 04:00, not {raw!r}"))
        return None
    return value.replace(second=0, microsecond=0, tzinfo=None)


def aware_datetime(
    errors: list[FieldError], field: str, raw: Raw, *, required: bool = False
) -> datetime | None:
    """An ISO date-time that carries its UTC offset; naive times are refused, never guessed."""
    if _blank(raw):
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            errors.append(
                FieldError(field, f"must be a date-time like 2026-03-31T14:05+01:00, not {raw!r}")
            )
            return None
    if value.tzinfo is None or value.utcoffset() is None:
        errors.append(FieldError(field, "needs a UTC offset, for example 2026-03-31T14:05+01:00"))
        return None
    return value
