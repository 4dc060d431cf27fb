"""Readers for the layouts researchers hand us: Metabolon, plain wide tables, long tables.

Each returns a Layer. Errors a user can cause (duplicate ids, non-numeric values, a missing
column) raise ImportFileError naming the file, row and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from pacekeeper.errors import ImportFileError
from pacekeeper.omics import xlsx
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.tables import column_letter, duplicates, parse_numbers, read_rows

# Metabolon's annotation columns (either spelling: "SUB PATHWAY" or "SUB_PATHWAY"), mapped to
# the annotation keys used by the rest of the package. Unknown leading columns are kept too.
_METABOLON_KEYS = {
    "BIOCHEMICAL": "name",
    "SUPER PATHWAY": "super_pathway",
    "SUB PATHWAY": "sub_pathway",
    "COMP ID": "comp_id",
    "KEGG": "kegg",
    "HMDB": "hmdb",
    "PUBCHEM": "pubchem",
    "PLATFORM": "platform",
    "CHEMICAL ID": "chemical_id",
    "PATHWAY SORTORDER": "sort_order",
    "RI": "ri",
    "MASS": "mass",
    "CAS": "cas",
    "CHEMSPIDER": "chemspider",
    "INCHIKEY": "inchikey",
    "SMILES": "smiles",
    "TYPE": "type",
    "COMPOUND ID": "compound_id",
}


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip()).upper()


def read_metabolon(path: Path, sheet: str | None = None, layer: str = "metabolomics") -> Layer:
    """A Metabolon table: annotation columns first, then one column per sample.

    Two workbook shapes are read: one sheet holding both (the classic "OrigScale" sheet), and
    a data_matrix sheet (compound_id x samples) with a data_dictionary sheet of annotations.
    """
    if sheet is None and path.suffix.lower() in {".xlsx", ".xlsm"}:
        names = xlsx.sheet_names(path)
        if "data_matrix" in names and "data_dictionary" in names:
            return _read_split_workbook(path, layer)
    rows = read_rows(path, sheet)
    header = [_norm(h) for h in rows[0]]
    if "BIOCHEMICAL" not in header:
        raise ImportFileError(str(path), "no BIOCHEMICAL column: not a Metabolon table", "row 1")
    known = [i for i, h in enumerate(header) if h in _METABOLON_KEYS]
    first_sample = max(known) + 1
    if first_sample >= len(header):
        raise ImportFileError(str(path), "no sample columns after the annotation columns", "row 1")
    annotations = {
        _METABOLON_KEYS.get(header[j], header[j].lower().replace(" ", "_")): [
            r[j].strip() for r in rows[1:]
        ]
        for j in range(first_sample)
    }
    id_col = header.index("COMP ID") if "COMP ID" in header else header.index("BIOCHEMICAL")
    return _assemble(path, layer, rows, id_col, first_sample, annotations)


def _read_split_workbook(path: Path, layer: str) -> Layer:
    matrix = read_rows(path, "data_matrix")
    dictionary = read_rows(path, "data_dictionary")
    d_header = [_norm(h) for h in dictionary[0]]
    if "COMPOUND ID" not in d_header:
        raise ImportFileError(str(path), "data_dictionary has no compound_id column", "row 1")
    key = d_header.index("COMPOUND ID")
    by_id = {r[key]: r for r in dictionary[1:]}
    ids = [r[0] for r in matrix[1:]]
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ImportFileError(
            str(path), f"compound {missing[0]!r} of data_matrix is not in data_dictionary"
        )
    annotations = {
        _METABOLON_KEYS.get(h, h.lower().replace(" ", "_")): [by_id[i][j].strip() for i in ids]
        for j, h in enumerate(d_header)
        if j != key
    }
    return _assemble(path, layer, matrix, 0, 1, annotations)


def read_wide(
    path: Path,
    layer: str,
    *,
    samples_in_rows: bool = False,
    sheet: str | None = None,
    id_column: int = 0,
) -> Layer:
    """A plain matrix: by default features in rows (first column the id), samples in columns.

    With samples_in_rows the table is one row per sample (first column the sample id) and one
    column per feature, the usual shape for cytokine panels and cell fractions.
    """
    rows = read_rows(path, sheet)
    if not samples_in_rows:
        return _assemble(path, layer, rows, id_column, id_column + 1, {})
    header = rows[0]
    samples = [r[id_column] for r in rows[1:]]
    features = [h for j, h in enumerate(header) if j != id_column]
    _check_ids(path, samples, "sample", lambda i: f"row {i + 2}, column {column_letter(id_column)}")
    _check_ids(path, features, "feature", lambda j: "row 1")
    keep = [j for j in range(len(header)) if j != id_column]
    cells = [[r[j] for j in keep] for r in rows[1:]]
    # Column offsets in messages assume the id column comes first, as it nearly always does.
    values = parse_numbers(cells, path, 1, id_column + 1, features).T
    return Layer(layer, features, samples, np.ascontiguousarray(values), {}, str(path))


def read_long(
    path: Path,
    layer: str,
    *,
    sample: str = "sample",
    feature: str = "feature",
    value: str = "value",
    sheet: str | None = None,
) -> Layer:
    """One row per (sample, feature, value); a pair seen twice is an error."""
    rows = read_rows(path, sheet)
    header = rows[0]
    cols = []
    for name in (sample, feature, value):
        if name not in header:
            raise ImportFileError(str(path), f"no column named {name!r}", "row 1")
        cols.append(header.index(name))
    s_col, f_col, v_col = cols
    samples = list(dict.fromkeys(r[s_col] for r in rows[1:]))
    features = list(dict.fromkeys(r[f_col] for r in rows[1:]))
    s_pos = {s: i for i, s in enumerate(samples)}
    f_pos = {f: i for i, f in enumerate(features)}
    values = np.full((len(features), len(samples)), np.nan)
    seen = np.zeros(values.shape, dtype=bool)
    numbers = parse_numbers([[r[v_col]] for r in rows[1:]], path, 1, v_col, [value])[:, 0]
    for i, r in enumerate(rows[1:]):
        fi, si = f_pos[r[f_col]], s_pos[r[s_col]]
        if seen[fi, si]:
            raise ImportFileError(
                str(path), f"sample {r[s_col]!r} has feature {r[f_col]!r} twice", f"row {i + 2}"
            )
        seen[fi, si] = True
        values[fi, si] = numbers[i]
    return Layer(layer, features, samples, values, {}, str(path))


def _assemble(
    path: Path,
    layer: str,
    rows: list[list[str]],
    id_col: int,
    first_sample: int,
    annotations: dict[str, list[str]],
) -> Layer:
    header = rows[0]
    samples = [h.strip() for h in header[first_sample:]]
    while samples and not samples[-1]:
        samples.pop()
    if any(not s for s in samples):
        j = first_sample + samples.index("")
        raise ImportFileError(
            str(path), "a sample column has no name", f"row 1, column {column_letter(j)}"
        )
    features = [r[id_col].strip() for r in rows[1:]]
    _check_ids(
        path, samples, "sample", lambda j: f"row 1, column {column_letter(first_sample + j)}"
    )
    _check_ids(path, features, "feature", lambda i: f"row {i + 2}, column {column_letter(id_col)}")
    cells = [r[first_sample : first_sample + len(samples)] for r in rows[1:]]
    values = parse_numbers(cells, path, 1, first_sample, samples)
    return Layer(layer, features, samples, values, annotations, str(path))


def _check_ids(path: Path, ids: list[str], what: str, where: object) -> None:
    locate = where if callable(where) else (lambda i: "")
    for i, v in enumerate(ids):
        if not v:
            raise ImportFileError(str(path), f"a {what} id is empty", locate(i))
    dup = duplicates(ids)
    if dup:
        name, pos = next(iter(dup.items()))
        raise ImportFileError(
            str(path), f"duplicate {what} id {name!r} (seen {len(pos)} times)", locate(pos[1])
        )


LAYOUTS = ("auto", "metabolon", "wide", "wide-samples-in-rows", "long")


def read_layer(path: Path, name: str, layout: str = "auto", sheet: str | None = None) -> Layer:
    """Read one layer in the given layout; auto picks Metabolon when the table looks like it."""
    if layout not in LAYOUTS:
        raise ImportFileError(str(path), f"unknown layout {layout!r} (use {', '.join(LAYOUTS)})")
    if layout == "auto":
        split = path.suffix.lower() in {".xlsx", ".xlsm"} and "data_matrix" in xlsx.sheet_names(
            path
        )
        named = split or "BIOCHEMICAL" in [_norm(h) for h in read_rows(path, sheet)[0]]
        layout = "metabolon" if named else "wide"
    if layout == "metabolon":
        return read_metabolon(path, sheet, name)
    if layout == "long":
        return read_long(path, name, sheet=sheet)
    return read_wide(path, name, samples_in_rows=layout == "wide-samples-in-rows", sheet=sheet)
