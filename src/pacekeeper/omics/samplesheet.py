"""The sample sheet: which subject, group and time point each sample belongs to, and covariates.

A sheet is a table with one row per sample. The column names for sample, subject, group and
time are configurable; every other column is available as a covariate (numeric when every
value parses as a number, otherwise categorical).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from pacekeeper.errors import FieldError, ImportFileError, ValidationError
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.tables import MISSING, duplicates, read_rows


@dataclass
class SampleSheet:
    samples: list[str]
    subject: list[str]
    group: list[str]
    time: list[str]
    columns: dict[str, list[str]]
    source: str = ""

    def index(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.samples)}

    def subset(self, order: list[str]) -> SampleSheet:
        pos = self.index()
        idx = [pos[s] for s in order]
        return SampleSheet(
            list(order),
            [self.subject[i] for i in idx],
            [self.group[i] for i in idx],
            [self.time[i] for i in idx],
            {k: [v[i] for i in idx] for k, v in self.columns.items()},
            self.source,
        )

    def numeric(self, column: str) -> NDArray[np.float64] | None:
        """The column as floats (NaN for blanks), or None when it is categorical."""
        values = self.columns[column]
        out = np.empty(len(values))
        for i, v in enumerate(values):
            if v.strip().lower() in MISSING:
                out[i] = np.nan
                continue
            try:
                out[i] = float(v)
            except ValueError:
                return None
        return out


def read_sample_sheet(
    path: Path,
    *,
    sample: str = "sample",
    subject: str | None = "subject",
    group: str = "group",
    time: str | None = "time",
    sheet: str | None = None,
) -> SampleSheet:
    """Read a sheet; subject defaults to the sample id and time to one level when absent."""
    rows = read_rows(path, sheet)
    header = [h.strip() for h in rows[0]]
    body = rows[1:]

    def col(name: str | None, required: bool) -> list[str] | None:
        if name is None or (name not in header and not required):
            return None
        if name not in header:
            raise ImportFileError(
                str(path), f"no column named {name!r} (columns: {', '.join(header)})", "row 1"
            )
        j = header.index(name)
        return [r[j].strip() for r in body]

    samples = col(sample, True)
    groups = col(group, True)
    assert samples is not None and groups is not None
    for i, s in enumerate(samples):
        if not s:
            raise ImportFileError(str(path), "the sample id is empty", f"row {i + 2}")
    dup = duplicates(samples)
    if dup:
        name, pos = next(iter(dup.items()))
        raise ImportFileError(
            str(path), f"sample {name!r} is listed {len(pos)} times", f"row {pos[1] + 2}"
        )
    subjects = col(subject, False) or list(samples)
    times = col(time, False) or ["all"] * len(samples)
    for i, (g, s) in enumerate(zip(groups, subjects, strict=True)):
        if not g:
            raise ImportFileError(str(path), f"sample {samples[i]!r} has no group", f"row {i + 2}")
        if not s:
            raise ImportFileError(
                str(path), f"sample {samples[i]!r} has no subject", f"row {i + 2}"
            )
    columns = {h: [r[j].strip() for r in body] for j, h in enumerate(header) if h}
    return SampleSheet(samples, subjects, groups, times, columns, str(path))


def align(layer: Layer, sheet: SampleSheet) -> tuple[Layer, SampleSheet]:
    """Put the layer's samples and the sheet in the same order; every sample needs a row."""
    pos = sheet.index()
    unknown = [s for s in layer.samples if s not in pos]
    if unknown:
        shown = ", ".join(repr(s) for s in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        where = f" {sheet.source}" if sheet.source else ""
        raise ValidationError(
            [
                FieldError(
                    f"{layer.source or layer.name}: samples",
                    f"{len(unknown)} sample(s) missing from the sample sheet{where}: {shown}{more}",
                )
            ]
        )
    return layer, sheet.subset(layer.samples)
