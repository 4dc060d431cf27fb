"""Read any supported table file (CSV, TSV, XLSX) as rows of strings, and parse numbers.

Every reader in this package goes through here, so errors name the file, row and column the
same way everywhere. Rows and columns in messages count from 1 as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from pacekeeper.errors import ImportFileError
from pacekeeper.omics import xlsx

MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "-", "."})


def read_rows(path: Path, sheet: str | None = None) -> list[list[str]]:
    """All rows of a CSV/TSV/XLSX file, padded to equal width; a header is the first row."""
    if not path.is_file():
        raise ImportFileError(str(path), "file not found")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        rows = xlsx.read_sheet(path, sheet)
    elif suffix in {".csv", ".tsv", ".txt", ".tab"}:
        rows = _read_delimited(path, "\t" if suffix != ".csv" else ",")
    else:
        raise ImportFileError(str(path), "not a table we read (use .csv, .tsv or .xlsx)")
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if len(rows) < 2:
        raise ImportFileError(str(path), "the table has no data rows")
    return rows


def _read_delimited(path: Path, delimiter: str) -> list[list[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = [[c.strip() for c in r] for r in csv.reader(f, delimiter=delimiter)]
    except UnicodeDecodeError as exc:
        raise ImportFileError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA: how a spreadsheet names the column."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_numbers(
    cells: list[list[str]], path: Path, row_offset: int, col_offset: int, col_names: list[str]
) -> NDArray[np.float64]:
    """Cells to floats, blanks and NA spellings to NaN; a non-number names its row and column.

    row_offset/col_offset say where cells[0][0] sits in the file (0-based), for messages.
    """
    arr = np.array(cells, dtype=object)
    if arr.size == 0:
        return np.zeros(arr.shape, dtype=np.float64)
    lowered = np.char.lower(np.char.strip(arr.astype(str)))
    missing = np.isin(lowered, list(MISSING))
    filled = np.where(missing, "nan", arr.astype(str))
    try:
        return filled.astype(np.float64)
    except ValueError:
        pass
    for i, row in enumerate(filled):
        for j, cell in enumerate(row):
            try:
                float(cell)
            except ValueError:
                raise ImportFileError(
                    str(path),
                    f"{str(cell)!r} is not a number",
                    where=(
                        f"row {row_offset + i + 1}, column {column_letter(col_offset + j)}"
                        f" ({col_names[j]})"
                    ),
                ) from None
    raise AssertionError("unreachable: astype failed but every cell parsed")


def duplicates(values: list[str]) -> dict[str, list[int]]:
    """Each value seen more than once, with its 0-based positions."""
    seen: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        seen.setdefault(v, []).append(i)
    return {k: v for k, v in seen.items() if len(v) > 1}
