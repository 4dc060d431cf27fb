"""Design matrices from the sample sheet: group, time, their interaction and covariates.

Numeric covariates are centred (so the intercept stays the reference group's mean at an
average covariate value); categorical ones become indicator columns against their first level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.omics.samplesheet import SampleSheet

BASELINE_WORDS = ("pre", "baseline", "before", "rest", "bl", "t0", "d0", "day0", "pre-exercise")
CASE_WORDS = ("case", "mecfs", "me/cfs", "me_cfs", "cfs", "patient", "pt", "long covid")


@dataclass
class Design:
    x: NDArray[np.float64]
    columns: list[str]
    case: str
    control: str
    times: list[str]  # baseline first


def pick_case(groups: list[str], case: str | None, control: str | None) -> tuple[str, str]:
    levels = sorted(set(groups))
    if case is not None and case not in levels:
        raise ValidationError.single("case", f"{case!r} is not a group (groups: {levels})")
    if control is not None and control not in levels:
        raise ValidationError.single("control", f"{control!r} is not a group (groups: {levels})")
    if case is None:
        others = [g for g in levels if g != control]
        named = [g for g in others if g.strip().lower() in CASE_WORDS]
        if len(others) == 1:
            case = others[0]
        elif len(named) == 1:
            case = named[0]
        else:
            raise ValidationError.single(
                "case", f"say which group is the case group (groups: {levels})"
            )
    if control is None:
        rest = [g for g in levels if g != case]
        if len(rest) != 1:
            raise ValidationError.single(
                "control", f"say which group is the control group (groups: {levels})"
            )
        control = rest[0]
    return case, control


def time_order(times: list[str], baseline: str | None) -> list[str]:
    """Time points in a natural order (numbers by value, then text), baseline first: the one
    given, else a level named like a baseline ("pre", "baseline", ...), else the first."""
    levels = sorted(set(times), key=_natural)
    if baseline is None:
        named = [t for t in levels if t.strip().lower() in BASELINE_WORDS]
        baseline = named[0] if len(named) == 1 else None
    if baseline is not None:
        if baseline not in levels:
            raise ValidationError.single("baseline", f"{baseline!r} is not a time point ({levels})")
        levels.remove(baseline)
        levels.insert(0, baseline)
    return levels


def _natural(s: str) -> tuple[object, ...]:
    import re

    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", s))


def build(
    sheet: SampleSheet,
    *,
    case: str,
    control: str,
    covariates: list[str],
    times: list[str] | None = None,
    interaction: bool = True,
) -> Design:
    """Intercept, case indicator, time indicators (if times has more than one level), their
    interaction, then covariates. Samples outside case/control must be removed before."""
    n = len(sheet.samples)
    cols: list[NDArray[np.float64]] = [np.ones(n)]
    names = ["intercept"]
    is_case = np.array([g == case for g in sheet.group], dtype=np.float64)
    cols.append(is_case)
    names.append("case")
    levels = times or []
    for t in levels[1:]:
        cols.append(np.array([v == t for v in sheet.time], dtype=np.float64))
        names.append(f"time[{t}]")
    if interaction:
        for t in levels[1:]:
            cols.append(cols[names.index(f"time[{t}]")] * is_case)
            names.append(f"case:time[{t}]")
    for cov in covariates:
        if cov not in sheet.columns:
            raise ValidationError.single(
                "covariate", f"{cov!r} is not a column of the sample sheet {sheet.source}"
            )
        numeric = sheet.numeric(cov)
        if numeric is not None:
            bad = np.flatnonzero(np.isnan(numeric))
            if bad.size:
                raise ValidationError(
                    [
                        FieldError(
                            f"{sheet.source}: {cov}",
                            f"sample {sheet.samples[i]!r} has no value (drop it or fill it in)",
                        )
                        for i in bad[:5]
                    ]
                )
            cols.append(numeric - numeric.mean())
            names.append(cov)
            continue
        values = sheet.columns[cov]
        for level in sorted(set(values))[1:]:
            cols.append(np.array([v == level for v in values], dtype=np.float64))
            names.append(f"{cov}[{level}]")
    x = np.column_stack(cols)
    # Drop indicator columns that are constant zero (a level absent from this subset).
    keep = [j for j in range(x.shape[1]) if j < 2 or np.any(x[:, j] != 0)]
    return Design(x[:, keep], [names[j] for j in keep], case, control, levels)
