"""A small read-only XLSX reader (stdlib only): sheets as rows of strings.

Metabolon delivers its tables as workbooks and no spreadsheet library is a dependency, so we
read the Office Open XML parts directly: the workbook's sheet list, the shared strings and
each sheet's cells. Formulas are read by their cached values; styles are ignored.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from pacekeeper.errors import ImportFileError

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"([A-Z]+)(\d+)")


def _parse(data: bytes) -> ET.Element:
    # Workbook parts never declare a DTD; refusing one rules out entity-expansion attacks
    # before the parser sees the document.
    if b"<!DOCTYPE" in data[:4096].upper():
        raise ImportFileError("workbook", "an XML part declares a DTD, which .xlsx never does")
    return ET.fromstring(data)  # noqa: S314 (DTDs refused above)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def sheet_names(path: Path) -> list[str]:
    with _open(path) as z:
        return list(_sheet_targets(z, path))


def read_sheet(path: Path, sheet: str | None = None) -> list[list[str]]:
    """Rows of cell text (empty string for blank cells), padded to the widest row."""
    with _open(path) as z:
        targets = _sheet_targets(z, path)
        if not targets:
            raise ImportFileError(str(path), "the workbook has no sheets")
        name = sheet if sheet is not None else next(iter(targets))
        if name not in targets:
            raise ImportFileError(
                str(path), f"no sheet named {name!r} (sheets: {', '.join(targets)})"
            )
        strings = _shared_strings(z)
        root = _parse(z.read(targets[name]))
    rows: list[list[str]] = []
    for row in root.iterfind("m:sheetData/m:row", _NS):
        r = int(row.get("r", len(rows) + 1)) - 1
        while len(rows) <= r:
            rows.append([])
        cells = rows[r]
        for c in row.iterfind("m:c", _NS):
            m = _REF.match(c.get("r", ""))
            col = _column_index(m.group(1)) if m else len(cells)
            while len(cells) <= col:
                cells.append("")
            cells[col] = _cell_text(c, strings)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportFileError(str(path), f"not a readable .xlsx workbook ({exc})") from exc


def _sheet_targets(z: zipfile.ZipFile, path: Path) -> dict[str, str]:
    try:
        book = _parse(z.read("xl/workbook.xml"))
        rels = _parse(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise ImportFileError(str(path), "not an .xlsx workbook (no xl/workbook.xml)") from exc
    by_id = {r.get("Id"): r.get("Target", "") for r in rels.iterfind("p:Relationship", _NS)}
    out: dict[str, str] = {}
    for s in book.iterfind("m:sheets/m:sheet", _NS):
        target = by_id.get(s.get(f"{{{_NS['r']}}}id"), "")
        target = target.lstrip("/")
        out[s.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        root = _parse(z.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    # Rich text splits a string into runs; the text is all <t> under the <si>, in order.
    return ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")) for si in root]


_V = f"{{{_NS['m']}}}v"
_T = f"{{{_NS['m']}}}t"


def _cell_text(c: ET.Element, strings: list[str]) -> str:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(_T))
    for v in c:  # a cell has at most a formula <f> and a value <v>
        if v.tag == _V:
            if v.text is None:
                return ""
            return strings[int(v.text)] if kind == "s" else v.text
    return ""
